"""End to end through the real stack: pyttsx3 -> espeak-ng, numpy tones, sounddevice -> PortAudio ->
a private PulseAudio null sink, recorded from its monitor and compared with the plan and with `render`."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile
from conftest import DATA, run_voicecoach, voicecoach_command
from soundserver import SoundServer, find_onsets, rms_db
from soundserver import sound_server as private_server

from voicecoach.plan.timeline import TONE_S, Tone
from voicecoach.sound.tones import make_tone

pytestmark = pytest.mark.audio
RATE = 48_000
SHORT = str(DATA / "short.yaml")


@dataclass
class Played:
    plan: dict
    recorded: np.ndarray
    rendered: np.ndarray
    stdout: str
    stderr: str
    offset: int   # recording frame of plan frame 0


def tone_onsets(x: np.ndarray, kind: Tone) -> list[int]:
    return find_onsets(x, make_tone(kind, RATE), threshold=0.9, min_gap_frames=round(TONE_S[kind] * RATE))


@pytest.fixture(scope="module")
def played(sound_server: SoundServer, audio_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Played:
    out = tmp_path_factory.mktemp("render") / "short.wav"
    r = run_voicecoach(["render", SHORT, "-o", str(out)], audio_env)
    assert r.returncode == 0, r.stderr
    rendered, rate = soundfile.read(out, dtype="float32")
    assert rate == RATE
    p = run_voicecoach(["plan", SHORT, "--json"], audio_env)
    assert p.returncode == 0, p.stderr
    plan = json.loads(p.stdout)
    with sound_server.recording() as rec:
        result = run_voicecoach(["play", SHORT], audio_env)
    assert result.returncode == 0, result.stderr
    first_tone = next(e for e in plan["events"] if e["kind"] == "tone")
    onsets = tone_onsets(rec.samples, Tone(first_tone["tone"]))
    assert onsets, "no tone found in the recording"
    offset = onsets[0] - first_tone["frame"]
    return Played(plan, rec.samples, rendered, result.stdout, result.stderr, offset)


def test_every_planned_tone_is_heard_at_its_planned_offset_within_1_ms(played: Played) -> None:
    errors_ms = []
    for kind in Tone:  # short.yaml's tempos are quick: no beats (a test below hears them)
        planned = [e["frame"] for e in played.plan["events"] if e["tone"] == kind.value]
        found = tone_onsets(played.recorded, kind)
        heard = [f - played.offset for f in found]
        assert len(heard) >= len(planned), (kind, len(heard), len(planned))
        for frame in planned:
            nearest = min(heard, key=lambda h: abs(h - frame))
            errors_ms.append(abs(nearest - frame) / RATE * 1000)
    assert max(errors_ms) < 1.0, max(errors_ms)
    assert len(errors_ms) == sum(1 for e in played.plan["events"] if e["kind"] == "tone")


def test_speech_is_heard_where_planned_and_silence_elsewhere(played: Played) -> None:
    x = played.recorded
    busy = np.zeros(played.plan["total_frames"], bool)
    for e in played.plan["events"]:
        a = e["frame"]
        busy[a:a + e["frames"]] = True
        if e["kind"] == "speech":
            seg = x[played.offset + a: played.offset + a + e["frames"]]
            assert rms_db(seg) > -40, (e["text"], rms_db(seg))
    # every stretch of 50 ms or more with nothing planned is silent
    edges = np.flatnonzero(np.diff(np.concatenate([[1], busy.astype(int), [1]])))
    quiet = [(a, b) for a, b in zip(edges[::2], edges[1::2]) if b - a >= 2400]
    assert quiet
    for a, b in quiet:
        seg = x[played.offset + a + 48: played.offset + b - 48]
        assert rms_db(seg) < -80, (a / RATE, rms_db(seg))


def test_nothing_clips_and_no_underruns(played: Played) -> None:
    assert np.max(np.abs(played.recorded)) < 0.99
    assert played.stdout.rstrip().splitlines()[-1].endswith(", 0 underruns")


def test_the_recording_matches_render_of_the_same_routine(played: Played) -> None:
    ref = played.rendered
    got = played.recorded[played.offset: played.offset + len(ref)]
    assert len(got) == len(ref), "the whole session was recorded"
    corr = float(np.dot(ref, got) / (np.linalg.norm(ref) * np.linalg.norm(got)))
    assert corr > 0.99, corr


def test_each_event_is_printed_as_it_is_heard(played: Played) -> None:
    lines = played.stdout.rstrip().splitlines()
    assert len(lines) == len(played.plan["events"]) + 1
    speech = [e["text"] for e in played.plan["events"] if e["kind"] == "speech"]
    printed = [ln[6:] for ln in lines if not ln[6:].startswith("[")][: len(speech)]
    assert printed == speech
    assert any("[go] Squats, set 1" in ln for ln in lines)


def test_the_summary_compares_with_the_last_finished_session(played: Played, audio_env: dict[str, str]) -> None:
    # `played` finished a session of this routine; the comparison is looked up once sound plays
    r = run_voicecoach(["play", SHORT, "--start", "Plank:1:left"], audio_env)
    assert r.returncode == 0, r.stderr
    summary = [ln for ln in r.stdout.splitlines() if "Great work!" in ln]
    assert len(summary) == 1 and "Last time: " in summary[0], r.stdout


def test_render_writes_wav_flac_and_ogg_atomically(audio_env: dict[str, str], tmp_path: Path) -> None:
    for ext in ("wav", "flac", "ogg"):
        out = tmp_path / f"s.{ext}"
        r = run_voicecoach(["render", SHORT, "-o", str(out)], audio_env)
        assert r.returncode == 0, r.stderr
        info = soundfile.info(out)
        assert info.samplerate == RATE and info.duration > 30
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.flac", "s.ogg", "s.wav"]
    bad = run_voicecoach(["render", SHORT, "-o", str(tmp_path / "s.mp4")], audio_env)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "must be .wav, .flac or .ogg" in bad.stderr


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_render_interrupted_leaves_nothing_behind(audio_env: dict[str, str], tmp_path: Path, signum: int,
                                                  status: int) -> None:
    out = tmp_path / "long.flac"
    proc = subprocess.Popen([*voicecoach_command(), "render", "legs-and-back", "-o", str(out)], env=audio_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    names: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if list(tmp_path.iterdir()):
                proc.send_signal(signal.SIGSTOP)  # held while its temporary file exists: the signal lands mid-write
                names = [p.name for p in tmp_path.iterdir()]
                if names and not names[0].endswith(".tmp"):  # not the probe made before synthesis
                    break
                proc.send_signal(signal.SIGCONT)
            time.sleep(0.002)
        assert names[0].startswith(".long.flac.") and names[0].endswith(".flac"), "caught while writing"
        proc.send_signal(signum)
        proc.send_signal(signal.SIGCONT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == status and "Traceback" not in err, err
    assert list(tmp_path.iterdir()) == []


def test_render_gives_the_file_the_permissions_of_an_ordinary_write(audio_env: dict[str, str],
                                                                     tmp_path: Path) -> None:
    new, kept = tmp_path / "new.wav", tmp_path / "kept.wav"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    for out in (new, kept):
        r = subprocess.run(["sh", "-c", 'umask 022 && exec "$@"', "sh", *voicecoach_command(), "render", SHORT,
                            "-o", str(out)], env=audio_env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
    assert (new.stat().st_mode & 0o777, kept.stat().st_mode & 0o777) == (0o644, 0o640)
    missing = tmp_path / "no-such-folder" / "s.wav"
    r = run_voicecoach(["render", SHORT, "-o", str(missing)], audio_env)
    assert (r.returncode, r.stderr) == (2, f"voicecoach: error: cannot write {missing}: the folder "
                                           f"{missing.parent} does not exist\n")
    assert not missing.parent.exists()


def test_render_is_the_same_as_the_plan(played: Played) -> None:
    assert len(played.rendered) == played.plan["total_frames"]


def test_a_routine_setting_and_an_option_change_the_rate(audio_env: dict[str, str], tmp_path: Path) -> None:
    slow = run_voicecoach(["plan", SHORT, "--json", "--rate", "120"], audio_env)
    fast = run_voicecoach(["plan", SHORT, "--json", "--rate", "300"], audio_env)
    assert slow.returncode == 0 and fast.returncode == 0
    length = {k: next(e["duration"] for e in json.loads(r.stdout)["events"] if e["text"] == "Next up: Squats.")
              for k, r in (("slow", slow), ("fast", fast))}
    assert length["slow"] > 1.6 * length["fast"]
    routine = tmp_path / "r.yaml"
    routine.write_text((DATA / "short.yaml").read_text().replace("defaults: {", "defaults: {rate: 300, "))
    from_routine = run_voicecoach(["plan", str(routine), "--json"], audio_env)
    assert next(e["duration"] for e in json.loads(from_routine.stdout)["events"]
                if e["text"] == "Next up: Squats.") == pytest.approx(length["fast"], rel=0.05)


def test_no_sound_server_is_one_line_and_exit_1(audio_env: dict[str, str], tmp_path: Path) -> None:
    env = dict(audio_env, PULSE_SERVER=f"unix:{tmp_path}/nothing-here")
    r = run_voicecoach(["play", SHORT], env, timeout_s=60)
    assert r.returncode == 1, r.stderr
    assert r.stderr == ("voicecoach: error: no sound output device or sound server; choose an output with "
                        "--device (see: voicecoach devices), or write the session to a file with: voicecoach render\n")


def test_unknown_device_is_refused(audio_env: dict[str, str]) -> None:
    r = run_voicecoach(["play", SHORT, "--device", "no-such-device"], audio_env, timeout_s=60)
    assert r.returncode == 2, "a device that does not exist is a usage mistake"
    assert r.stderr == ("voicecoach: error: no output device 'no-such-device'; choose an output with --device "
                        "(see: voicecoach devices), or write the session to a file with: voicecoach render\n")


def test_devices_lists_the_outputs(audio_env: dict[str, str]) -> None:
    r = run_voicecoach(["devices"], audio_env)
    assert r.returncode == 0 and "pulse" in r.stdout and "*" in r.stdout


def test_an_output_that_does_not_come_back_ends_the_session_cleanly(audio_env: dict[str, str]) -> None:
    with private_server() as server:
        env = {**audio_env, **{k: v for k, v in server.env.items() if k.startswith(("PULSE", "XDG_RUNTIME"))}}
        proc = subprocess.Popen([*voicecoach_command(), "play", SHORT, "--device-wait", "2"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(4)
        server.proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, (out, err)
    assert "Traceback" not in err and "the sound output stopped" in err and err.count("\n") == 1


def test_an_output_that_disappears_pauses_and_resumes_when_it_comes_back(audio_env: dict[str, str]) -> None:
    with private_server() as server:
        env = {**audio_env, **{k: v for k, v in server.env.items() if k.startswith(("PULSE", "XDG_RUNTIME"))}}
        proc = subprocess.Popen([*voicecoach_command(), "play", SHORT], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(4)
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait()
        time.sleep(3)
        server.restart()
        with server.recording() as rec:
            out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, (out, err)
    assert "Workout complete." in out and out.rstrip().splitlines()[-1].startswith("played ")
    assert rms_db(rec.samples) > -60, "the session went on playing through the server that came back"
    lost = [ln for ln in out.splitlines() if "The sound output went away" in ln]
    back = [ln for ln in out.splitlines() if "The sound output is back" in ln]
    assert len(lost) == 1 and len(back) == 1, "a log says why the session ran long"
    assert out.splitlines().index(lost[0]) < out.splitlines().index(back[0])


def test_cache_clear_empties_the_speech_cache(audio_env: dict[str, str]) -> None:
    env = dict(audio_env, VOICECOACH_CACHE_DIR=audio_env["VOICECOACH_CACHE_DIR"] + "-clear")
    assert run_voicecoach(["plan", SHORT], env).returncode == 0
    r = run_voicecoach(["cache", "clear"], env)
    assert r.returncode == 0 and r.stdout.startswith("removed ") and int(r.stdout.split()[1]) > 10
    assert list(Path(env["VOICECOACH_CACHE_DIR"]).rglob("*.pcm")) == []


def test_two_players_at_once_log_into_one_database(audio_env: dict[str, str], tmp_path: Path) -> None:
    env = dict(audio_env, VOICECOACH_DB=str(tmp_path / "shared.db"))
    players = [subprocess.Popen([*voicecoach_command(), "play", SHORT, "--start", "Plank"], env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    for p in players:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    from voicecoach.log.history import History
    with History(tmp_path / "shared.db") as h:
        sessions = h.sessions()
        assert [(s.outcome, s.sets) for s in sessions] == [("finished", 2), ("finished", 2)]
        assert [[(x.exercise, x.side) for x in h.sets(s.id)] for s in sessions] == [
            [("Plank", "right"), ("Plank", "left")]] * 2


def test_volume_scales_the_whole_session(audio_env: dict[str, str], tmp_path: Path) -> None:
    full, half = tmp_path / "full.wav", tmp_path / "half.wav"
    assert run_voicecoach(["render", SHORT, "-o", str(full)], audio_env).returncode == 0
    assert run_voicecoach(["render", SHORT, "-o", str(half), "--volume", "0.5"], audio_env).returncode == 0
    a, _ = soundfile.read(full, dtype="float32")
    b, _ = soundfile.read(half, dtype="float32")
    assert len(a) == len(b)
    assert rms_db(b) - rms_db(a) == pytest.approx(-6.02, abs=0.1), "half the amplitude: 6 dB quieter"


def test_the_config_files_device_is_the_one_played_through(audio_env: dict[str, str], tmp_path: Path) -> None:
    config = Path(audio_env["VOICECOACH_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.yaml").write_text("device: no-such-device\n")
    try:
        r = run_voicecoach(["play", SHORT], audio_env, timeout_s=60)
        assert r.returncode == 2 and "no output device 'no-such-device'" in r.stderr
        (config / "config.yaml").write_text("device: pulse\n")
        r = run_voicecoach(["play", SHORT, "--start", "Plank:1:left"], audio_env, timeout_s=120)
        assert r.returncode == 0, r.stderr
    finally:
        (config / "config.yaml").unlink()


def test_tempo_beats_are_heard_where_planned_and_never_under_a_count(sound_server: SoundServer,
                                                                    audio_env: dict[str, str],
                                                                    tmp_path: Path) -> None:
    routine = tmp_path / "beats.yaml"
    routine.write_text("name: Beats\ndefaults: {get_ready: 0s}\n"
                       "exercises:\n  - {name: Rows, reps: 6, tempo: 2-0-1-0}\n")   # "4, two more": beats give way
    p = run_voicecoach(["plan", str(routine), "--json"], audio_env)
    assert p.returncode == 0, p.stderr
    events = json.loads(p.stdout)["events"]
    with sound_server.recording() as rec:
        r = run_voicecoach(["play", str(routine)], audio_env)
    assert r.returncode == 0, r.stderr
    assert "beat" not in r.stdout, "beats are heard, not printed"
    go = next(e["frame"] for e in events if e["tone"] == "go")
    offset = tone_onsets(rec.samples, Tone.GO)[0] - go
    for kind, name in ((Tone.BEAT, "lower"), (Tone.LIFT, "lift")):
        planned = [e["frame"] for e in events if e["tone"] == "beat" and e["beat"] == name]
        assert len(planned) >= 3
        heard = [f - offset for f in tone_onsets(rec.samples, kind)]
        for frame in planned:
            assert min(abs(h - frame) for h in heard) < RATE // 1000, (kind, frame / RATE)


def test_a_second_play_of_a_command_starts_with_its_kept_first_words_and_sounds_exactly_the_same(
        sound_server: SoundServer, audio_env: dict[str, str], tmp_path: Path) -> None:
    env = {**audio_env, "VOICECOACH_CACHE_DIR": str(tmp_path / "cache"), "VOICECOACH_DB": str(tmp_path / "h.db")}
    first = run_voicecoach(["--debug", "play", SHORT], env)
    assert first.returncode == 0 and "head start" not in first.stderr, first.stderr
    assert len(list((tmp_path / "cache" / "start").glob("*.head"))) == 1, "its first words were kept"
    out = tmp_path / "short.wav"   # after the first play: its summary compares with it too
    assert run_voicecoach(["render", SHORT, "-o", str(out)], env).returncode == 0
    rendered, _ = soundfile.read(out, dtype="float32")
    plan = json.loads(run_voicecoach(["plan", SHORT, "--json"], env).stdout)
    with sound_server.recording() as rec:
        second = run_voicecoach(["--debug", "play", SHORT], env)
    assert second.returncode == 0, second.stderr
    assert "debug: head start: the kept first words played" in second.stderr and "(agreeing)" in second.stderr
    assert second.stdout.rstrip().splitlines()[-1].endswith(", 0 underruns")
    tones = [e for e in plan["events"] if e["kind"] == "tone" and not e.get("beat")]
    onsets = tone_onsets(rec.samples, Tone(tones[0]["tone"]))
    offset = onsets[0] - tones[0]["frame"]
    got = rec.samples[offset: offset + len(rendered)]
    assert len(got) == len(rendered), "the whole session was recorded"
    corr = float(np.dot(rendered, got) / (np.linalg.norm(rendered) * np.linalg.norm(got)))
    assert corr > 0.99, corr
    greeting = plan["events"][0]
    assert greeting["text"] == "Welcome to Short." and greeting["frame"] == 0
    n = round(greeting["duration"] * RATE)
    heard, made = rec.samples[offset: offset + n], rendered[:n]
    assert float(np.dot(made, heard) / (np.linalg.norm(made) * np.linalg.norm(heard))) > 0.99, \
        "the kept first words, heard where the plan has them"
