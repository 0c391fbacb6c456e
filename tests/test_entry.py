"""The command's entry point: which commands start PortAudio early, and C chatter kept off stderr."""

from __future__ import annotations

import subprocess
import sys

import pytest

from voicecoach.entry import command_of


@pytest.mark.parametrize(("argv", "command"), [
    (["play"], "play"),
    (["play", "tabata", "--rate", "160"], "play"),
    (["--debug", "resume"], "resume"),
    (["--db", "play", "plan"], "plan"),          # the value of --db is not a command
    (["--db=x.db", "play"], "play"),
    (["--version"], None),
    ([], None),
    (["--", "play"], None),
])
def test_the_command_is_the_first_word_that_is_not_a_group_option(argv: list[str], command: str | None) -> None:
    assert command_of(argv) == command


SILENCED = "import os, sys\nfrom voicecoach.process import c_stderr_silenced\n"


@pytest.mark.parametrize(("block", "heard"), [
    # C libraries' chatter goes, our own messages stay, and fd 2 is whole again after the block
    ("with c_stderr_silenced():\n"
     "    os.write(2, b'ALSA lib chatter\\n')\n"
     "    print('ours', file=sys.stderr)\n"
     "os.write(2, b'after\\n')\n", ["ours", "after"]),
    # a block inside another changes nothing: our messages still reach the real stderr
    ("with c_stderr_silenced():\n"
     "    with c_stderr_silenced():\n"
     "        os.write(2, b'chatter\\n')\n"
     "        print('inner', file=sys.stderr)\n"
     "    print('outer', file=sys.stderr)\n", ["inner", "outer"]),
])
def test_c_libraries_are_silenced_while_our_own_messages_still_reach_stderr(block: str, heard: list[str]) -> None:
    err = subprocess.run([sys.executable, "-c", SILENCED + block], capture_output=True, text=True,
                         check=True).stderr
    assert err.splitlines() == heard


def test_a_command_that_plays_still_reports_a_usage_error_in_one_line() -> None:
    proc = subprocess.run([sys.executable, "-m", "voicecoach", "play", "--no-such-option"],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert "No such option" in proc.stderr and "--no-such-option" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_modules_play_needs_before_its_first_sound_leave_out_the_slow_ones() -> None:
    # each of these cost milliseconds of start-up that no first word needs (first sound counts)
    slow = ("yaml", "hashlib", "tempfile", "importlib.resources", "platformdirs", "concurrent.futures",
            "difflib", "json", "rich", "pyttsx3", "voicecoach.session.live", "voicecoach.session.machine")
    code = ("import sys\n"
            "import voicecoach.entry, voicecoach.cli, voicecoach.sound.player, voicecoach.sound.playback\n"
            "import voicecoach.log.history, voicecoach.sound.speech, voicecoach.plan.progression\n"
            "import voicecoach.sound.tones, voicecoach.routine.model, voicecoach.places\n"
            "import voicecoach.routine.library, voicecoach.app.settings\n"
            f"print(' '.join(m for m in {slow!r} if m in sys.modules))\n")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []
