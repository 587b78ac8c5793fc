"""The few offending values an input error quotes, whatever types the column mixes."""

from __future__ import annotations

import pandas as pd

from airflow_evalguard.pii.messages import redacted

MAX_VALUE_CHARS = 40


def offending_values(values: pd.Series, limit: int = 10) -> list[str]:
    """Up to `limit` distinct offending values as short strings, sorted.

    Each value is turned into text one by one (missing values become 'None'/'nan' text): under
    pandas 3 `astype(str)` keeps missing values as floats, and sorting floats with strings
    raised a TypeError where an input error should have been. PII is redacted and long values
    are cut, so an error line never echoes a whole cell or what it should not.
    """
    texts = sorted({str(value) for value in values.tolist()})[:limit]
    # Redacted before cut: a key cut in half would no longer be recognised as one.
    texts = [redacted(text) for text in texts]
    return [text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "..." for text in texts]
