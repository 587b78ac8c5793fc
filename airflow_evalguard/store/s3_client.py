"""The one place an S3Hook is made, so inputs and artifacts share connection handling."""

from __future__ import annotations


def s3_hook(aws_conn_id: str | None):
    # Imported here: the amazon provider costs ~1.7 s to import, never paid at DAG parse time.
    from airflow.providers.amazon.aws.hooks.s3 import S3Hook

    return S3Hook(aws_conn_id=aws_conn_id)
