"""The artifact layout: reversible id encoding (property-tested) and the one parser of keys."""

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airflow_evalguard.store.layout import (
    SEGMENT_MAX,
    GateKey,
    RunLayout,
    decode_id,
    encode_id,
    gate_folder,
    latest_tries,
    parse_gate_file,
    parse_gate_key,
    run_folder,
)

SAFE = set(string.ascii_letters + string.digits + "_-!")
ids = st.text(max_size=300)  # any str, lone surrogates and control characters included
airflow_ids = st.from_regex(r"[\w.-]{1,250}", fullmatch=True)


def segments(key_part):
    return key_part.split("/")


@settings(max_examples=2000, database=None)
@given(ids)
def test_decode_inverts_encode_and_every_segment_is_safe(value):
    encoded = encode_id(value)
    assert decode_id(encoded) == value
    for seg in segments(encoded):
        assert seg and set(seg) <= SAFE, seg  # no '/', no '.', nothing a filesystem or S3 minds
        assert len(seg) <= SEGMENT_MAX
        assert seg not in (".", "..") and not seg.startswith(".")


@settings(max_examples=2000, database=None)
@given(ids, ids)
def test_distinct_ids_never_share_a_key(a, b):
    if a != b:
        assert encode_id(a) != encode_id(b)


@settings(database=None)
@given(airflow_ids, airflow_ids, airflow_ids, st.integers(-1, 10_000), st.integers(1, 10_000))
def test_gate_keys_parse_back(dag_id, run_id, task_id, map_index, try_number):
    gate = GateKey(dag_id, run_id, task_id, map_index, try_number)
    assert parse_gate_key(gate.key("result.json")) == (gate, "result.json")


@settings(database=None)
@given(st.text(alphabet="!abc0123456789./_-", max_size=20))
def test_decode_accepts_only_what_encode_produces(key_part):
    try:
        value = decode_id(key_part)
    except ValueError:
        return
    assert encode_id(value) == key_part


def test_the_cafe_collision_and_readable_plain_ids():
    assert encode_id("café") == "caf!c3!a9" != encode_id("caf_-850f7dc4") == "caf_-850f7dc4"
    assert encode_id("evalguard_demo") == "evalguard_demo"  # plain ASCII ids stay readable
    assert encode_id("manual__2026-11-25T09:14:26+00:00") == "manual__2026-11-25T09!3a14!3a26!2b00!3a00"
    assert encode_id("a.b") == "a!2eb" and encode_id("eg_x.") == "eg_x!2e" != encode_id("eg_x_")
    assert encode_id("..") == "!2e!2e" and encode_id("") == "!" and encode_id("a/b") == "a!2fb"


def test_non_canonical_spellings_are_refused():
    for bad in ("!41", "caf!C3!A9", "a!2", "a!", "!!", "a/b", "a.b", "!c3", ""):
        with pytest.raises(ValueError):
            decode_id(bad)


def test_long_ids_are_cut_into_segments_that_parse_back():
    for value in ("x" * 600, "é" * 200, "a:" * 200):
        encoded = encode_id(value)
        assert len(segments(encoded)) > 1 and decode_id(encoded) == value
        gate = GateKey(value, value, value, 4, 2)
        assert parse_gate_key(gate.key("report.html")) == (gate, "report.html")


def test_layout_of_mapped_and_unmapped_gates():
    assert GateKey("d", "r", "t").folder == "d/r/t/try_1"
    assert GateKey("d", "r", "t", 2, 3).folder == "d/r/t/map_2/try_3"
    assert run_folder("d", "nightly-1") == "d/nightly-1"
    assert GateKey("d", "r", "t", 2).label == "t[2]" and GateKey("d", "r", "t").label == "t"
    # a task may be named like a layout folder: the position decides
    assert parse_gate_file("map_0/try_1/result.json").task_id == "map_0"
    assert parse_gate_file("try_1/map_0/try_1/result.json").map_index == 0
    for bad in (
        "t/try_0/result.json",
        "t/try_01/result.json",
        "t/map_-1/try_1/result.json",
        "t/result.json",
        "t/try_1/x/result.json",
        "t.x/try_1/result.json",
        "t/try_1/.hidden",
    ):
        assert parse_gate_file(bad) is None, bad
    with pytest.raises(ValueError):
        GateKey("d", "r", "t", -2)
    with pytest.raises(ValueError):
        gate_folder("t", try_number=0)


def test_latest_try_per_task_instance():
    keys = [
        "a/try_1/result.json",
        "a/try_2/result.json",
        "a/try_3/report.html",  # try 3 never committed
        "b/map_0/try_1/result.json",
        "b/map_1/try_2/result.json",
        "b/map_1/try_1/result.json",
    ]
    assert latest_tries(keys) == {
        ("a", -1): (2, "a/try_2/result.json"),
        ("b", 0): (1, "b/map_0/try_1/result.json"),
        ("b", 1): (2, "b/map_1/try_2/result.json"),
    }


def test_run_layout_is_the_one_api_for_keys():
    run = RunLayout.of_run("café", "r")
    gate = run.gate("t", 2, 3)
    assert gate == RunLayout.of_gate("café", "r", "t", 2, 3) and gate.folder == "caf!c3!a9/r/t/map_2/try_3"
    assert gate.result_key == "caf!c3!a9/r/t/map_2/try_3/result.json"
    assert gate.report_key.endswith("/report.html") and gate.evidence_key.endswith("/evidence.parquet")
    assert gate.table_key("accepted") == "caf!c3!a9/r/t/map_2/try_3/accepted.parquet"
    assert run.summary_key == "caf!c3!a9/r/summary.html" and RunLayout().summary_key == "summary.html"
    assert RunLayout.of_dag("café").folder == "caf!c3!a9" and run.listing == "caf!c3!a9/r/"
    assert run.latest_results([gate.result_key, "caf!c3!a9/r10/t/try_1/result.json"]) == {
        ("t", 2): (3, gate.result_key)
    }
    assert RunLayout.parse_gate_key(gate.report_key) == (GateKey("café", "r", "t", 2, 3), "report.html")
    assert gate.is_result_uri("s3://bucket/root/" + gate.result_key)
    assert not gate.is_result_uri("s3://bucket/root/" + run.gate("t", 2, 4).result_key)
    assert RunLayout.split_uri("C:\\x\\result.json") == ("C:/x", "result.json")
    assert RunLayout.label("t", 2) == "t[2]" and RunLayout.of_gate("café", "r", "t", 2, 3).folder == gate.folder
