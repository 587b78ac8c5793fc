"""JudgeSnapshotSensor: hold an eval until the judge endpoint serves the pinned snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow_evalguard.compat import Context
from airflow_evalguard.sensors.polling import DeferrablePollingSensor
from airflow_evalguard.triggers.snapshot_source import callable_source, http_source


class JudgeSnapshotSensor(DeferrablePollingSensor):
    """Wait until a judge endpoint reports a pinned snapshot id, so an eval never runs on a judge
    that silently changed. Deferrable by default: while waiting it frees its worker slot.

    Give exactly one source:
    :param snapshot_callable: ``package.module:function`` returning the current snapshot id
        (called with ``callable_kwargs``); it must be importable on workers and the triggerer.
    :param http_conn_id: an Airflow HTTP connection; with ``endpoint`` (GET) and ``snapshot_key``
        (dotted path into the JSON response, e.g. ``model`` or ``data.0.id``).
    :param pinned_judge: the snapshot id, or a list of accepted ids (templated).
    :param deferrable: wait in the triggerer (default) rather than in a worker slot.
    ``timeout``, ``soft_fail``, ``mode`` and ``poke_interval`` behave as in Airflow's own sensors.
    A failed read (endpoint down) is logged and retried while deferred.
    """

    condition_path = "airflow_evalguard.triggers.snapshot_source:snapshot_is_pinned"
    waiting_for = "the judge serving a pinned snapshot"
    template_fields: Sequence[str] = ("pinned_judge", "callable_kwargs", "endpoint")
    ui_color = "#e8d8f8"

    def __init__(
        self,
        *,
        pinned_judge: str | list[str],
        snapshot_callable: str | None = None,
        callable_kwargs: dict[str, Any] | None = None,
        http_conn_id: str | None = None,
        endpoint: str | None = None,
        snapshot_key: str = "model",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if (snapshot_callable is None) == (http_conn_id is None):
            raise ValueError("JudgeSnapshotSensor needs exactly one of snapshot_callable or http_conn_id")
        if http_conn_id is not None and not endpoint:
            raise ValueError("JudgeSnapshotSensor: http_conn_id needs an endpoint")
        self.pinned_judge = pinned_judge
        self.snapshot_callable = snapshot_callable
        self.callable_kwargs = dict(callable_kwargs or {})
        self.http_conn_id = http_conn_id
        self.endpoint = endpoint
        self.snapshot_key = snapshot_key

    @property
    def _pinned(self) -> list[str]:
        return [self.pinned_judge] if isinstance(self.pinned_judge, str) else [str(p) for p in self.pinned_judge]

    def condition_kwargs(self) -> dict:
        if self.snapshot_callable is not None:
            source = callable_source(self.snapshot_callable, self.callable_kwargs)
        elif self.http_conn_id is not None and self.endpoint is not None:
            source = http_source(self.http_conn_id, self.endpoint, self.snapshot_key)
        else:  # refused in __init__ already; kept for the type checker and for subclasses
            raise ValueError("JudgeSnapshotSensor needs snapshot_callable or http_conn_id and endpoint")
        return {"source": source, "pinned": self._pinned}

    def execute_complete(self, context: Context, event: dict[str, Any] | None = None) -> str:
        super().execute_complete(context, event)
        return str((event or {})["snapshot"])
