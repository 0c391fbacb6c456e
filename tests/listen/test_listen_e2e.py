"""Spoken commands, end to end: a real PulseAudio whose second null sink is the microphone,
command utterances in piper's natural voice played into it with paplay, and a real
`voicecoach play --listen` that hears them and acts on them."""

from __future__ import annotations

import itertools
import json
import queue
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from conftest import run_voicecoach, voicecoach_command
from soundserver import SINK, SoundServer, find_onsets, start_server, stop_server
from spoken import gym, music, pink, say, with_noise, write

from voicecoach.plan.timeline import Tone
from voicecoach.sound.tones import make_tone

pytestmark = pytest.mark.audio
MIC = "vc_mic"
TINY = """\
name: Tiny
defaults: {get_ready: 0s}
exercises:
  - {name: Plank, hold: 3s}
"""
ROUTINE = """\
name: Listening
defaults: {get_ready: 0s, rest: 30s, rest_after: 30s, tempo_beats: false, amrap_cap: 40s}
exercises:
  - {name: Squats, sets: 2, reps: 2}
  - {name: Push-ups, sets: 1, reps: amrap}
  - {name: Lunges, sets: 2, reps: 2, tempo: 6-0-6-0}
"""


@pytest.fixture(scope="module")
def mic_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SoundServer, dict[str, str]]]:
    """A sound server of its own whose default input is the monitor of a second null sink."""
    server = start_server()
    try:
        server.pactl("load-module", "module-null-sink", f"sink_name={MIC}", "rate=16000", "channels=1")
        server.pactl("set-default-source", f"{MIC}.monitor")
        root = tmp_path_factory.mktemp("listen-dirs")
        env = dict(server.env)
        env.update(VOICECOACH_CONFIG_DIR=str(root / "config"), VOICECOACH_CACHE_DIR=str(root / "cache"),
                   VOICECOACH_DATA_DIR=str(root / "data"), VOICECOACH_STATE_DIR=str(root / "state"))
        yield server, env
    finally:
        stop_server(server)


class Running:
    """A `voicecoach play` whose output lines are read as they come."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([*voicecoach_command(), *args], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, bufsize=1)
        self.lines: list[str] = []
        self.errors: list[str] = []
        self._new: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        threading.Thread(target=self._read, daemon=True).start()
        self._stderr = threading.Thread(target=self._read_errors, daemon=True)
        self._stderr.start()
        self.env = env

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._new.put(line.rstrip("\n"))
        self._new.put(None)

    def _read_errors(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.errors.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout_s: float = 60.0) -> str | None:
        """The next line matching `pattern` (None if the session ended or time ran out)."""
        deadline = time.monotonic() + timeout_s
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._new.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                return None
            self.lines.append(line)
            if re.search(pattern, line):
                return line
        return None

    def close(self) -> None:
        """Kill it if it still runs, and close its pipes."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()

    def say(self, wav: Path) -> None:
        subprocess.run(["paplay", f"--device={MIC}", str(wav)], env=self.env, check=True, timeout=30)

    def finish(self) -> tuple[int, str, str]:
        """Wait for the end: the exit status, every line printed, and stderr."""
        code = self.proc.wait(timeout=120)
        self._stderr.join(10)
        err = "\n".join(self.errors)
        while (line := self._new.get(timeout=10)) is not None:
            self.lines.append(line)
        return code, "\n".join(self.lines), err


# varied as people are: pace, pitch, a room's echo, some noise; a person repeats a command not acknowledged
VARIATIONS = list(itertools.product((160, 200), (0.96, 1.04), (0.0, 0.35)))
TRIES = 4


def utterances(tmp: Path, text: str, seed: int) -> Iterator[Path]:
    rng = np.random.default_rng(seed)
    for i in range(TRIES):
        rate, pitch, rt60 = VARIATIONS[(seed + i * 3) % len(VARIATIONS)]
        voice = np.concatenate([say(text, rate_wpm=rate, pitch=pitch, rt60_s=rt60, seed=seed), np.zeros(4000)])
        yield write(tmp / f"{seed}-{i}.wav", with_noise(voice.astype(np.float32) * 0.5, pink(len(voice), rng), -25))


def command(run: Running, tmp: Path, text: str, heard: str, seed: int) -> int:
    """Say `text` until `heard` is acknowledged (at most TRIES times); the number of tries."""
    for tries, wav in enumerate(utterances(tmp, text, seed), start=1):
        run.say(wav)
        if run.wait_for(f'heard "{heard}"', timeout_s=3.0):
            return tries
    raise AssertionError(f"{text!r} was not heard in {TRIES} tries: {run.lines[-5:]} {run.errors[-6:]}")


