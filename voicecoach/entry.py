"""The `voicecoach` command's entry point, and what the process needs around the CLI.

Kept light on purpose (standard library only): for `play` and `resume` it starts PortAudio
on a thread before the CLI's imports run, so the ALSA and JACK probing of `Pa_Initialize`
(C code, run without the GIL) overlaps with Python's imports instead of following them:
first sound counts. For `play`, that thread also opens the output and plays the session's
first words kept from the last run of the same command (`voicecoach.sound.head`), so that they
sound while numpy, click and the planner still load. What C libraries print on file
descriptor 2 is kept off the user's terminal meanwhile (`process.c_stderr_silenced`).

Imports: voicecoach.process, voicecoach.sound.head (standard library only); voicecoach.cli
(after the thread starts). Nothing imports this module but the console script and
`python -m voicecoach`: the entry hands off and takes nothing back.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading

from voicecoach.process import c_stderr_silenced
from voicecoach.sound import head

PLAYING_COMMANDS = frozenset({"play", "resume"})
HEAD_WAIT_S = 1.0   # at most this long the imports wait for the kept first words to start sounding
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


def _start_portaudio(early: head.HeadStart | None) -> None:
    # a failure is left for the player to report (it imports sounddevice again, with a one-line message)
    with contextlib.suppress(Exception):
        head.start(early)


def main() -> None:
    """Run the CLI; for commands that play, start PortAudio early (with the kept first words, for
    `play`) and keep C chatter off stderr."""
    command = command_of(sys.argv[1:])
    if command not in PLAYING_COMMANDS:
        from voicecoach.cli import cli
        cli()
        return
    # our stream is an announcement: a sound server set up for role-based ducking lowers music for it
    os.environ.setdefault("PULSE_PROP_media.role", "announcement")
    head.hurry()  # until the first sound, the early thread and the audio callback wait less for the GIL
    kept = None
    if command == "play":
        head.expect()
        kept = head.find(sys.argv[1:], os.getcwd(), dict(os.environ))
    with c_stderr_silenced():
        early = threading.Thread(target=_start_portaudio, args=(kept,), name="portaudio-start", daemon=True)
        early.start()
        try:
            if kept is not None:  # nothing competes with the first words for the GIL: the rest can wait
                head.wait(HEAD_WAIT_S)
            from voicecoach.cli import cli
            cli()
        finally:
            early.join(timeout=5.0)  # never leave the interpreter while PortAudio initialises
            head.settle()
            if head.started is not None and not head.started.taken.is_set():
                head.started.close()  # the session never took it over (a mistake, Ctrl-C)
