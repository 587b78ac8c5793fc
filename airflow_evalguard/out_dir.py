"""The CLI's --out directory: refused when it already holds files, unless --overwrite, which
empties it (its contents only, never the directory itself) and only when it is recognisably an
earlier EvalGuard output: a result.json with an `evalguard.result/...` schema and nothing but the
regular files a run writes. Never through a symlink, never /, home, the current directory or
their parents, never when it holds something the run reads."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.params_file import values_in

RESULT_SCHEMA_PREFIX = "evalguard.result/"
_RESULT_JSON_MAX_BYTES = 64 << 20  # far above any real result.json; bounds what we read to decide
# What a run writes at the top of --out (store/artifacts.py): result.json, report.html, tables as
# NAME.parquet, summary.html; LocalStore's temp files are `.{name}.{16 hex}.tmp`.
_OUTPUT_NAME = r"(?:result\.json|report\.html|summary\.html|[^./][^/]*\.parquet)"
_OUTPUT_FILE = re.compile(rf"{_OUTPUT_NAME}|\.{_OUTPUT_NAME}\.[0-9a-f]{{16}}\.tmp")


def _dangerous(target: Path) -> str | None:
    """Why emptying `target` would be a disaster, or None. `target` is resolved (symlinks followed)."""
    home = Path.home().resolve()
    cwd = Path.cwd().resolve()
    if target == Path(target.anchor):
        return "the filesystem root"
    if target == home or home.is_relative_to(target):
        return "the home directory or one of its parents"
    if target == cwd or cwd.is_relative_to(target):
        return "the current directory or one of its parents"
    return None


def _through_symlink(path: Path) -> bool:
    """True when `path` is, or passes through, a symlink: its real path differs from its absolute,
    lexically normalised one (`link/..` is not the link's parent). A link may point anywhere (/etc,
    a database folder); emptying it would empty that."""
    return path.resolve() != Path(os.path.abspath(path))


def _not_an_evalguard_output(target: Path) -> str | None:
    """Why `target` does not look like an earlier EvalGuard output, or None when it does."""
    for entry in os.scandir(target):
        if not entry.is_file(follow_symlinks=False):
            kind = "a symlink" if entry.is_symlink() else "a directory" if entry.is_dir() else "not a regular file"
            return f"{entry.name!r} is {kind}"
        if not _OUTPUT_FILE.fullmatch(entry.name):
            return f"it holds {entry.name!r}"
    result = target / "result.json"
    if not result.is_file() or result.is_symlink():
        return "it holds no result.json"
    if result.stat().st_size > _RESULT_JSON_MAX_BYTES:
        return "its result.json is too large to be one"
    try:
        schema = json.loads(result.read_bytes()).get("schema")
    except (ValueError, AttributeError, RecursionError):  # not JSON, not UTF-8, not an object
        return "its result.json is not an EvalGuard result"
    if not (isinstance(schema, str) and schema.startswith(RESULT_SCHEMA_PREFIX)):
        return "its result.json is not an EvalGuard result"
    return None


def _refuse_to_empty(out: str, path: Path) -> None:
    """The checks that hold both before the run and again right before emptying."""
    if _through_symlink(path):
        raise EvalGuardInputError(
            f"--out {out}: will not empty a directory reached through a symlink "
            f"({os.path.abspath(path)} is really {path.resolve()})"
        )
    reason = _not_an_evalguard_output(path)
    if reason:
        raise EvalGuardInputError(f"--out {out}: will not empty a directory that is not an EvalGuard output ({reason})")


def _strings_in(value: Any) -> Iterable[str]:

    return (item for item in values_in(value) if isinstance(item, str))


def _existing_paths(strings: Iterable[str]) -> list[Path]:
    """The strings that name an existing file or directory (param values that are paths)."""
    found = []
    for text in strings:
        if not text or len(text) > 4096 or "\0" in text:
            continue
        try:
            path = Path(text).expanduser()
            if os.path.lexists(path):
                found.append(path)
        except (OSError, ValueError, RuntimeError):  # too long a component, no such user for ~x
            continue
    return found


def _inside(path: Path, target: Path) -> bool:
    absolute = Path(os.path.abspath(path))
    return absolute.is_relative_to(target) or absolute.resolve().is_relative_to(target)


def check_out_dir(out: str, *, overwrite: bool, keep: Iterable[str] = (), params: dict[str, Any] | None = None) -> Path:
    """Validate --out before anything runs: exit 2 now rather than after the check. `keep`: local
    paths the run reads (inputs, params file) that emptying --out must not delete; so must any
    existing file or directory a param value (or a string nested in one) names."""
    given = Path(out).expanduser()
    target = given.resolve()
    if target.exists() and not target.is_dir():
        raise EvalGuardInputError(f"--out {out}: exists and is not a directory")
    if not target.exists() or not any(target.iterdir()):
        return target
    if not overwrite:
        raise EvalGuardInputError(f"--out {out}: directory is not empty; pass --overwrite to replace its contents")
    reason = _dangerous(target)
    if reason:
        raise EvalGuardInputError(f"--out {out}: refusing to empty {reason} ({target})")
    read = [Path(path).expanduser() for path in keep] + _existing_paths(_strings_in(params or {}))
    for path in read:
        if _inside(path, target):
            raise EvalGuardInputError(f"--out {out}: refusing to empty it: it holds {path}, which this run reads")
    _refuse_to_empty(out, given)
    return target


def empty_out_dir(target: Path) -> None:
    """Remove the files `target` holds (checked by check_out_dir with overwrite=True). Checked
    again first: the run took a while, and what --out holds or points to may have changed."""
    if not any(target.iterdir()):
        return
    _refuse_to_empty(str(target), target)
    for entry in os.scandir(target):
        os.unlink(entry.path)  # regular files only (just checked): nothing is followed or recursed into
