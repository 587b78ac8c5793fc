"""Inputs as a check reads them: `TableInput` (one named input: a DataFrame, a local path or an
s3:// URI read through the shell's reader), formats, and input fingerprints."""

from airflow_evalguard.io.formats import FORMATS, detect_format
from airflow_evalguard.io.table import TableInput

__all__ = ["FORMATS", "TableInput", "detect_format"]
