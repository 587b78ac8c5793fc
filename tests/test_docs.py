"""The documentation builds, covers every check, and the README's links into docs/ resolve.

`mkdocs build --strict` fails on a broken link or anchor, a page missing from the navigation, and
(through docs/hooks/spec_tables.py) a spec marker naming an unknown check, so building the site
here keeps the docs honest as the code moves.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from markdown.extensions.toc import slugify
from mkdocs.exceptions import PluginError

from airflow_evalguard.checks import check_names, get_check

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
MARKER = "<!-- evalguard:spec {name} -->"
LINK = re.compile(r"\]\((?P<target>docs/[^)\s]+)\)")


def _hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("spec_tables", DOCS / "hooks" / "spec_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _headings(page: Path) -> set[str]:
    """The anchors mkdocs gives the page's headings (outside fenced code)."""
    anchors, fenced = set(), False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (match := re.match(r"#{1,6}\s+(.*)", line)):
            anchors.add(slugify(match.group(1).strip(), "-"))
    return anchors


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(ROOT / "mkdocs.yml"),
            "--site-dir",
            str(site),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    for name in check_names():
        page = site / "checks" / name / "index.html"
        assert page.is_file(), f"no built page for {name}"
        html = page.read_text(encoding="utf-8")
        assert "evalguard:spec" not in html, f"{name}: the spec marker was not replaced"
        for param in get_check(name).describe()["params"]:
            assert f"<code>{param}</code>" in html, f"{name}: parameter {param} missing from the generated table"


@pytest.mark.parametrize("name", check_names())
def test_every_check_has_a_page_with_the_spec_marker(name: str) -> None:
    page = DOCS / "checks" / f"{name}.md"
    assert page.is_file(), f"check {name} has no page docs/checks/{name}.md"
    assert MARKER.format(name=name) in page.read_text(encoding="utf-8").splitlines(), (
        f"docs/checks/{name}.md lacks a line '{MARKER.format(name=name)}'"
    )


def test_an_unknown_check_in_a_marker_fails_the_build() -> None:
    hook = _hook()
    with pytest.raises(PluginError, match="no_such_check"):
        hook.on_page_markdown("text\n\n<!-- evalguard:spec no_such_check -->\n", page=None, config=None, files=None)


def test_a_marker_quoted_in_prose_is_left_alone() -> None:
    text = "Write `<!-- evalguard:spec <check> -->` on its own line.\n"
    assert _hook().on_page_markdown(text, page=None, config=None, files=None) == text


def test_readme_links_into_docs_resolve() -> None:
    targets = [match.group("target") for match in LINK.finditer(README.read_text(encoding="utf-8"))]
    assert targets, "the README links nowhere into docs/"
    for target in targets:
        path, _, anchor = target.partition("#")
        page = ROOT / path
        assert page.is_file(), f"README links to {target}, which does not exist"
        if anchor:
            assert anchor in _headings(page), f"README links to {target}: no heading with that anchor"


def test_readme_links_every_check_page() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [name for name in check_names() if f"](docs/checks/{name}.md)" not in text]
    assert not missing, f"the README does not link the pages of {missing}"
