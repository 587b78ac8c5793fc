"""Bytes cells decoded as UTF-8 (invalid ones replaced and reported, never dropped) and evidence
cut to a readable size."""

import numpy as np
import pandas as pd

from airflow_evalguard.columns.text import decode_frame, decode_text, printable


def test_bytes_cells_are_decoded_and_invalid_ones_reported():
    series = pd.Series([b"caf\xc3\xa9", "plain", b"\xff\xfe bad", None, bytearray(b"ok")], name="text")
    decoded, bad = decode_text(series)
    assert decoded.tolist() == ["café", "plain", "\ufffd\ufffd bad", None, "ok"]
    assert bad.tolist() == [False, False, True, False, False]
    assert decoded.name == "text" and decoded.index.equals(series.index)


def test_columns_without_bytes_come_back_untouched():
    numbers = pd.Series([1.0, 2.0])
    same, bad = decode_text(numbers)
    assert same is numbers and not bad.any()
    words = pd.Series(["a", "b"], dtype=object)
    assert decode_text(words)[0] is words


def test_decode_frame_decodes_bytes_columns_and_leaves_the_input_alone():
    frame = pd.DataFrame({"a": ["x", "y"], "b": [1, 2]})
    out, bad = decode_frame(frame)
    assert out.equals(frame) and bad == {}
    frame = pd.DataFrame({"a": [b"x", b"\xff"], "b": [1, 2]})
    out, bad = decode_frame(frame)
    assert out is not frame and frame["a"].tolist() == [b"x", b"\xff"]  # the input is left alone
    assert out["a"].tolist() == ["x", "\ufffd"]
    assert list(bad) == ["a"] and bad["a"].tolist() == [False, True]


def test_printable_cuts_long_text_and_blanks_missing():
    frame = pd.DataFrame({"text": ["x" * 30, "short", None, np.nan, b"\xffz"], "n": [1, 2, 3, 4, 5]})
    out = printable(frame, max_chars=10)
    assert out["text"].tolist() == ["x" * 10 + "... [20 more chars]", "short", None, None, "\ufffdz"]
    assert out["n"].tolist() == [1, 2, 3, 4, 5]
    assert frame["text"].iloc[0] == "x" * 30  # a copy