def test_each_spoken_command_does_what_its_key_does(mic_server: tuple[SoundServer, dict[str, str]],
                                                    tmp_path: Path) -> None:
    server, env = mic_server
    routine = tmp_path / "listening.yaml"
    routine.write_text(ROUTINE)
    run = Running(["--debug", "play", str(routine), "--listen"], env)
    tries = {}
    try:
        assert run.wait_for(r"Rest 30 seconds\.")
        time.sleep(4.0)   # after "Last set." (what is said over the coach is not listened to)
        tries["pause"] = command(run, tmp_path, "Coach, pause.", "coach pause", 1)
        assert run.wait_for(r"^\d\d:\d\d Paused\.$", 3)
        time.sleep(2.0)
        tries["resume"] = command(run, tmp_path, "Coach, go on.", "coach go on", 2)
        assert run.wait_for(r"Resuming in 3, 2, 1\.", 3)
        time.sleep(4.0)
        said_before = [line.split(" ", 1)[1] for line in run.lines if re.match(r"\d\d:\d\d [A-Z]", line)]
        tries["repeat"] = command(run, tmp_path, "Coach, repeat.", "coach repeat", 3)
        repeated = run.wait_for(r"^\d\d:\d\d ", 3)
        assert repeated is not None and repeated.split(" ", 1)[1] in said_before, repeated
        time.sleep(2.0)
        tries["next"] = command(run, tmp_path, "Coach, next.", "coach next", 4)
        assert run.wait_for(r"\[go\] Squats, set 2$", 8), "next skips the rest"
        assert run.wait_for(r"Rest 30 seconds\.")
        time.sleep(8.0)   # after "Next up: Push-ups.", "As many reps as you can, ..." and "Get ready."
        tries["back"] = command(run, tmp_path, "Coach, back.", "coach back", 5)
        assert run.wait_for(r"\[go\] Squats, set 2$", 10), f"back plays the set again: {run.lines[-12:]}"
        assert run.wait_for(r"Rest 30 seconds\.")
        time.sleep(8.0)
        tries["next 2"] = command(run, tmp_path, "Coach, next.", "coach next", 6)
        assert run.wait_for(r"\[go\] Push-ups, set 1$", 10), "next from the last rest of an exercise: the next one"
        time.sleep(3.0)
        tries["done"] = command(run, tmp_path, "Coach, done.", "coach done", 7)
        assert run.wait_for(r"Rest 30 seconds\.", 6), "done ends the AMRAP set: its rest follows at once"
        assert run.wait_for(r"\[go\] Lunges, set 1$", 40)
        time.sleep(2.5)   # a set of slow reps: the first count comes 12 s in
        tries["failed"] = command(run, tmp_path, "Coach, failed.", "coach failed", 10)
        assert run.wait_for(r"Failed set: 0 reps", 3), "failed ends the set, logged with the coach's count"
        assert run.wait_for(r"Rest 30 seconds\.", 6), "its rest follows at once"
        time.sleep(6.5)   # after "Last set." and "Get ready."
        tries["stop"] = command(run, tmp_path, "Coach, stop.", "(coach )?stop", 8)
        assert run.wait_for(r"Stop the workout\?", 3)
        time.sleep(2.0)
        tries["yes"] = command(run, tmp_path, "Yes.", "yes", 9)
        code, out, err = run.finish()
    finally:
        run.close()
    print("tries per command:", tries)
    print("\n".join(line for line in err.splitlines() if line.startswith("debug: listen")))
    assert code == 0, err
    assert out.splitlines()[-1].startswith("stopped after"), out
    heard = re.findall(r'heard "([a-z ]+)"', out)
    expected = ["coach pause", "coach go on", "coach repeat", "coach next", "coach back", "coach next",
                "coach done", "coach failed", "(coach )?stop", "yes"]
    # a "done" heard as "go on" (their sounds are close) resumes, which does nothing while the session plays
    acted = heard[:2] + [h for h in heard[2:] if h not in ("coach go on", "coach resume", "coach continue")]
    assert len(acted) == len(expected) and all(re.fullmatch(e, h) for e, h in zip(expected, acted)), \
        f"every command heard once, and nothing else: {heard}"
    assert out.count("Resuming in 3, 2, 1.") == 1 and out.count("Paused.") == 1, "nothing else acted on"
    assert "Traceback" not in err
    assert all(not line.startswith("voicecoach:") for line in err.splitlines()), err


def tone_onsets(x: np.ndarray, kind: Tone) -> list[int]:
    return find_onsets(x, make_tone(kind, 48_000), threshold=0.8)


LOOPED = """\
name: Looped
tips: [Breathe.]
defaults: {get_ready: 0s, rest: 4s, rest_after: 4s, switch_sides: 3s, tempo: 2-0-1-0}
exercises:
  - {name: Squats, sets: 1, reps: 3, cues: [Chest up]}
  - {name: Plank, hold: 5s, sides: each}
"""


