"""Checksums and shape rules that turn a regex candidate into a detection.

A regex alone flags every 16-digit order number as a card and every version string as an IP; the
checksum (Luhn, IBAN mod 97) or the structural rule is what gives the detectors their precision.
"""

from __future__ import annotations

import ipaddress
import re

# ISO 13616 IBAN lengths per country (SWIFT IBAN registry).
# A table: ten countries a line reads better than one a line.
# fmt: off
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}
# fmt: on
FILE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "bmp", "ico", "tiff", "heic", "mp4", "mov"}
VERSION_CONTEXT = re.compile(r"(?:\bv|\bver\.?|\bversion|\brelease|\bbuild|\bfirmware|\bkernel)\s*$", re.IGNORECASE)
PLACEHOLDER = re.compile(
    r"^(?:x+|\*+|<[^>]*>|\{[^}]*\}|\$\{?[A-Za-z_]+\}?|your[_-].*|redacted.*|changeme|example.*)$", re.IGNORECASE
)


def digits(text: str) -> str:
    """The decimal digits of `text`, as ASCII (the detectors accept any Unicode decimal digit,
    as Python's \\d does: a card number in Arabic-Indic or full-width digits is still one)."""
    if text.isascii():
        return _NOT_DIGIT.sub("", text)
    return "".join(str(int(ch)) for ch in text if ch.isdecimal())


_NOT_DIGIT = re.compile(r"[^0-9]")
_LUHN_DOUBLED = bytes.maketrans(b"0123456789", bytes([0, 2, 4, 6, 8, 1, 3, 5, 7, 9]))  # 2d, digits summed


def luhn_valid(number: str) -> bool:
    """`number`: ASCII digits. Sums in C over the bytes: a validator runs once per candidate, and
    adversarial text can hold a candidate every twenty characters."""
    raw = number.encode("ascii")
    kept, doubled = raw[-1::-2], raw[-2::-2]
    return (sum(kept) - 48 * len(kept) + sum(doubled.translate(_LUHN_DOUBLED))) % 10 == 0


def card_network_valid(number: str) -> bool:
    """Issuer range and length of the networks in use (Visa, Mastercard, Amex, Discover, JCB,
    Diners, UnionPay, Maestro): a Luhn-valid number outside them (an IMEI, a parcel id) is far
    more often an id than a card. One in ten random numbers passes Luhn; this is the rest of
    the evidence."""
    n, two, three, four = len(number), int(number[:2]), int(number[:3]), int(number[:4])
    if number[0] == "4":
        return n in (13, 16, 19)  # Visa
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return n == 16  # Mastercard
    if two in (34, 37):
        return n == 15  # American Express
    if number.startswith("6011") or two == 65 or 644 <= three <= 649:
        return 16 <= n <= 19  # Discover
    if 3528 <= four <= 3589:
        return 16 <= n <= 19  # JCB
    if 300 <= three <= 305 or two in (36, 38, 39) or three == 309:
        return 14 <= n <= 19  # Diners Club
    if two == 62:
        return 16 <= n <= 19  # UnionPay
    if two in (50, 56, 57, 58, 63, 67):
        return 12 <= n <= 19  # Maestro
    return False


def credit_card_valid(candidate: str) -> bool:
    separators = [ch for ch in set(candidate) if not ch.isdigit()]
    if len(separators) > 1:  # "4111-1111 1111-1111" is not how anyone writes a card
        return False
    number = digits(candidate)
    return 12 <= len(number) <= 19 and card_network_valid(number) and luhn_valid(number)


def iban_valid(candidate: str) -> bool:
    iban = candidate.replace(" ", "").upper()
    if IBAN_LENGTHS.get(iban[:2]) != len(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def ipv4_valid(candidate: str, before: str) -> bool:
    return ipv4_octets_valid(candidate) and ipv4_context_valid(before)


def ipv4_octets_valid(candidate: str) -> bool:
    parts = candidate.split(".")
    if len(parts) != 4:
        return False
    # no leading zero (octal in some parsers) and at most 255
    return all(not ((len(part) > 1 and part[0] == "0") or int(part) > 255) for part in parts)


def ipv4_context_valid(before: str) -> bool:
    """Not a version string: no "v", "version", "build", ... just before the address."""
    return VERSION_CONTEXT.search(before[-16:]) is None


def ipv6_valid(candidate: str) -> bool:
    groups = [g for g in candidate.split(":") if g]
    # "ab::cd" parses but is far more often C++ or a MAC fragment than an address (checked
    # first: it is cheap, and parsing is not).
    if not (len(groups) >= 3 or any(len(g) == 4 for g in groups)):
        return False
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return True


NANP = re.compile(r"(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?\d{3}[ .-]?\d{4}|\d{3}[ .-]\d{3}[ .-]\d{4})")
NATIONAL_TRUNK = re.compile(r"0\d{1,4}[ .-/]?\d{2,}(?:[ .-]\d{2,})*")


def phone_valid(candidate: str) -> bool:
    """A phone number in a layout people write: international (+...), NANP (555-123-4567,
    (555) 123 4567) or national with a trunk 0 (030 1234567). Runs of digit groups without one of
    those layouts (years, counts, order numbers) are not phones."""
    text = candidate.strip()
    number = digits(text)
    if not 7 <= len(number) <= 15:
        return False
    if text.startswith("+"):
        return len(number) >= 8
    if NANP.fullmatch(text):
        return len(number) in (10, 11)
    if NATIONAL_TRUNK.fullmatch(text) and not text.startswith("00"):
        return 9 <= len(number) <= 12
    if text.startswith("00"):  # 00 international prefix: 0049 151 12345678
        return 10 <= len(number) <= 15
    return False


def email_valid(candidate: str) -> bool:
    domain = candidate.rsplit("@", 1)[1]
    return domain.rsplit(".", 1)[-1].lower() not in FILE_EXTENSIONS  # icon@2x.png is an asset name


def secret_valid(value: str | None, whole: str) -> bool:
    """`value` is the assigned value in `api_key = ...` forms, None for a vendor-prefixed key."""
    if value is None:
        return PLACEHOLDER.match(whole) is None  # a vendor prefix (sk-, AKIA, ghp_) is the evidence
    if PLACEHOLDER.match(value):
        return False
    # A bare `password: something` counts only when the value looks machine-made.
    return len(value) >= 8 and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
