"""Atomic output: write to a temporary file (or folder) beside the target, then rename.

A crash, a full disk or Ctrl-C mid-write leaves the previous file (or none) in place,
never a half-written one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from graph.errors import OutputError


@contextlib.contextmanager
def atomic_write(path: Path, *, binary: bool = False, newline: str | None = None) -> Iterator[IO]:
    """Open a temporary file for writing; on success it replaces `path` in one rename."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(f"cannot write to {path.parent}: {err.strerror or err}") from err
    tmp = Path(tmp_name)
    try:
        mode = "wb" if binary else "w"
        encoding = None if binary else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from err
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """Make a temporary folder beside `path` to write files into; on success it takes
    `path`'s place (a folder there before is removed), so readers see the old folder or
    the new one, never a half-written one."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    except OSError as err:
        raise OutputError(f"cannot write to {path.parent}: {err.strerror or err}") from err
    old = tmp.with_name(tmp.name[: -len(".tmp")] + ".old")
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        if path.is_dir() and not path.is_symlink():
            # A folder cannot be renamed over a folder: the old one steps aside first.
            os.replace(path, old)
        os.replace(tmp, path)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from err
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
