"""Words as a coach says them: numbers, articles, plurals, durations."""

from __future__ import annotations

import pytest

from voicecoach.routine.model import Exercise, SetSpec
from voicecoach.plan.wording import (
    article,
    plural,
    say_count,
    say_duration,
    say_list,
    say_load,
    say_minutes,
    say_number,
    say_sets,
    say_work,
)


def test_lists_and_session_lengths_are_said_as_a_person_says_them() -> None:
    assert say_list(["Squats"]) == "Squats"
    assert say_list(["Bench", "Rows"]) == "Bench and Rows"
    assert say_list(["Push-ups", "Taps", "Superman"]) == "Push-ups, Taps and Superman"
    assert (say_minutes(40), say_minutes(0.2), say_minutes(59.4)) == ("under a minute",) * 3
    assert (say_minutes(60), say_minutes(89), say_minutes(91), say_minutes(34 * 60)) == \
        ("1 minute", "1 minute", "2 minutes", "34 minutes")
    assert (say_minutes(3600), say_minutes(1204 * 60)) == ("1 hour", "20 hours and 4 minutes"), "hours as hours"


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
                                           (3600, "1 hour"), (3660, "1 hour and 1 minute"),
                                           (7265, "2 hours, 1 minute and 5 seconds"),
                                           (3605, "1 hour and 5 seconds")])
def test_durations(seconds: float, said: str) -> None:
    assert say_duration(seconds) == said


def test_an_is_said_before_eleven_and_eighteen_thousand_and_no_further() -> None:
    assert [article(n) for n in (10_999, 11_000, 11_999, 12_000, 17_999, 18_000, 18_999, 19_000)] == \
        ["a", "an", "an", "a", "a", "an", "an", "a"]


def test_two_more_and_last_rep_in_every_set_with_room_to_say_them() -> None:
    assert [say_count(r, 5, 1.8) for r in (2, 3, 4, 5)] == ["2", "3, two more", "4, last rep", "5"]
    assert say_count(3, 5, 1.79) == "3", "no room: the count alone"
    assert [say_count(r, 4, 3.0) for r in (1, 2, 3, 4)] == ["1", "2, two more", "3, last rep", "4"], \
        "the heaviest sets need it most"
    assert [say_count(r, 2, 3.0) for r in (1, 2)] == ["1, last rep", "2"]
    assert say_count(1, 1, 3.0) == "1"


def test_a_session_is_a_minute_from_59_and_a_half_seconds() -> None:
    assert (say_minutes(59.4), say_minutes(59.5), say_minutes(89.0), say_minutes(90.0)) == \
        ("under a minute", "1 minute", "1 minute", "2 minutes")


def test_loads_are_said_in_words_whatever_their_case() -> None:
    assert say_load("100 KG") == "100 kilograms"
    assert (say_load("1 kg"), say_load("1 lb"), say_load("1.0 kg"), say_load("1.5 lb")) == \
        ("1 kilogram", "1 pound", "1.0 kilogram", "1.5 pounds"), "one is singular"
    assert say_load("2.5kg, RPE 8, rir 2") == "2.5 kilograms, R P E 8, reps in reserve 2"


def test_numbers_are_said_without_a_needless_point() -> None:
    assert (say_number(3.0), say_number(2.5), say_number(12)) == ("3", "2.5", "12")
    assert say_number(1_234_567.0) == "1234567", "never in scientific notation"


def test_one_set_is_said_as_what_it_asks_with_a_capital() -> None:
    assert say_sets(Exercise("Plank", (SetSpec(hold_s=30),))) == "A 30 second hold"
    assert say_sets(Exercise("Push-ups", (SetSpec(),))) == "As many reps as you can"
    assert say_sets(Exercise("Plank", (SetSpec(hold_s=45), SetSpec(hold_s=45)))) == "2 holds of 45 seconds"
    assert say_sets(Exercise("Squats", (SetSpec(reps=8),) * 3)) == "3 sets of 8 reps"


def test_sets_that_differ_in_kind_are_said_one_after_another() -> None:
    assert say_sets(Exercise("Push-ups", (SetSpec(reps=10), SetSpec()))) == \
        "2 sets: 10 reps, then as many reps as you can"


def test_holds_of_90_seconds_or_more_are_said_as_a_hold_of() -> None:
    assert [say_work(SetSpec(hold_s=s)) for s in (89, 90, 150)] == \
        ["an 89 second hold", "a hold of 90 seconds", "a hold of 2 and a half minutes"]


def test_timed_movement_is_said_as_its_time_and_a_hold_only_when_it_is_one() -> None:
    taps = Exercise("Plank shoulder taps", (SetSpec(hold_s=30, moving=True),))
    assert say_sets(taps) == "For 30 seconds"
    assert say_work(taps.sets[0], taps) == "30 seconds"
    superman = Exercise("Superman hold", (SetSpec(hold_s=20),))
    assert say_work(superman.sets[0], superman) == "20 seconds", "not 'Superman hold, a 20 second hold'"
    assert say_sets(Exercise("Marching", (SetSpec(hold_s=60, moving=True),) * 2)) == "2 sets of 60 seconds"
    assert say_work(SetSpec(hold_s=30)) == "a 30 second hold"
    assert say_sets(Exercise("Superman hold", (SetSpec(hold_s=20),))) == "For 20 seconds"
    assert say_sets(Exercise("Superman hold", (SetSpec(hold_s=20),) * 2)) == "2 sets of 20 seconds"
    assert say_sets(Exercise("Superman hold", (SetSpec(hold_s=20), SetSpec(hold_s=30)))) == \
        "2 sets: 20 seconds, then 30 seconds"
