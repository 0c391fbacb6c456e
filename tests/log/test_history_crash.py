"""Crash tests: a real `voicecoach play` killed with SIGKILL at random points; the log survives."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import DATA, run_voicecoach, voicecoach_command

from voicecoach.log.history import History

pytestmark = pytest.mark.audio
CRASH = str(DATA / "crash.yaml")


def work_ends(plan: dict) -> dict[int, float]:
    return {s["step"]: s["t"] + s["duration"] for s in plan["segments"] if s["phase"] == "work"}


def test_sigkill_at_random_points_keeps_every_ended_set_and_resume_continues(audio_env: dict[str, str],
                                                                           tmp_path: Path) -> None:
    plan = json.loads(run_voicecoach(["plan", CRASH, "--json"], audio_env).stdout)
    ends = work_ends(plan)
    rng = random.Random(20261125)
    for n, kill_at in enumerate(sorted(rng.uniform(4, plan["duration_s"] - 8) for _ in range(4))):
        db = tmp_path / f"h{n}.db"
        env = dict(audio_env, VOICECOACH_DB=str(db), PYTHONUNBUFFERED="1")
        proc = subprocess.Popen([*voicecoach_command(), "play", CRASH], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(kill_at)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        heard = [ln for ln in out.splitlines() if ln[:2].isdigit()]
        assert heard, "it played"
        last_plan_s = max(e["t"] for e in plan["events"] if f"{int(e['t'] // 60):02d}:{int(e['t'] % 60):02d}"
                          <= heard[-1][:5])
        with History(db) as h:
            assert h.integrity() == "ok"
            (session,) = h.sessions()
            assert session.outcome == "interrupted"
            recorded = [s.step for s in h.sets(session.id)]
            assert recorded == sorted(set(recorded)), "each set once, in order"
            must = [step for step, end in ends.items() if end < last_plan_s - 1.0]
            assert set(must) <= set(recorded), (kill_at, must, recorded)
            assert all(ends[step] <= kill_at + 1.0 for step in recorded), "nothing recorded that had not ended"
            expected_resume = (max(recorded) + 1) if recorded else 0
            assert h.resume_step(session.id) == expected_resume
    # the last one: resume plays on from the right set, to the end
    resumed = run_voicecoach(["resume"], env, timeout_s=300)
    assert resumed.returncode == 0, resumed.stderr
    lines = resumed.stdout.splitlines()
    assert lines[0].endswith("Welcome back.")
    first_go = next(ln for ln in lines if "[go]" in ln)
    with History(db) as h:
        sessions = h.sessions()
        assert [s.outcome for s in sessions] == ["finished", "interrupted"]
        step = sessions[0].start_step
        assert step == expected_resume
        names = [s["exercise"] for s in plan["events"] if s["kind"] == "tone" and s["tone"] == "go"]
    assert first_go.split("[go] ")[1].startswith(names[step])
    # and its summary counts the sets done before the kill too: the whole session's sets and reps
    whole = [e["text"] for e in plan["events"] if e["kind"] == "speech"][-1].split(", in ")[0]
    summary = next(ln for ln in lines if "Great work!" in ln)[6:]
    assert summary.split(", in ")[0] == whole, (summary, whole)


def test_a_resumed_set_gets_its_whole_countdown_with_the_routine_as_it_was(sound_server: object,
                                                                           audio_env: dict[str, str],
                                                                           tmp_path: Path) -> None:
    """Heard in the recording: three ticks, one second apart, then the go tone of the resumed set;
    and the routine is the one played then, though its file has changed since."""
    from soundserver import SoundServer, find_onsets

    from voicecoach.plan.timeline import Tone
    from voicecoach.sound.tones import all_tones
    assert isinstance(sound_server, SoundServer)
    env = dict(audio_env, VOICECOACH_DB=str(tmp_path / "h.db"))
    routine = tmp_path / "mine.yaml"
    routine.write_text((DATA / "short.yaml").read_text())
    proc = subprocess.Popen([*voicecoach_command(), "play", str(routine)], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Squats, set 2" in line:   # the second set has begun: killed in it
            break
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    routine.write_text(routine.read_text().replace("Squats", "Lunges"))  # edited since
    heard = []
    with sound_server.recording() as rec:
        resumed = subprocess.Popen([*voicecoach_command(), "resume"], env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, text=True)
        assert resumed.stdout is not None
        for line in resumed.stdout:
            heard.append(line)
            if "[go]" in line:
                time.sleep(0.5)  # the go tone out of the output's buffers too
                break
        resumed.send_signal(signal.SIGINT)
        resumed.communicate(timeout=30)
    tones = all_tones(48_000)
    go = find_onsets(rec.samples, tones[Tone.GO], 0.8, min_gap_frames=24_000)[0]
    ticks = [t for t in find_onsets(rec.samples, tones[Tone.TICK], 0.8, min_gap_frames=24_000) if t < go]
    assert len(ticks) == 3, [t / 48_000 for t in ticks]
    assert [round((b - a) / 48_000, 2) for a, b in zip(ticks, ticks[1:])] == [1.0, 1.0]
    assert heard[-1].endswith("[go] Squats, set 2\n") and not [h for h in heard if "Lunges" in h], heard
