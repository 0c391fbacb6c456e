"""Exception classes of voicecoach. Imports nothing from voicecoach.

Every error a user can cause or fix is a `VoicecoachError`; only `cli.main`
turns one into a message and an exit status.
"""

from __future__ import annotations

from typing import NamedTuple


class VoicecoachError(Exception):
    """Base of every error voicecoach reports to a user."""

    exit_code = 1


class Problem(NamedTuple):
    """One mistake in a routine file, at a 1-based line and column (0 = unknown)."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.col}"
        return f"{where}: error: {self.message}"


class RoutineError(VoicecoachError):
    """A routine file that cannot be used; holds every problem found, sorted by position."""

    exit_code = 2

    def __init__(self, problems: list[Problem], partial: object = None) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col))
        self.partial = partial   # what was read despite them (the routine's defaults), for further checks
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(VoicecoachError):
    """A bad option or argument that click itself cannot see."""

    exit_code = 2


class SpeechError(VoicecoachError):
    """The speech engine is missing or cannot speak as asked."""


class VoiceError(SpeechError):
    """A voice that does not exist or cannot speak: the user's choice, so a usage mistake."""

    exit_code = 2


class WriteError(VoicecoachError):
    """A file could not be written to the end (disk full, a device error); nothing was left half-written."""


class AudioError(VoicecoachError):
    """No output device, no sound server, or the device failed while playing."""


class DeviceError(AudioError):
    """A --device (or config `device`) that names no output: the user's choice, so a usage mistake."""

    exit_code = 2


class Terminated(VoicecoachError):
    """SIGTERM or SIGHUP arrived: end like Ctrl-C, through every cleanup."""

    def __init__(self, signum: int) -> None:
        import signal
        super().__init__(f"voicecoach: stopped by signal {signal.Signals(signum).name}")
        self.exit_code = 128 + signum
