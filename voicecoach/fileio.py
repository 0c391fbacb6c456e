"""Atomic file writes: a temporary file in the same directory, fsynced, renamed into place, with
the permissions an ordinary write would give it (the umask for a new file, the old file's own).

Imports: voicecoach.errors.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from voicecoach.errors import UsageError


def _umask() -> int:
    """The process's umask, read without changing it (os.umask would, for a moment, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(target: Path) -> int:
    """The permission bits `target` gets: those it has, or those a new file would get."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_path(target: Path, suffix: str = "", *, make_dirs: bool = False, sync: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`, on any error it is removed.

    The caller writes the temporary file; nothing is ever left half-written at `target`. The
    folder must exist unless `make_dirs` (for voicecoach's own caches): a user's mistyped
    folder is an error, not a new folder. `sync=False` skips the fsync: the file still replaces
    `target` whole, and survives the process being killed, but not a power cut.

    Raises:
        UsageError: the folder of `target` does not exist.
    """
    import tempfile  # ~9 ms (shutil, random, bz2, lzma): only when a file is written

    if make_dirs:
        target.parent.mkdir(parents=True, exist_ok=True)
    elif not target.parent.is_dir():
        raise UsageError(f"voicecoach: error: cannot write {target}: there is no folder {target.parent}")
    mode = _mode_for(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or ".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, mode)
        if sync:
            with open(tmp_path, "rb+") as f:
                os.fsync(f.fileno())
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_atomic(target: Path, data: bytes, *, make_dirs: bool = False, sync: bool = True) -> None:
    """Write `data` to `target` atomically (see `atomic_path`)."""
    with atomic_path(target, make_dirs=make_dirs, sync=sync) as tmp:
        tmp.write_bytes(data)
