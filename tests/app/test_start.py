"""--start EXERCISE[:SET[:SIDE]]: a step of the routine, or one line saying what there is."""

from __future__ import annotations

import pytest

from voicecoach.app.choices import start_step
from voicecoach.errors import UsageError
from voicecoach.routine.library import resolve_routine


@pytest.mark.parametrize("routine, start, said", [
    ("legs-and-back", "Deadlifts:9", "--start: Deadlifts has 3 sets (1 to 3), got set 9"),
    ("legs-and-back", "Deadlifts:2:left",
     "--start: Deadlifts is done with both sides at once; leave out the side in 'Deadlifts:2:left'"),
    ("legs-and-back", "Lunges:1:middle", "--start: the sides of Lunges are right and left, got 'middle'"),
    ("tabata", "Mountain climbers:3", "--start: round 3 is Jump squats; Mountain climbers is in rounds 2, 4, 6, 8"),
    ("tabata", "Mountain climbers:9", "--start: Mountain climbers is in rounds 2, 4, 6, 8, got round 9"),
    ("legs-and-back", "Planks", "--start: no 'Planks' in Legs and back; exercises: Squats, Lunges, Step-ups, "
                                "Deadlifts, Bent-over rows, Lat pulldowns"),
])
def test_a_start_that_is_not_there_says_what_is(routine: str, start: str, said: str) -> None:
    with pytest.raises(UsageError) as e:
        start_step(resolve_routine(routine), start)
    assert str(e.value) == f"voicecoach: error: {said}"


def test_a_start_that_is_there_is_its_step() -> None:
    assert start_step(resolve_routine("tabata"), "Mountain climbers:4") == 3
    assert start_step(resolve_routine("legs-and-back"), "lunges:2:left") == 6, "after 3 squats, 2 sides a set"
