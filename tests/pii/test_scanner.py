"""PII detection on a hand-written labelled set: precision and recall per kind, and redaction."""

import random

import pytest

from airflow_evalguard.pii.detectors import KINDS
from airflow_evalguard.pii.scanner import PiiScanner, redaction
from tests.pii.labelled_set import LABELLED

MIN_PRECISION = 0.95
MIN_RECALL = 0.95


def _expected(kinds: str) -> set[str]:
    return set(filter(None, kinds.split(";")))


def test_labelled_set_is_big_enough_and_balanced():
    assert len(LABELLED) >= 200
    for kind in KINDS:
        positives = sum(kind in _expected(k) for _, k in LABELLED)
        assert positives >= 12, f"{kind}: only {positives} positives"
    assert sum(not _expected(k) for _, k in LABELLED) >= 80  # the tricky negatives


def test_precision_and_recall_per_kind(capsys):
    scanner = PiiScanner()
    table = []
    for kind in KINDS:
        tp = fp = fn = 0
        for text, kinds in LABELLED:
            expected = kind in _expected(kinds)
            found = any(k == kind for _, _, k in scanner.find(text))
            tp += expected and found
            fp += found and not expected
            fn += expected and not found
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn)
        table.append((kind, tp, fp, fn, precision, recall))
    with capsys.disabled():
        print("\nPII detectors on the labelled set:")
        print(f"  {'kind':<12} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
        for kind, tp, fp, fn, precision, recall in table:
            print(f"  {kind:<12} {tp:>4} {fp:>4} {fn:>4} {precision:>10.3f} {recall:>8.3f}")
    for kind, _, _, _, precision, recall in table:
        assert precision >= MIN_PRECISION, f"{kind} precision {precision:.3f}"
        assert recall >= MIN_RECALL, f"{kind} recall {recall:.3f}"


@pytest.mark.parametrize("text,kinds", [(t, k) for t, k in LABELLED if k])
def test_redaction_removes_every_match(text, kinds):
    scanner = PiiScanner()
    spans = scanner.find(text)
    redacted = scanner.redact(text, spans)
    for start, end, kind in spans:
        assert text[start:end] not in redacted
        assert redaction(kind) in redacted
    assert scanner.find(redacted) == []  # nothing left to find


def test_column_scan_matches_one_text_at_a_time():
    scanner = PiiScanner()
    texts = [t for t, _ in LABELLED] + [None]
    result = scanner.scan(texts)
    for row, text in enumerate(texts[:-1]):
        assert set(result.kinds_of(row)) == {k for _, _, k in scanner.find(text)}
    assert not result.hits[-1].any()


def test_prefilter_never_rules_out_a_row_the_precise_pass_would_flag():
    """The RE2 prefilter decides which rows are read at all: it must be a superset."""
    rng = random.Random(7)
    alphabet = "0123456789 -.:()+@abcdefxyzABKIS_=/"
    pieces = [t for t, _ in LABELLED]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(5, 60))) for _ in range(3000)]
    texts += [f"{rng.choice(pieces)} {rng.choice(pieces)}" for _ in range(1000)]
    scanner = PiiScanner()
    candidates = scanner.candidates(texts)
    missed = [t for t, c in zip(texts, candidates, strict=True) if not c and scanner.find(t)]
    assert missed == []


def test_only_the_chosen_detectors_run():
    scanner = PiiScanner(["email"])
    assert scanner.find("a.b@example.com 4111 1111 1111 1111") == [(0, 15, "email")]
    assert PiiScanner([]).scan(["a.b@example.com"]).hits.shape == (1, 0)


def test_unknown_detector_is_an_input_error():
    from airflow_evalguard.exceptions import EvalGuardInputError

    with pytest.raises(EvalGuardInputError, match="passport"):
        PiiScanner(["email", "passport"])


def test_a_megabyte_of_text_is_scanned():
    # A date and a version string every ~500 bytes: look-alikes at about the density of real
    # feedback, below the candidate budget (a denser cell is covered in test_candidate_budget).
    filler = "lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor " * 6
    text = ((filler + "2024-01-15 version 1.2.3.4 ") * 2_100) + "mail me at jane@example.com"
    assert len(text) > 1_000_000
    result = PiiScanner().scan([text])
    assert result.kinds_of(0) == ["email"]
    assert "jane@example.com" not in result.redacted[0]


@pytest.mark.parametrize(
    "text,found",
    [
        ("é jane@example.com ü", "jane@example.com"),  # offsets are characters, not UTF-8 bytes
        ("東京 😀 call +49 30 901820 😀", "+49 30 901820"),
        ("\ud800 lone surrogate then jane@example.com", "jane@example.com"),  # from a JSON "\ud800" escape
        ("password\u00a0=\u00a0Tr0ub4dor3x", "password\u00a0=\u00a0Tr0ub4dor3x"),  # Unicode blanks, as Python's \s
        (
            "card \u0664\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u0661\u0661",
            "\u0664\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u0661\u0661",
        ),
        (
            "full-width " + "\uff14" + "\uff11" * 15,
            "\uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11",
        ),
    ],
)
def test_unicode_text_spans_and_digits(text, found):
    scanner = PiiScanner()
    spans = scanner.find(text)
    assert [text[s:e] for s, e, _ in spans] == [found]
    result = scanner.scan([text])  # the column path too (pyarrow cannot take lone surrogates as is)
    assert result.any_hit()[0] and found not in result.redacted[0]


@pytest.mark.parametrize(
    "text,kinds",
    [
        ("éjane@example.com", []),
        ("東10.0.0.1", []),
        ("ü10.0.0.1", []),  # glued to a letter of any script
        ("😀jane@example.com", ["email"]),
        ("。10.0.0.1。", ["ip"]),  # an emoji or CJK full stop is no letter
    ],
)
def test_unicode_letters_are_word_characters(text, kinds):
    """As with Python's \\w: a match glued to a letter (any script) is part of a longer token."""
    assert [k for _, _, k in PiiScanner().find(text)] == kinds


def test_a_failing_prefilter_set_runs_every_detector():
    """RE2::Set has no way to report that its automaton ran out of memory but an empty answer:
    the scanner then runs every detector rather than none."""

    class Failing:
        def Match(self, data):  # noqa: N802 - RE2's name
            return []

    scanner = PiiScanner()
    scanner.which_ascii = scanner.which_unicode = Failing()
    assert scanner.find("mail jane@example.com, card 4111 1111 1111 1111") == [
        (5, 21, "email"),
        (28, 47, "credit_card"),
    ]


def test_prefilter_is_a_superset_on_unicode_text_too():
    rng = random.Random(11)
    alphabet = "0123456789 -.:()+@abcxyzAK_=/é\u00a0\u0663\u0661😀"
    pieces = [t for t, _ in LABELLED]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(5, 60))) for _ in range(3000)]
    texts += [f"{rng.choice(pieces)}\u00a0{rng.choice(pieces)}é" for _ in range(1000)]
    scanner = PiiScanner()
    candidates = scanner.candidates(texts)
    assert [t for t, c in zip(texts, candidates, strict=True) if not c and scanner.find(t)] == []
