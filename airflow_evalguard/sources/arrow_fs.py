"""A pyarrow filesystem for an input path: local, or S3 through the Airflow AWS connection (its
credentials, region and endpoint_url), so record batches stream from S3 without a full download."""

from __future__ import annotations

from urllib.parse import urlsplit

from airflow_evalguard.uri import is_s3, split_s3


def resolve(path: str, aws_conn_id: str | None = "aws_default"):
    """(filesystem or None for local, path as that filesystem names it)."""
    if not is_s3(path):
        return None, path
    import pyarrow.fs as pafs

    from airflow_evalguard.store.s3_client import s3_hook

    bucket, key = split_s3(path)
    hook = s3_hook(aws_conn_id)
    creds = hook.get_credentials()
    kwargs = {"access_key": creds.access_key, "secret_key": creds.secret_key, "session_token": creds.token,
              "region": hook.conn_region_name or "us-east-1"}
    endpoint = hook.conn_config.endpoint_url if hook.conn_config else None
    if endpoint:
        parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
        kwargs.update(endpoint_override=parts.netloc, scheme=parts.scheme)
    return pafs.S3FileSystem(**{k: v for k, v in kwargs.items() if v is not None}), f"{bucket}/{key}"
