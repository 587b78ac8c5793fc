"""LatencyWindowSensor: hold training out of the protected morning, and until the interactive
tail is calm."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow_evalguard.sensors.polling import DeferrablePollingSensor


class LatencyWindowSensor(DeferrablePollingSensor):
    """Wait until now is outside every protected window and, when ``latency_callable`` is given,
    the latency class has been under ``slo_ms`` for ``stable_for_s``. Put it in front of a
    training task that shares a GPU pool with inference.

    :param protected_windows: daily local windows, e.g. ``["07:00-11:00"]`` (may cross midnight).
    :param timezone: IANA zone of the windows, e.g. ``"Europe/Berlin"`` (DST handled).
    :param latency_callable: ``package.module:function`` called with ``latency_class`` and
        ``window_s`` (plus ``callable_kwargs``); returns the class's p99 in ms over the trailing
        ``window_s`` seconds. ``airflow_evalguard.sensors.latency_sources:p99_from_table`` reads it
        from a request log.
    :param slo_ms: the p99 target the class must be under (needed with ``latency_callable``).
    While inside a window it sleeps until the window ends (capped at ``poke_interval``) rather
    than polling. ``timeout``, ``soft_fail``, ``mode``, ``poke_interval`` and ``deferrable``
    behave as in Airflow's own sensors.
    """

    condition_path = "airflow_evalguard.triggers.latency_window:outside_windows_and_calm"
    waiting_for = "leaving the protected windows with a calm tail"
    template_fields: Sequence[str] = ("protected_windows", "callable_kwargs")
    ui_color = "#d8ecf8"

    def __init__(
        self,
        *,
        protected_windows: list[str] | str,
        timezone: str = "UTC",
        latency_callable: str | None = None,
        callable_kwargs: dict | None = None,
        slo_ms: float | None = None,
        stable_for_s: float = 600.0,
        latency_class: str = "interactive",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        from airflow_evalguard.timewindows import parse_windows, zone

        if not isinstance(protected_windows, str):  # a Jinja template is checked when it is rendered
            parse_windows(protected_windows)  # a malformed window is a DAG error, found at parse time
        zone(timezone)
        if latency_callable is not None and slo_ms is None:
            raise ValueError("LatencyWindowSensor: latency_callable needs slo_ms")
        self.protected_windows = protected_windows if isinstance(protected_windows, str) else list(protected_windows)
        self.timezone = timezone
        self.latency_callable = latency_callable
        self.callable_kwargs = dict(callable_kwargs or {})
        self.slo_ms = slo_ms
        self.stable_for_s = float(stable_for_s)
        self.latency_class = latency_class

    def condition_kwargs(self) -> dict:
        return {
            "windows": self.protected_windows,
            "timezone": self.timezone,
            "latency_callable": self.latency_callable,
            "callable_kwargs": self.callable_kwargs,
            "slo_ms": self.slo_ms,
            "stable_for_s": self.stable_for_s,
            "latency_class": self.latency_class,
        }
