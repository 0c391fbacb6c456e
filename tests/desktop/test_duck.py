"""Music ducked while the coach speaks, through the real sound server: a "music" stream (paplay of
a tone) at a volume of its own, lowered inside phrases and back between them, exactly restored
after the session, undone after a crash, left alone with --duck 0."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from conftest import DATA, run_voicecoach, voicecoach_command
from soundserver import SoundServer, find_onsets

from voicecoach.desktop.duck import TOLERANCE, bridged, gain_at, still_ours, volume_factor
from voicecoach.plan.timeline import Tone
from voicecoach.sound.tones import make_tone

RATE = 48_000
MUSIC_HZ = 6_000.0
SHORT = str(DATA / "short.yaml")


# ---------------------------------------------------------------- the ramps (pure)

def test_the_ramps_end_as_a_phrase_begins_and_start_as_it_ends() -> None:
    phrases = [(10.0, 12.0)]
    assert gain_at(9.8, phrases, 12) == 0.0
    assert gain_at(9.925, phrases, 12) == pytest.approx(6.0), "halfway down, 0.15 s ramp"
    assert gain_at(10.0, phrases, 12) == 12 and gain_at(11.9, phrases, 12) == 12
    assert gain_at(12.15, phrases, 12) == pytest.approx(6.0), "halfway up, 0.3 s ramp"
    assert gain_at(12.31, phrases, 12) == 0.0


def test_phrases_close_together_stay_ducked_between_them() -> None:
    assert bridged([(1.0, 2.0), (2.5, 3.0), (5.0, 6.0)]) == [(1.0, 3.0), (5.0, 6.0)]


def test_a_pulseaudio_volume_factor_lowers_by_decibels() -> None:
    assert 20 * np.log10(volume_factor(12) ** 3) == pytest.approx(-12.0)
    assert volume_factor(0) == 1.0


# ---------------------------------------------------------------- a real music stream

# ---------------------------------------------------------------- the crash journal (pure)

def test_after_a_crash_a_stream_at_a_value_we_set_is_ours_to_restore() -> None:
    entry = {"original": [0.7, 0.7], "ours": [[0.5, 0.5], [0.44, 0.44]]}
    assert still_ours((0.44, 0.44), entry), "the value being set when the crash came"
    assert still_ours((0.5, 0.5), entry), "the value set before it"
    assert still_ours((0.44 + TOLERANCE / 2, 0.44 - TOLERANCE / 2), entry), "within the server's rounding"


def test_after_a_crash_a_stream_the_user_changed_is_theirs_even_below_its_own_volume() -> None:
    entry = {"original": [0.7, 0.7], "ours": [[0.44, 0.44]]}
    assert not still_ours((0.5, 0.5), entry), "the user's 50%, below the 70% it was: it stays"
    assert not still_ours((0.7, 0.7), entry), "already back where it was"
    assert not still_ours((0.44 + 2 * TOLERANCE, 0.44), entry)
    assert not still_ours((0.44,), entry), "another stream's channels"


def test_a_journal_from_before_the_values_were_kept_restores_any_lowered_stream() -> None:
    assert still_ours((0.44, 0.44), [0.7, 0.7]) and not still_ours((0.7, 0.7), [0.7, 0.7])


@pytest.fixture
def music(sound_server: SoundServer, tmp_path: Path) -> Iterator[int]:
    """A tone playing at 60% volume, as a music player would; yields its sink input's index."""
    tone = tmp_path / "music.wav"
    t = np.arange(RATE * 200) / RATE
    soundfile.write(tone, (0.3 * np.sin(2 * np.pi * MUSIC_HZ * t)).astype(np.float32), RATE)
    proc = subprocess.Popen(["paplay", f"--volume={round(0.6 * 65536)}", "--client-name=music", str(tone)],
                            env=sound_server.env)
    deadline = time.monotonic() + 10
    index = None
    while index is None and time.monotonic() < deadline:
        index = next((int(line.split()[0]) for line in sound_server.pactl("list", "short", "sink-inputs").splitlines()),
                     None)  # the only stream playing yet
        time.sleep(0.05)
    assert index is not None
    try:
        yield index
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def volume_of(server: SoundServer, index: int) -> list[int]:
    """The stream's volume per channel, in PulseAudio's raw units (65536 = 100%)."""
    text = server.pactl("list", "sink-inputs")
    block = text.split(f"Sink Input #{index}\n", 1)[1].split("\nSink Input #", 1)[0]
    line = next(ln for ln in block.splitlines() if ln.strip().startswith("Volume:"))
    return [int(v) for v in re.findall(r":\s*(\d+) /", line)]


def music_level_db(samples: np.ndarray, start: int, end: int) -> float:
    """The music tone's level in a stretch of the recording (a lock-in at its frequency)."""
    x = samples[start:end].astype(np.float64)
    t = np.arange(start, end) / RATE
    amplitude = 2 * abs(np.mean(x * np.exp(-2j * np.pi * MUSIC_HZ * t)))
    return float(20 * np.log10(max(amplitude, 1e-9)))


