"""Local paths versus s3:// URIs, split as urllib does."""

import pytest

from airflow_evalguard.uri import is_s3, split_s3


def test_is_s3():
    assert is_s3("s3://bucket/key")
    assert not is_s3("/data/s3://not-a-uri")
    assert not is_s3("S3://bucket/key")  # the scheme is matched as written
    assert not is_s3("file:///tmp/x")


@pytest.mark.parametrize(
    ("uri", "expected"),
    [("s3://bucket/some/key.csv", ("bucket", "some/key.csv")), ("s3://bucket", ("bucket", "")), ("s3://b/", ("b", ""))],
)
def test_split_s3(uri, expected):
    assert split_s3(uri) == expected


@pytest.mark.parametrize("uri", ["s3:///key", "/local/path", "gs://bucket/key"])
def test_split_s3_refuses_what_is_not_an_s3_uri(uri):
    with pytest.raises(ValueError, match="not an s3:// URI"):
        split_s3(uri)
