"""`evalguard_gates`, where DAG files written before it moved still import it from.

It lives with the operators (airflow_evalguard/operators/gates_group.py): this module only points
there, so the import runs one way (taskgroups -> operators), never back.
"""

from __future__ import annotations

from airflow_evalguard.operators.gates_group import evalguard_gates

__all__ = ["evalguard_gates"]
