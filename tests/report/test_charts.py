"""report.charts: a forest colours a point by which side of the reference its interval lies on."""

from airflow_evalguard.report.charts import BETTER, UNDECIDED, WORSE, forest

IMPROVED = ("slice=rare", -0.047, -0.082, -0.014)  # teacher - student: the student got better
LOST = ("slice=tool_use", 0.15, 0.11, 0.19)
UNSURE = ("slice=mid", 0.01, -0.009, 0.029)


def _colours(svg: str) -> set[str]:
    return {colour for colour in (WORSE, BETTER, UNDECIDED) if f"fill: {colour}" in svg}


def test_an_improvement_is_never_drawn_as_a_loss_when_larger_is_worse():
    assert _colours(forest([IMPROVED], "t", "drop", worse="above")) == {BETTER}
    assert _colours(forest([LOST], "t", "drop", worse="above")) == {WORSE}
    assert _colours(forest([UNSURE], "t", "drop", worse="above")) == {UNDECIDED}
    assert _colours(forest([LOST], "t", "gain", worse="below")) == {BETTER}


def test_a_departure_either_way_is_red_when_both_sides_are_worse():
    assert _colours(forest([IMPROVED, LOST], "t", "SMD")) == {WORSE}
    assert _colours(forest([IMPROVED], "t", "value", ref=None)) == {UNDECIDED}
