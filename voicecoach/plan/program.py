"""PURE: where a lifter is in a program. Days are played in rotation and weeks follow one another;
after the last week the cycle starts again. A position is the day (its place in the routine)
and the week counted from the first session (week 5 of a 4-week program is cycle 2, week 1).

Imports: voicecoach.routine.model.
"""

from __future__ import annotations

from typing import NamedTuple

from voicecoach.routine.model import Exercise, Routine, with_exercises


class Position(NamedTuple):
    """A day of a program (0-based, as listed) in a week (1-based, counted across cycles)."""

    day: int = 0
    week: int = 1

    def cycle(self, routine: Routine) -> int:
        """The cycle this week is in, from 1."""
        return (self.week - 1) // routine.weeks + 1

    def week_in_cycle(self, routine: Routine) -> int:
        """The week within its cycle, from 1."""
        return (self.week - 1) % routine.weeks + 1


def next_position(routine: Routine, last: Position | None) -> Position:
    """The day after `last` (the first day of the next week after a week's last day)."""
    if last is None:
        return Position()
    days = max(1, len(routine.days))
    if last.day + 1 < days:
        return Position(last.day + 1, last.week)
    return Position(0, last.week + 1)


def find_day(routine: Routine, name: str) -> int | None:
    """The place of the day called `name` (case-insensitive), or of its 1-based number."""
    names = [d.name.lower() for d in routine.days]
    if name.strip().lower() in names:
        return names.index(name.strip().lower())
    if name.strip().isdigit() and 1 <= int(name) <= len(names):
        return int(name) - 1
    return None


def day_label(routine: Routine, at: Position) -> str | None:
    """What the coach says of the day: "Week 2, day 3: Bench.", "Cycle 2, week 1, day 1: Press."."""
    if not routine.program:
        return None
    parts = []
    if at.cycle(routine) > 1:
        parts.append(f"Cycle {at.cycle(routine)}")
    if routine.weeks > 1 or at.week > 1:
        parts.append(f"week {at.week_in_cycle(routine)}" if parts else f"Week {at.week_in_cycle(routine)}")
    if routine.days:
        parts.append(f"day {at.day + 1}" if parts else f"Day {at.day + 1}")
        return f"{', '.join(parts)}: {routine.days[at.day].name}."
    return f"{', '.join(parts)}."


def on_day(routine: Routine, at: Position) -> Routine:
    """The routine as played on the day and week `at`: that day's blocks, each exercise with that
    week's sets."""
    week = at.week_in_cycle(routine)

    def exercise(ex: Exercise) -> Exercise:
        return ex._replace(sets=ex.weeks[week - 1]) if ex.weeks else ex

    if routine.days:
        day = routine.days[at.day]
        routine = routine._replace(warmup=day.warmup, exercises=day.exercises, cooldown=day.cooldown)
    return with_exercises(routine, exercise)._replace(day_label=day_label(routine, at))
