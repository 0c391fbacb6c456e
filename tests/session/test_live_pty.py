"""`voicecoach play` in a real pseudo-terminal with a real sound server: keys, screen, and the
terminal's modes restored on every way out."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA, run_voicecoach, voicecoach_command
from soundserver import SoundServer, find_onsets, rms_db
from soundserver import sound_server as private_server

from voicecoach.sound.cache import SpeechCache
from voicecoach.sound.speech import DEFAULT_RATE_WPM, DEFAULT_VOICE

pytestmark = pytest.mark.audio
RATE = 48_000
SHORT = str(DATA / "short.yaml")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")


@dataclass
class Pty:
    proc: subprocess.Popen[bytes]
    master: int
    slave: int
    before: list[object]
    chunks: list[bytes] = field(default_factory=list)

    def screen(self) -> str:
        return ANSI.sub("", b"".join(self.chunks).decode("utf-8", "replace"))

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def wait_for(self, text: str, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while text not in self.screen():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"{text!r} never appeared; screen tail: {self.screen()[-800:]!r}")
            time.sleep(0.05)


def _controlling_tty() -> None:
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@contextmanager
def in_pty(args: list[str], env: dict[str, str]) -> Iterator[Pty]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    before = termios.tcgetattr(slave)
    proc = subprocess.Popen([*voicecoach_command(), *args], stdin=slave, stdout=slave, stderr=slave,
                            env={**env, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"},
                            preexec_fn=_controlling_tty)
    p = Pty(proc, master, slave, before)

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            p.chunks.append(data)
    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        yield p
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)
        os.close(slave)
        reader.join(5)
        os.close(master)


def finish(p: Pty, timeout_s: float = 120) -> int:
    code = p.proc.wait(timeout_s)
    assert termios.tcgetattr(p.slave) == p.before, "terminal modes restored"
    assert "Traceback" not in p.screen()
    return code


def test_a_whole_session_shows_the_screen_and_restores_the_terminal(audio_env: dict[str, str]) -> None:
    with in_pty(["play", SHORT], audio_env) as p:
        p.wait_for("Squats")
        p.wait_for("Set 1 of 2")
        p.wait_for("Work  Set 1 of 2")
        p.wait_for("Plank")
        assert finish(p) == 0
        screen = p.screen()
    assert "played 1:" in screen and "0 underruns" in screen
    assert "\x1b[?25h" in b"".join(p.chunks).decode("utf-8", "replace"), "the cursor is shown again"


@pytest.mark.parametrize("how", ["q in a rest", "q q in a set", "ctrl-c ctrl-c in a set", "sigterm", "sighup"])
def test_every_way_out_restores_the_terminal(audio_env: dict[str, str], how: str) -> None:
    with in_pty(["play", SHORT], audio_env) as p:
        if "rest" in how:
            p.wait_for("Rest")
            p.press(b"q")
        elif "set" in how:
            p.wait_for("Work  Set 1 of 2")
            key = b"q" if how.startswith("q") else b"\x03"
            p.press(key)
            p.wait_for("press")
            assert p.proc.poll() is None, "one press during a set only asks"
            p.press(key)
        else:
            p.wait_for("Squats")
            p.proc.send_signal(signal.SIGTERM if how == "sigterm" else signal.SIGHUP)
        code = finish(p, 30)
    expected = {"q in a rest": 0, "q q in a set": 0, "ctrl-c ctrl-c in a set": 130, "sigterm": 143, "sighup": 129}
    assert code == expected[how], p.screen()[-500:]


def test_an_error_exit_restores_the_terminal(audio_env: dict[str, str]) -> None:
    with private_server() as server:
        env = {**audio_env, **{k: v for k, v in server.env.items() if k.startswith(("PULSE", "XDG_RUNTIME"))}}
        with in_pty(["play", SHORT, "--device-wait", "1"], env) as p:
            p.wait_for("Squats")
            server.proc.send_signal(signal.SIGKILL)
            code = finish(p, 60)
            assert code == 1 and "the sound output stopped" in p.screen()


def _cached_clip(env: dict[str, str], text: str) -> np.ndarray:
    key = f"espeak-ng|{DEFAULT_VOICE}|{DEFAULT_RATE_WPM}"
    clip = SpeechCache(Path(env["VOICECOACH_CACHE_DIR"]) / "speech").get(key, text, RATE)
    assert clip is not None, f"{text!r} is not cached"
    return clip


def test_pause_is_silent_and_resume_continues(sound_server: SoundServer, audio_env: dict[str, str]) -> None:
    assert run_voicecoach(["plan", SHORT], audio_env).returncode == 0  # every phrase cached
    with sound_server.recording() as rec, in_pty(["play", SHORT], audio_env) as p:
        p.wait_for("Work  Set 1 of 2")
        time.sleep(0.5)
        p.press(b" ")
        paused_at = time.monotonic()  # only to find the silent stretch in the recording
        p.wait_for("PAUSED")
        time.sleep(4)
        p.press(b" ")
        resumed_at = time.monotonic()
        assert finish(p) == 0
    quiet = rec.samples[round((paused_at + 1.8 - rec.started) * RATE): round((resumed_at - 0.2 - rec.started) * RATE)]
    assert len(quiet) > RATE and rms_db(quiet) < -80, "silence while paused"
    paused = find_onsets(rec.samples, _cached_clip(audio_env, "Paused."), threshold=0.9)
    resuming = find_onsets(rec.samples, _cached_clip(audio_env, "Resuming in 3."), threshold=0.9)
    assert len(paused) == 1 and len(resuming) == 1 and paused[0] < resuming[0]
    two = [f for f in find_onsets(rec.samples, _cached_clip(audio_env, "2."), 0.9) if f > resuming[0]][0]
    one = [f for f in find_onsets(rec.samples, _cached_clip(audio_env, "1."), 0.9) if f > two][0]
    assert 0.9 * RATE <= one - two <= 1.3 * RATE, "counted a second apart, as the countdown ticks"
    # nothing of the session between the two: the clock stood still (counts are heard before and after)
    counts = sorted(f for n in ("1", "2", "3") for f in find_onsets(rec.samples, _cached_clip(audio_env, n), 0.95))
    assert not [f for f in counts if paused[0] < f < resuming[0]]
    assert [f for f in counts if f > one + RATE], "the set goes on after"
    assert "Workout complete." in p.screen() or "played" in p.screen()


def test_next_skips_to_the_rest_and_the_next_phrase_is_heard(sound_server: SoundServer,
                                                             audio_env: dict[str, str]) -> None:
    assert run_voicecoach(["plan", SHORT], audio_env).returncode == 0
    with sound_server.recording() as rec, in_pty(["play", SHORT], audio_env) as p:
        p.wait_for("Work  Set 1 of 2")
        time.sleep(0.3)
        p.press(b"n")
        p.wait_for("Last set")
        assert finish(p) == 0
    rest = find_onsets(rec.samples, _cached_clip(audio_env, "Rest 4 seconds."), threshold=0.9)
    last_set = find_onsets(rec.samples, _cached_clip(audio_env, "Last set."), threshold=0.9)
    assert len(rest) >= 1 and last_set and rest[0] < last_set[0], "the rest after the skipped set is said"
    counts = find_onsets(rec.samples, _cached_clip(audio_env, "3"), threshold=0.95)
    assert len(counts) == 3, "set 1 was cut short: only set 2 and the two hold countdowns say 3"


def test_f_ends_the_set_as_failed_with_the_coachs_count_and_the_log_keeps_it(audio_env: dict[str, str],
                                                                               tmp_path: Path) -> None:
    import json
    db = tmp_path / "h.sqlite"
    with in_pty(["--db", str(db), "play", SHORT], audio_env) as p:
        p.wait_for("Work  Set 1 of 2")
        time.sleep(2.6)   # tempo 1-0-1-0: the first count comes about 2 s in
        p.press(b"f")
        p.wait_for("Failed set: ")
        shown = re.search(r"Failed set: (\d+) reps?", p.screen())
        p.wait_for("Last set")
        assert finish(p) == 0
    assert shown is not None
    sets = json.loads(run_voicecoach(["--db", str(db), "show", "1", "--json"], audio_env).stdout)["sets"]
    first = sets[0]
    assert (first["failed"], first["skipped"], first["planned_reps"]) == (True, False, 3)
    assert first["done_reps"] == int(shown.group(1)) and 1 <= first["done_reps"] < 3
    assert [s["failed"] for s in sets[1:]] == [False] * (len(sets) - 1)
