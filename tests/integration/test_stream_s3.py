"""Streaming aggregation of parquet on a real S3-compatible server (SeaweedFS on 127.0.0.1):
record batches read through pyarrow's S3 filesystem with the Airflow connection's credentials
and endpoint, and the same aggregates as from the local file."""

import io

import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.hooks.s3_reader import S3HookReader
from airflow_evalguard.sources import stream
from tests.sources.same import same
from tests.sources.test_equivalence import DIMS, TZ, _sw

pytestmark = pytest.mark.integration


def _put(client, bucket, key, frame, row_group_size):
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False, row_group_size=row_group_size)
    client.put_object(Bucket=bucket, Key=key, Body=buf.getvalue())


def test_sampling_window_counts_streamed_from_s3(s3_server, bucket, tmp_path):
    from airflow_evalguard.demo.data import eval_sample, production_traffic, reference_counts

    traffic = production_traffic(20_000, seed=21)
    rows = eval_sample(traffic, 3000, fault="cron_window", seed=21)
    client = s3_server.client()
    # two files under one prefix: a dataset of parts, as a warehouse export writes it
    _put(client, bucket, "exports/sample/part-0.parquet", rows.iloc[:1700], 500)
    _put(client, bucket, "exports/sample/part-1.parquet", rows.iloc[1700:], 500)
    from_s3 = stream.sampling_window_counts(
        f"s3://{bucket}/exports/sample", dimensions=DIMS, timezone=TZ, reader=S3HookReader()
    )
    assert int(from_s3["count"].sum()) == len(rows)
    reference = reference_counts(traffic)
    same(_sw(rows, reference), _sw(from_s3, reference))


def test_generic_counts_from_s3_equal_pandas(s3_server, bucket):
    from airflow_evalguard.demo.instruments import labeler_batches

    labels, _ = labeler_batches(None, seed=2)
    _put(s3_server.client(), bucket, "labels.parquet", labels, 300)
    got = stream.counts(f"s3://{bucket}/labels.parquet", ["batch", "item_id", "label"], reader=S3HookReader())
    expected = labels.groupby(["batch", "item_id", "label"]).size().rename("count").reset_index()
    key = ["batch", "item_id", "label"]
    pd.testing.assert_frame_equal(
        got.sort_values(key).reset_index(drop=True), expected.sort_values(key).reset_index(drop=True), check_dtype=False
    )


def test_missing_s3_object_is_a_clear_error(s3_server, bucket):
    with pytest.raises(EvalGuardInputError, match="nope/: no such file or directory"):
        stream.counts(f"s3://{bucket}/nope/", ["a"], reader=S3HookReader())
