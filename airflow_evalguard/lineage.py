"""What a gate tells downstream: the asset event's `extra`, and an OpenLineage facet.

OpenLineage is optional: everything here imports it lazily, and a lineage failure is logged,
never raised (lineage must not fail a gate).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlparse

if TYPE_CHECKING:
    from airflow.providers.openlineage.extractors import OperatorLineage

log = logging.getLogger(__name__)

HEADLINE_METRICS = 12
MAX_ASSERTIONS = 200
PASSING = ("PASS", "WARN")


def asset_extra(result: dict) -> dict:
    """{check, verdict, summary, headline metrics, result URI}: small, JSON, enough to decide on."""
    metrics = {}
    for name, m in list(result.get("metrics", {}).items())[:HEADLINE_METRICS]:
        metrics[name] = {k: m[k] for k in ("value", "ci_low", "ci_high") if k in m}
    return {
        "check": result.get("check"),
        "verdict": result.get("verdict"),
        "summary": result.get("summary"),
        "metrics": metrics,
        "result_uri": (result.get("artifacts") or {}).get("result"),
        "report_uri": (result.get("artifacts") or {}).get("report"),
    }


def _dataset_id(uri: str) -> tuple[str, str] | None:
    if uri.startswith("dataframe:"):
        return None
    parsed = urlparse(uri)
    if parsed.scheme == "s3":
        return f"s3://{parsed.netloc}", parsed.path.lstrip("/")
    return "file", uri


def _column(slice_label: str) -> str | None:
    first = slice_label.split(",", 1)[0]
    return first.split("=", 1)[0] if "=" in first else None


def assertions(result: dict) -> list:
    # OpenLineage is an optional provider: imported only when lineage is asked for (see operator_lineage)
    from openlineage.client.generated.data_quality_assertions_dataset import Assertion

    check, verdict = result.get("check"), result.get("verdict")
    out = [
        Assertion(
            assertion=f"evalguard.{check}",
            success=verdict in PASSING,
            severity="error",
            description=str(result.get("summary", ""))[:1000],
            actual=verdict,
        )
    ]
    for name, m in result.get("metrics", {}).items():
        out.append(Assertion(assertion=f"{check}.{name}", success=verdict in PASSING, actual=str(m.get("value"))))
    for s in result.get("slices", []):
        out.append(
            Assertion(
                assertion=f"{check}[{s['slice']}]",
                success=s["verdict"] in PASSING,
                column=_column(s["slice"]),
                actual=s["verdict"],
            )
        )
    for f in result.get("findings", []):
        out.append(
            Assertion(
                assertion=f"{check}.{f['code']}",
                success=f["severity"] != "fail",
                severity={"fail": "error", "warn": "warn"}.get(f["severity"], "info"),
                description=str(f["message"])[:1000],
            )
        )
    return out[:MAX_ASSERTIONS]


def operator_lineage(result: dict | None) -> OperatorLineage | None:
    """OperatorLineage with a DataQualityAssertions facet on each input; None when OpenLineage is
    not installed or anything goes wrong."""
    if not result:
        return None
    try:  # lazily: the OpenLineage provider is optional, and absent means no lineage, not an error
        from airflow.providers.openlineage.extractors import OperatorLineage
        from openlineage.client.event_v2 import InputDataset
        from openlineage.client.generated.data_quality_assertions_dataset import DataQualityAssertionsDatasetFacet
    except ImportError:
        return None
    try:
        facet = DataQualityAssertionsDatasetFacet(assertions=assertions(result))
        inputs = []
        for i in result.get("inputs", []):
            ident = _dataset_id(i.get("uri", ""))
            if ident is not None:
                inputs.append(
                    InputDataset(namespace=ident[0], name=ident[1], inputFacets={"dataQualityAssertions": facet})
                )
        return OperatorLineage(inputs=inputs)
    except Exception:  # noqa: BLE001 - lineage never fails a gate
        log.warning("EvalGuard: OpenLineage facets could not be built", exc_info=True)
        return None
