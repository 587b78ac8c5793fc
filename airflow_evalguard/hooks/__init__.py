"""Readers and other shell pieces that hold an Airflow connection (the Airflow boundary)."""
