"""OpenLineage facets and asset-event extras from a result; lineage never fails a gate."""

import pytest

from airflow_evalguard.lineage import asset_extra, operator_lineage
from tests.report.hostile import hostile_result


def _result():
    data = hostile_result().to_dict()
    data["inputs"] = [
        {"name": "teacher", "uri": "s3://evals/run1/teacher.parquet", "rows": 10, "sha256": "x"},
        {"name": "student", "uri": "/data/student.parquet", "rows": 10, "sha256": "y"},
        {"name": "frame", "uri": "dataframe:frame", "rows": 3, "sha256": "z"},
    ]
    data["artifacts"] = {"result": "s3://store/r/result.json"}
    return data


def test_asset_extra_is_small_and_names_the_result():
    extra = asset_extra(_result())
    assert extra["verdict"] == "FAIL" and extra["check"] == "slice_retention"
    assert extra["result_uri"] == "s3://store/r/result.json" and set(extra["metrics"]) == {
        "drop",
        "teacher",
        "slices_regressed",
    }


def test_data_quality_assertions_on_each_input():
    pytest.importorskip("airflow.providers.openlineage")
    lineage = operator_lineage(_result())
    assert [(d.namespace, d.name) for d in lineage.inputs] == [
        ("s3://evals", "run1/teacher.parquet"),
        ("file", "/data/student.parquet"),
    ]
    facet = lineage.inputs[0].inputFacets["dataQualityAssertions"]
    by_name = {a.assertion: a for a in facet.assertions}
    assert by_name["evalguard.slice_retention"].success is False
    assert by_name["slice_retention[category=c0]"].column == "category"
    assert by_name["slice_retention.SLICE_REGRESSION"].success is False


def test_lineage_failure_is_swallowed(monkeypatch):
    pytest.importorskip("airflow.providers.openlineage")
    import airflow_evalguard.lineage as lineage

    def boom(result):
        raise RuntimeError("lineage backend exploded")

    monkeypatch.setattr(lineage, "assertions", boom)
    assert operator_lineage(_result()) is None
    assert operator_lineage(None) is None


def test_operator_exposes_lineage_after_execute():
    pytest.importorskip("airflow.providers.openlineage")
    from airflow_evalguard.operators import SliceRetentionGateOperator

    op = SliceRetentionGateOperator(task_id="g", teacher="t.parquet", student="s.parquet")
    assert op.get_openlineage_facets_on_complete(None) is None  # nothing ran yet
    op._evalguard_result = _result()
    assert len(op.get_openlineage_facets_on_complete(None).inputs) == 2
    assert op.get_openlineage_facets_on_failure(None) is not None
