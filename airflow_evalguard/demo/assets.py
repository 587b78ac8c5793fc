"""Assets of the "gates around a DAG you do not own" demo (airflow.sdk only: DAG files import this).

Plain names, no URI scheme: a URI with a scheme makes Airflow ask every provider for a URI
normalizer at parse time, which imports boto3 into the DAG processor's parse loop.
"""

from airflow.sdk import Asset

# Written by the existing eval DAG (evalguard_asset_eval): its event's extra names the files.
EVAL_RESULTS = Asset("evalguard_demo_eval_results")
# Written by the gate DAG (evalguard_asset_gates) only when every gate passed or warned.
VALIDATED = Asset("evalguard_demo_eval_validated")
