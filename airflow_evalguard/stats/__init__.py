"""Statistics shared by the checks. Pure numpy/scipy; no Airflow import."""
