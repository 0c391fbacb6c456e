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

from voicecoach.errors import UsageError, WriteError


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
        UsageError: `target` is a folder, its folder does not exist, or no file can be made there.
        WriteError: writing or renaming failed (disk full, ...): `target` is left as it was.
    """
    if make_dirs:
        target.parent.mkdir(parents=True, exist_ok=True)
    claimed: list[Path] = []  # its name, known before the file exists: a Ctrl-C at any moment leaves nothing
    try:
        tmp_path = _temporary_beside(target, suffix, claimed)
        mode = _mode_for(target)
        yield tmp_path
        os.chmod(tmp_path, mode)
        if sync:
            with open(tmp_path, "rb+") as f:
                os.fsync(f.fileno())
        os.replace(tmp_path, target)
    except OSError as exc:
        _remove(claimed)
        raise WriteError(f"voicecoach: error: could not write {target}: {_reason(exc)}; it is left as it was") \
            from None
    except BaseException:
        _remove(claimed)
        raise


def _remove(claimed: list[Path]) -> None:
    for path in claimed:
        path.unlink(missing_ok=True)


def check_writable(target: Path) -> None:
    """Whether a file can be written at `target` (before minutes of work go into it): a temporary
    file is made beside it and removed.

    Raises:
        UsageError: `target` is a folder, its folder does not exist, or no file can be made there.
    """
    claimed: list[Path] = []
    try:
        _temporary_beside(target, "", claimed)
    finally:
        _remove(claimed)


def _temporary_beside(target: Path, suffix: str, claimed: list[Path]) -> Path:
    """A new empty file in `target`'s folder, its name put in `claimed` before it is made (so the
    cleanup knows it wherever an interrupt lands; a mask on signals would not do: another thread
    takes them), or a usage error that says why there cannot be one."""
    import secrets

    if target.is_dir():
        raise UsageError(f"voicecoach: error: cannot write {target}: it is a folder; give a file name in it")
    if not target.parent.is_dir():
        why = f"{target.parent} is a file, not a folder" if target.parent.exists() else \
            f"the folder {target.parent} does not exist"
        raise UsageError(f"voicecoach: error: cannot write {target}: {why}")
    while True:
        path = target.parent / f".{target.name}.{secrets.token_hex(4)}{suffix or '.tmp'}"
        if os.path.lexists(path):
            continue
        claimed.append(path)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # made by someone else just now: not ours to remove
            claimed.remove(path)
            continue
        except OSError as exc:
            claimed.remove(path)
            raise UsageError(f"voicecoach: error: cannot write {target}: {_reason(exc)}") from None
        os.close(fd)
        return path


def _reason(exc: OSError) -> str:
    """An OSError in a few plain words: "permission denied", "read-only file system"."""
    import errno
    words = {errno.EACCES: "permission denied", errno.EPERM: "permission denied",
             errno.EROFS: "the file system is read-only", errno.ENOSPC: "the disk is full",
             errno.EDQUOT: "the disk quota is used up", errno.ENOENT: "no file can be made in that folder",
             errno.EISDIR: "it is a folder"}
    return words.get(exc.errno or 0, (exc.strerror or str(exc)).lower())


def write_atomic(target: Path, data: bytes, *, make_dirs: bool = False, sync: bool = True) -> None:
    """Write `data` to `target` atomically (see `atomic_path`)."""
    with atomic_path(target, make_dirs=make_dirs, sync=sync) as tmp:
        tmp.write_bytes(data)
