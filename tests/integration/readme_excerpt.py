"""The README's code excerpts of an example DAG, checked against the DAG file itself."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def lines_not_in_dag(heading: str, dag_file: Path) -> list[str]:
    """The non-blank lines of the ```python blocks under README `heading` (up to the next `## `)
    that the DAG file does not hold ("..." marks an elision); fails when the section shows no code."""
    section = README.read_text(encoding="utf-8").split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, f"the README section {heading!r} shows no code"
    source = {line.strip() for line in dag_file.read_text(encoding="utf-8").splitlines()}
    shown = [line.strip() for block in blocks for line in block.splitlines()]
    return [line for line in shown if line and line != "..." and line not in source]
