"""Words as a coach says them: numbers, articles, plurals, durations."""

from __future__ import annotations

import pytest

from voicecoach.routine import Exercise, SetSpec
from voicecoach.wording import article, plural, say_duration, say_list, say_minutes, say_sets, say_work


def test_lists_and_session_lengths_are_said_as_a_person_says_them() -> None:
    assert say_list(["Squats"]) == "Squats"
    assert say_list(["Bench", "Rows"]) == "Bench and Rows"
    assert say_list(["Push-ups", "Taps", "Superman"]) == "Push-ups, Taps and Superman"
    assert (say_minutes(40), say_minutes(0.2), say_minutes(59.4)) == ("under a minute",) * 3
    assert (say_minutes(60), say_minutes(89), say_minutes(91), say_minutes(34 * 60)) == \
        ("1 minute", "1 minute", "2 minutes", "34 minutes")


@pytest.mark.parametrize("seconds, said", [(8, "an 8 second hold"), (11, "an 11 second hold"),
                                           (18, "an 18 second hold"), (80, "an 80 second hold"),
                                           (45, "a 45 second hold"), (1, "a 1 second hold"),
                                           (20, "a 20 second hold")])
def test_a_hold_gets_the_article_its_number_is_said_with(seconds: int, said: str) -> None:
    assert say_work(SetSpec(hold_s=seconds)) == said


def test_one_rep_is_singular_everywhere() -> None:
    assert say_work(SetSpec(reps=1)) == "1 rep"
    assert say_sets(Exercise("Deadlift", (SetSpec(reps=5), SetSpec(reps=3), SetSpec(reps=1)))) == \
        "3 sets: 5, 3, then 1 rep"
    assert say_sets(Exercise("Max", (SetSpec(reps=1),))) == "1 rep"
    assert (plural(1, "exercise"), plural(0, "exercise"), plural(2, "phrase")) == \
        ("1 exercise", "0 exercises", "2 phrases")


def test_articles_before_numbers() -> None:
    assert [article(n) for n in (8, 11, 18, 80, 85, 800, 11_000, 1, 10, 100, 45)] == \
        ["an"] * 7 + ["a"] * 4


@pytest.mark.parametrize("seconds, said", [(45, "45 seconds"), (60, "60 seconds"), (1, "1 second"),
                                           (90, "90 seconds"), (75, "75 seconds"), (119, "119 seconds"),
                                           (120, "2 minutes"), (150, "2 and a half minutes"), (180, "3 minutes"),
                                           (135, "2 minutes and 15 seconds"), (61, "61 seconds"),
                                           (3600, "60 minutes")])
def test_durations(seconds: float, said: str) -> None:
    assert say_duration(seconds) == said
