"""What the process needs around a session: C libraries' chatter kept off the user's terminal,
and SIGTERM and SIGHUP turned into a clean end. Standard library only (the entry point uses it
before anything else is imported).

Imports: voicecoach.errors (lazily, for `Terminated`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from types import FrameType

_silenced = False  # file descriptor 2 goes to /dev/null (see `c_stderr_silenced`)


@contextlib.contextmanager
def c_stderr_silenced() -> Iterator[None]:
    """Send what C libraries (ALSA, JACK, PortAudio) print on file descriptor 2 to /dev/null;
    our own messages and tracebacks still reach the real stderr through `sys.stderr`. Nests:
    an inner block inside an outer one changes nothing."""
    global _silenced
    if _silenced:
        yield
        return
    try:
        real = os.dup(2)
    except OSError:
        yield
        return
    _silenced = True
    saved_stderr = sys.stderr
    sys.stderr = open(real, "w", buffering=1, encoding=saved_stderr.encoding or "utf-8",  # noqa: SIM115
                      errors="backslashreplace", closefd=False)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        _silenced = False
        sys.stderr.flush()
        sys.stderr = saved_stderr
        os.dup2(real, 2)
        os.close(real)


@contextlib.contextmanager
def signals_end_session() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into `Terminated` in the main thread while the block runs."""
    from voicecoach.errors import Terminated

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Terminated(signum)
    saved = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, old in saved.items():
            signal.signal(sig, old)

