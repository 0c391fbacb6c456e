"""The `voicecoach` command's entry point, and what the process needs around the CLI.

Kept light on purpose (standard library only): for `play` and `resume` it starts PortAudio
on a thread before the CLI's imports run, so the ALSA and JACK probing of `Pa_Initialize`
(C code, run without the GIL) overlaps with Python's imports instead of following them:
first sound counts. What C libraries print on file descriptor 2 is kept off the user's
terminal meanwhile (`process.c_stderr_silenced`).

Imports: voicecoach.process; voicecoach.cli (after the thread starts). Nothing imports this
module but the console script and `python -m voicecoach`: the entry hands off and takes nothing back.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading

from voicecoach.process import c_stderr_silenced

PLAYING_COMMANDS = frozenset({"play", "resume"})
_GROUP_OPTIONS_WITH_VALUE = frozenset({"--db"})


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
    # our stream is an announcement: a sound server set up for role-based ducking lowers music for it
    os.environ.setdefault("PULSE_PROP_media.role", "announcement")
    with c_stderr_silenced():
        early = threading.Thread(target=_start_portaudio, name="portaudio-start", daemon=True)
        early.start()
        try:
            from voicecoach.cli import cli
            cli()
        finally:
            early.join(timeout=5.0)  # never leave the interpreter while PortAudio initialises
