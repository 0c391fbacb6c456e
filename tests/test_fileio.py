"""Atomic writes: a failure on the way is one line and leaves the file as it was."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from voicecoach.errors import UsageError, WriteError
from voicecoach.fileio import atomic_path, check_writable, write_atomic


def test_a_disk_that_fills_up_on_the_way_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "session.wav"
    target.write_bytes(b"old")
    with pytest.raises(WriteError) as e:
        with atomic_path(target):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert str(e.value) == f"voicecoach: error: could not write {target}: the disk is full; it is left as it was"
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["session.wav"]


def test_check_writable_leaves_nothing_behind_and_names_a_folder(tmp_path: Path) -> None:
    check_writable(tmp_path / "new.wav")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(UsageError, match="it is a folder"):
        write_atomic(tmp_path, b"x")


@pytest.mark.parametrize("probe", [False, True])
def test_ctrl_c_just_as_the_temporary_file_is_made_leaves_nothing_behind(tmp_path: Path, probe: bool,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import signal
    import threading
    opened = os.open

    def made_then_interrupted(path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
        fd = opened(path, flags, mode, **kw)
        if Path(path).name.startswith(".session.wav."):
            os.kill(os.getpid(), signal.SIGINT)  # lands before the descriptor is back with the caller
        return fd

    other = threading.Event()  # another thread alive, as in a render: a signal may be taken there
    helper = threading.Thread(target=other.wait, daemon=True)
    helper.start()
    monkeypatch.setattr(os, "open", made_then_interrupted)
    target = tmp_path / "session.wav"
    try:
        with pytest.raises(KeyboardInterrupt):
            if probe:
                check_writable(target)
            else:
                with atomic_path(target) as tmp:
                    tmp.write_bytes(b"new")
    finally:
        other.set()
    assert list(tmp_path.iterdir()) == []
