"""PII and secret detection for text that may become training data.

`scanner.PiiScanner` finds and redacts e-mail addresses, phone numbers, payment card numbers
(Luhn-checked), IBANs (mod-97-checked), IP addresses and API-key-like secrets in one pass per row.
"""
