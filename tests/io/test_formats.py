"""The missing-column message: the parameter that names a column where a check has one."""

from airflow_evalguard.io.formats import missing_columns


def test_a_missing_column_named_by_a_parameter_says_which_to_set():
    assert missing_columns(["ts"], {"ts": "timestamp_column"}) == (
        "missing column(s) ['ts'] (set timestamp_column=... or map it with columns={'ts': '<your column>'})"
    )


def test_several_missing_columns_name_each_parameter_and_one_mapping():
    text = missing_columns(["oid", "correct"], {"oid": "id_column"})
    assert text.startswith("missing column(s) ['oid', 'correct'] (set id_column=... for 'oid' or map them with ")
    assert text.endswith("columns={'oid': '<your column>', 'correct': '<your column>'})")


def test_a_column_no_parameter_names_is_mapped():
    assert (
        missing_columns(["label"], {}) == "missing column(s) ['label'] (map it with columns={'label': '<your column>'})"
    )
