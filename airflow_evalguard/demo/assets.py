"""Assets of the "gates around a DAG you do not own" demo (airflow.sdk only: DAG files import this)."""

from airflow.sdk import Asset

# Written by the existing eval DAG (evalguard_asset_eval): its event's extra names the files.
EVAL_RESULTS = Asset(name="evalguard_demo_eval_results", uri="evalguard://demo/eval_results")
# Written by the gate DAG (evalguard_asset_gates) only when every gate passed or warned.
VALIDATED = Asset(name="evalguard_demo_eval_validated", uri="evalguard://demo/eval_validated")
