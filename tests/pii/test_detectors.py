"""The detectors' patterns: ASCII variants, prefilters that admit whatever the precise pattern
finds, and candidates that expose the context validators read."""

import re2

from airflow_evalguard.pii.detectors import DETECTORS, KINDS, WS, Candidate, D, W, ascii_only

EXAMPLES = {
    "email": "reach me at jane.doe@example.com today",
    "iban": "pay to GB82 WEST 1234 5698 7654 32 please",
    "credit_card": "card 4111 1111 1111 1111 expires",
    "ip": "host 192.168.10.20 is up",
    "phone": "call +1 (415) 555-0134 now",
    "secret": "export OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwx",
}


def test_kinds_are_the_detectors_in_order():
    assert tuple(DETECTORS) == KINDS
    assert all(kind == detector.kind for kind, detector in DETECTORS.items())
    assert set(EXAMPLES) <= set(KINDS)


def test_ascii_only_swaps_every_unicode_class():
    pattern = rf"[{W}][{D}][{WS}]"
    assert ascii_only(pattern) == r"[\w][\d][\s\x0b\x1c-\x1f]"
    for detector in DETECTORS.values():
        for precise in detector.patterns:
            assert "\\p" not in ascii_only(precise)
            re2.compile(ascii_only(precise))  # still a valid RE2 pattern


def test_precise_patterns_and_prefilters_find_the_examples():
    for kind, text in EXAMPLES.items():
        detector = DETECTORS[kind]
        framed = f"\n{text}\n".encode()
        assert re2.search(detector.prefilter, text), kind
        matches = [m for p in detector.patterns if (m := re2.compile(p).search(framed.decode()))]
        assert matches, kind


def test_candidate_text_and_context():
    data = b"\nversion 1.2.3.4\n"
    start = data.index(b"1.2")
    candidate = Candidate(data, start, start + 7, value="x")
    assert candidate.text == "1.2.3.4" and candidate.value == "x"
    assert candidate.before == "version "
    multibyte = "\nété 10.0.0.1\n".encode()
    at = multibyte.index(b"10.")
    assert Candidate(multibyte, at, at + 8).before == "été "
