"""The CLI's --out directory: refused when it already holds files, unless --overwrite, which
empties it (its contents only, never the directory itself) and never a dangerous target."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from airflow_evalguard.exceptions import EvalGuardInputError


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


def check_out_dir(out: str, *, overwrite: bool, keep: list[str] = ()) -> Path:
    """Validate --out before anything runs: exit 2 now rather than after the check. `keep`:
    local paths the run reads (inputs, params file) that emptying --out must not delete."""
    target = Path(out).expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise EvalGuardInputError(f"--out {out}: exists and is not a directory")
    if not target.exists() or not any(target.iterdir()):
        return target
    if not overwrite:
        raise EvalGuardInputError(f"--out {out}: directory is not empty; pass --overwrite to replace its contents")
    reason = _dangerous(target)
    if reason:
        raise EvalGuardInputError(f"--out {out}: refusing to empty {reason} ({target})")
    for path in keep:
        resolved = Path(path).expanduser().resolve()
        if resolved.is_relative_to(target):
            raise EvalGuardInputError(f"--out {out}: refusing to empty it: it holds {path}, which this run reads")
    return target


def empty_out_dir(target: Path) -> None:
    """Remove what `target` holds (checked by check_out_dir with overwrite=True). Symlinks are
    removed, never followed: a link to a directory elsewhere leaves that directory alone."""
    for entry in target.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            os.unlink(entry)