@pytest.mark.audio
def test_music_is_lowered_inside_phrases_and_back_between_them(sound_server: SoundServer, audio_env: dict[str, str],
                                                               music: int) -> None:
    before = volume_of(sound_server, music)
    plan = json.loads(run_voicecoach(["plan", SHORT, "--json", "--start", "Plank"], audio_env).stdout)
    with sound_server.recording() as rec:
        r = run_voicecoach(["play", SHORT, "--start", "Plank"], audio_env, timeout_s=120)
    assert r.returncode == 0, r.stderr
    assert volume_of(sound_server, music) == before, "exactly its volume again"
    go = next(e["t"] for e in plan["events"] if e.get("tone") == "go")
    offset = find_onsets(rec.samples, make_tone(Tone.GO, RATE), 0.8, min_gap_frames=24_000)[0] - round(go * RATE)
    phrases = bridged([(e["t"], e["t"] + e["duration"]) for e in plan["events"] if e["kind"] == "speech"])
    inside = [music_level_db(rec.samples, offset + round((a + 0.1) * RATE), offset + round((b - 0.1) * RATE))
              for a, b in phrases if b - a > 0.5]
    between = [music_level_db(rec.samples, offset + round((b + 0.5) * RATE), offset + round((c - 0.3) * RATE))
               for (_, b), (c, _) in zip(phrases, phrases[1:]) if c - b > 1.2]
    assert inside and between
    level = float(np.median(between))
    assert max(between) - min(between) < 1.0, "between phrases the music is at its own level"
    assert max(inside) <= level - 10.0, (inside, level)


@pytest.mark.audio
def test_a_crash_mid_phrase_leaves_the_music_lowered_and_the_next_start_restores_it(
        sound_server: SoundServer, audio_env: dict[str, str], music: int) -> None:
    before = volume_of(sound_server, music)
    proc = subprocess.Popen([*voicecoach_command(), "play", SHORT], env=audio_env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Next up: Squats." in line:   # a phrase being said: the music is down
            time.sleep(0.3)
            break
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    lowered = volume_of(sound_server, music)
    assert all(v < b for v, b in zip(lowered, before)), "a SIGKILL cannot give it back"
    journal = Path(audio_env["VOICECOACH_STATE_DIR"]) / "ducked.json"
    assert journal.exists()
    r = run_voicecoach(["play", SHORT, "--start", "Plank:1:left", "--duck", "0"], audio_env, timeout_s=120)
    assert r.returncode == 0, r.stderr
    assert volume_of(sound_server, music) == before and not journal.exists()


@pytest.mark.audio
def test_duck_0_leaves_the_music_alone(sound_server: SoundServer, audio_env: dict[str, str], music: int) -> None:
    before = volume_of(sound_server, music)
    seen = []
    proc = subprocess.Popen([*voicecoach_command(), "play", SHORT, "--start", "Plank:1:left", "--duck", "0"],
                            env=audio_env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    while proc.poll() is None:
        seen.append(volume_of(sound_server, music))
        time.sleep(0.1)
    assert proc.returncode == 0 and set(map(tuple, seen)) == {tuple(before)}


@pytest.mark.audio
def test_our_stream_is_marked_as_an_announcement(sound_server: SoundServer, audio_env: dict[str, str]) -> None:
    proc = subprocess.Popen([*voicecoach_command(), "play", SHORT, "--start", "Plank:1:left"], env=audio_env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        listing = ""
        while "media.role" not in listing and time.monotonic() < deadline:
            listing = sound_server.pactl("list", "sink-inputs")
            time.sleep(0.1)
        assert 'media.role = "announcement"' in listing
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.audio
def test_a_volume_the_user_changed_while_the_music_was_down_stands(sound_server: SoundServer,
                                                                    audio_env: dict[str, str], music: int) -> None:
    proc = subprocess.Popen([*voicecoach_command(), "play", SHORT, "--start", "Plank:1:left"], env=audio_env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Next up: Plank." in line:
            time.sleep(0.4)   # the music is down for this phrase: the user turns it to 30%
            sound_server.pactl("set-sink-input-volume", str(music), "30%")
            break
    proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert volume_of(sound_server, music) == [int(0.3 * 65536)] * len(volume_of(sound_server, music))


@pytest.mark.audio
def test_after_a_crash_a_volume_the_user_set_before_the_next_start_stands(
        sound_server: SoundServer, audio_env: dict[str, str], music: int) -> None:
    proc = subprocess.Popen([*voicecoach_command(), "play", SHORT], env=audio_env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Next up: Squats." in line:
            time.sleep(0.3)
            break
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert Path(audio_env["VOICECOACH_STATE_DIR"], "ducked.json").exists()
    sound_server.pactl("set-sink-input-volume", str(music), "50%")   # the user's choice, below the 60% it was
    r = run_voicecoach(["play", SHORT, "--start", "Plank:1:left", "--duck", "0"], audio_env, timeout_s=120)
    assert r.returncode == 0, r.stderr
    assert volume_of(sound_server, music) == [int(0.5 * 65536)] * len(volume_of(sound_server, music))
