"""The report view mounted in Airflow's API server (a FastAPI sub-application of the plugin)."""
