"""An independent listener (pocketsphinx) understands the neural voice far better than espeak-ng:
phrases cut from real renders of the default routine at the plan's times, scored word by word."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import voicecoach_command
from listener import Listener, listen_to_render, number_words, render_and_plan, word_accuracy, word_errors, words

# measured (scripts/bench_sound --listen): piper 0.647, espeak-ng 0.154 on the default routine's 68 phrases;
# on every other one, as here: 0.669 and 0.152
PIPER_FLOOR = 0.55
MARGIN_OVER_ESPEAK = 0.30


def test_the_scoring_spells_numbers_and_counts_word_errors() -> None:
    assert words("Rest. 90 seconds, then set 2 of 3.") == ["rest", "ninety", "seconds", "then", "set", "two", "of",
                                                          "three"]
    assert words("2.5 kg, 135 lb") == ["two", "point", "five", "kg", "one", "hundred", "thirty", "five", "lb"]
    assert number_words(1000) == ["one", "thousand"]
    assert word_errors(["last", "set"], ["last", "set"]) == 0
    assert word_errors(["last", "set"], ["last", "that"]) == 1
    assert word_errors(["switch", "sides"], ["which", "sides", "uh"]) == 2
    assert word_errors([], ["uh"]) == 1 and word_errors(["get", "ready"], []) == 2


@pytest.mark.audio
def test_piper_is_understood_far_better_than_espeak_ng(audio_env: dict[str, str], tmp_path: Path) -> None:
    listener = Listener()
    score = {}
    for engine in ("piper", "espeak"):
        plan, wav, _ = render_and_plan(voicecoach_command(), "legs-and-back", engine, tmp_path / f"{engine}.wav",
                                       audio_env)
        heard = listen_to_render(plan, wav, listener, every=2)  # 34 of the 68 (bench_sound --listen: all)
        assert len(heard) == 34, "every other distinct phrase of the default routine"
        score[engine] = word_accuracy(heard)
    assert score["piper"] >= PIPER_FLOOR, score
    assert score["piper"] >= score["espeak"] + MARGIN_OVER_ESPEAK, score
