"""The `voicecoach` command's entry point, and what the process needs around the CLI.

Kept light on purpose (standard library only): for `play` and `resume` it starts PortAudio
on a thread before the CLI's imports run, so the ALSA and JACK probing of `Pa_Initialize`
(C code, run without the GIL) overlaps with Python's imports instead of following them:
first sound counts. It also keeps what C libraries print on file descriptor 2 off the
user's terminal while sound is played, and turns SIGTERM and SIGHUP into a clean end.

Imports: voicecoach.errors (lazily, for `Terminated`), voicecoach.cli (after the thread starts).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

PLAYING_COMMANDS = frozenset({"play", "resume"})
_GROUP_OPTIONS_WITH_VALUE = frozenset({"--db"})
_silenced = False  # file descriptor 2 goes to /dev/null (see `c_stderr_silenced`)


def command_of(argv: list[str]) -> str | None:
    """The subcommand named on a command line (the first word that is not a group option)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word in _GROUP_OPTIONS_WITH_VALUE:
            skip = True
        elif word == "--":
            return None
        elif not word.startswith("-"):
            return word
    return None


def _start_portaudio() -> None:
    # a failure is left for the player to report (it imports sounddevice again, with a one-line message)
    with contextlib.suppress(Exception):
        import sounddevice  # noqa: F401


def main() -> None:
    """Run the CLI; for commands that play, start PortAudio early and keep C chatter off stderr."""
    if command_of(sys.argv[1:]) not in PLAYING_COMMANDS:
        from voicecoach.cli import cli
        cli()
        return
    with c_stderr_silenced():
        early = threading.Thread(target=_start_portaudio, name="portaudio-start", daemon=True)
        early.start()
        try:
            from voicecoach.cli import cli
            cli()
        finally:
            early.join(timeout=5.0)  # never leave the interpreter while PortAudio initialises


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

