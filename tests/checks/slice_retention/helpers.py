"""Small paired evaluations for slice_retention's part tests."""

import numpy as np
import pandas as pd

from airflow_evalguard.checks.slice_retention.spec import SPEC
from airflow_evalguard.io import TableInput


def params(**given):
    return SPEC.resolve_params({"slice_columns": ["slice"], **given})


def correct_pairs(cells_by_slice):
    """teacher/student tables from (both_wrong, fixed, lost, both_right) counts per slice: `lost` are
    examples the teacher got right and the student wrong."""
    rows = []
    for name, cells in cells_by_slice.items():
        for (teacher, student), count in zip([(0, 0), (0, 1), (1, 0), (1, 1)], cells, strict=True):
            rows += [(name, teacher, student)] * count
    frame = pd.DataFrame(rows, columns=["slice", "teacher", "student"])
    ids = np.arange(len(frame))
    teacher = pd.DataFrame({"example_id": ids, "slice": frame["slice"], "correct": frame["teacher"]})
    return teacher, teacher.assign(correct=frame["student"].to_numpy())


def tables(teacher, student, **extra):
    return {
        "teacher": TableInput("teacher", teacher),
        "student": TableInput("student", student),
        **{name: TableInput(name, frame) for name, frame in extra.items()},
    }


# Issue 20's report, rebuilt for correct_pairs: (both wrong, fixed by the student, lost by the
# student, both right) per slice. Rarest first it led with an improvement under "worst first".
ISSUE20_CELLS = {
    "rare": (20, 20, 6, 254),  # 300 pairs, the rarest measurable slice: improved by 14 / 300 = 4.7 points
    "mid": (150, 40, 50, 760),  # 1,000 pairs: a drop of 10 / 1,000 = 1.0 point, not significant
    "big": (800, 390, 145, 3665),  # 5,000 pairs: improved by 245 / 5,000 = 4.9 points
    "tiny": (2, 0, 1, 9),  # 12 pairs: below min_n 30, cannot be settled
}
