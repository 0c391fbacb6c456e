"""Durations and tempos as lifters write them."""

import pytest

from voicecoach.routine.quantity import Tempo, parse_duration, parse_tempo


@pytest.mark.parametrize("text, seconds", [
    ("90", 90), ("90s", 90), ("1m30s", 90), ("1m 30s", 90), ("2 min", 120), ("1:30", 90),
    ("1.5 min", 90), ("45 sec", 45), ("1h", 3600), ("2 minutes", 120), ("0", 0), ("1 m 5 s", 65),
])
def test_durations_are_read_in_every_usual_spelling(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "10 parsecs", "30s 1m", "1:75", "-5", "5 5"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_tempo_has_four_phases_in_seconds() -> None:
    t = parse_tempo("3-1-1-0")
    assert t == Tempo(3, 1, 1, 0)
    assert t.rep_s == 5 and t.count_offset_s == 5


def test_compact_tempo_with_explosive_lift() -> None:
    t = parse_tempo("31X0")
    assert t == Tempo(3, 1, 0.5, 0) and str(t) == "3-1-X-0"


@pytest.mark.parametrize("text", ["3-1-1", "3-1-1-0-2", "0-0-0-0", "a-b-c-d", "3--1-1"])
def test_bad_tempos_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_tempo(text)
