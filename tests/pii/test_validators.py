"""Checksums against published values."""

import pytest

from airflow_evalguard.pii import validators as v


@pytest.mark.parametrize(
    "number,valid",
    [
        ("79927398713", True),  # the worked example of the Luhn algorithm (ISO/IEC 7812-1 Annex B)
        ("79927398710", False),
        ("4111111111111111", True),
        ("4111111111111112", False),
        ("378282246310005", True),
        ("0", True),
    ],
)
def test_luhn(number, valid):
    assert v.luhn_valid(number) is valid


@pytest.mark.parametrize(
    "iban,valid",
    [
        ("GB82 WEST 1234 5698 7654 32", True),  # ISO 13616 / SWIFT registry examples
        ("DE89370400440532013000", True),
        ("GB82 WEST 1234 5698 7654 33", False),
        ("DE8937040044053201300", False),  # one character short for DE
        ("ZZ82WEST12345698765432", False),  # no such country
    ],
)
def test_iban_mod97(iban, valid):
    assert v.iban_valid(iban) is valid


def test_card_networks_and_lengths():
    assert v.credit_card_valid("3782 822463 10005")  # Amex, 15 digits
    assert not v.credit_card_valid("490154203237518")  # Luhn-valid IMEI: Visa is never 15 digits
    assert not v.credit_card_valid("4111-1111 1111-1111")  # mixed separators
    assert not v.credit_card_valid("9111111111111119")


@pytest.mark.parametrize(
    "candidate,before,valid",
    [
        ("192.168.1.1", "host ", True),
        ("1.2.3.4", "version ", False),
        ("1.2.3.4", "v", False),
        ("256.1.1.1", "", False),
        ("01.2.3.4", "", False),
    ],
)
def test_ipv4(candidate, before, valid):
    assert v.ipv4_valid(candidate, before) is valid
