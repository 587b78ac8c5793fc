"""Triggers for EvalGuard's deferrable sensors; they run in the Airflow triggerer."""