def test_the_coach_never_commands_itself(mic_server: tuple[SoundServer, dict[str, str]], tmp_path: Path) -> None:
    """A whole session (speech, counts, beats, ticks, a hold each side) looped back into the
    microphone, with music and gym noise: no action, and the recording is the render."""
    server, env = mic_server
    short = str(tmp_path / "looped.yaml")
    Path(short).write_text(LOOPED)
    out = tmp_path / "short.wav"
    assert run_voicecoach(["render", short, "-o", str(out)], env).returncode == 0
    rendered, _ = soundfile.read(out, dtype="float32")
    plan = json.loads(run_voicecoach(["plan", short, "--json"], env).stdout)
    rng = np.random.default_rng(12)
    n = 90 * 16_000
    noise = write(tmp_path / "noise.wav", (music(n, rng) * 0.03 + gym(n, rng) * 0.03).astype(np.float32))
    loop = server.pactl("load-module", "module-loopback", f"source={SINK}.monitor", f"sink={MIC}",
                        "latency_msec=60").strip()
    noisy = subprocess.Popen(["paplay", f"--device={MIC}", str(noise)], env=env)
    try:
        with server.recording() as rec:
            r = run_voicecoach(["--debug", "play", short, "--listen"], env)
    finally:
        noisy.kill()
        noisy.wait()
        server.pactl("unload-module", loop)
    assert r.returncode == 0, r.stderr
    assert "heard" not in r.stdout, r.stdout
    assert r.stdout.splitlines()[-1].startswith("played "), r.stdout
    assert "listen: " in r.stderr and "s heard" in r.stderr, "it listened the whole time"
    first_tone = next(e for e in plan["events"] if e["kind"] == "tone")
    onsets = tone_onsets(rec.samples, Tone(first_tone["tone"]))
    assert onsets
    got = rec.samples[onsets[0] - first_tone["frame"]:][: len(rendered)]
    assert len(got) == len(rendered)
    corr = float(np.dot(rendered, got) / (np.linalg.norm(rendered) * np.linalg.norm(got)))
    assert corr > 0.99, corr


def tiny(tmp_path: Path) -> str:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    return str(path)


def test_a_microphone_that_is_not_there_is_one_line_and_the_session_plays(
        mic_server: tuple[SoundServer, dict[str, str]], tmp_path: Path) -> None:
    _, env = mic_server
    r = run_voicecoach(["play", tiny(tmp_path), "--listen", "--mic", "no-such-mic"], env)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip().splitlines() == [
        "voicecoach: no microphone 'no-such-mic'; list them with: voicecoach devices; "
        "the session plays without listening"]
    assert r.stdout.splitlines()[-1].startswith("played ")


def test_a_microphone_that_fails_to_open_is_one_line_and_the_session_plays(
        mic_server: tuple[SoundServer, dict[str, str]], tmp_path: Path) -> None:
    _, env = mic_server
    r = run_voicecoach(["play", tiny(tmp_path), "--listen"], {**env, "PULSE_SOURCE": "nothing"})
    assert r.returncode == 0, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("voicecoach: cannot open the microphone"), lines
    assert lines[0].endswith("the session plays without listening") and lines[0].count("without listening") == 1
    assert r.stdout.splitlines()[-1].startswith("played ")


def test_devices_lists_the_microphones(mic_server: tuple[SoundServer, dict[str, str]]) -> None:
    _, env = mic_server
    r = run_voicecoach(["devices"], env)
    assert r.returncode == 0, r.stderr
    assert any(line.endswith("input: --mic)") for line in r.stdout.splitlines()), r.stdout


def test_a_microphone_lost_mid_session_stops_the_listening_and_the_session_goes_on(
        mic_server: tuple[SoundServer, dict[str, str]], tmp_path: Path) -> None:
    """The microphone stops delivering while the session plays (its device suspended by the sound
    server): a message, the session plays to its end, and the command ends (the stalled input
    stream held it for ever)."""
    server, env = mic_server
    module = server.pactl("load-module", "module-null-sink", "sink_name=vc_headset", "rate=16000",
                          "channels=1").strip()
    routine = tmp_path / "hold.yaml"
    routine.write_text("name: Hold\ndefaults: {get_ready: 0s}\nexercises:\n  - {name: Plank, hold: 8s}\n")
    run = Running(["play", str(routine), "--listen"], {**env, "PULSE_SOURCE": "vc_headset.monitor"})
    try:
        assert run.wait_for(r"Plank"), run.errors
        server.pactl("suspend-sink", "vc_headset", "1")
        lost = run.wait_for(r"The microphone went away: no longer listening", 10)
        code, out, err = run.finish()
    finally:
        run.close()
        server.pactl("unload-module", module)
    assert lost is not None, (run.lines, err)
    assert code == 0, err
    assert "Workout complete." in out and out.splitlines()[-1].startswith("played "), out
    assert "Traceback" not in err, err
