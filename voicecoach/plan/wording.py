"""PURE: text written for the ear: durations, loads, sets and reps as a coach says them.

Imports: voicecoach.routine.model (types only).
"""

from __future__ import annotations

import re

from voicecoach.routine.model import Exercise, SetSpec, Sides

_UNIT_WORDS = {"kg": "kilogram", "kgs": "kilogram", "kilo": "kilogram", "kilos": "kilogram",
               "lb": "pound", "lbs": "pound", "#": "pound"}


def say_number(value: float) -> str:
    """``12.0`` -> ``"12"``, ``62.5`` -> ``"62.5"``."""
    return str(int(value)) if value == int(value) else f"{value:g}"


def say_duration(seconds: float) -> str:
    """Seconds as a coach says them: 45 -> "45 seconds", 90 -> "90 seconds", 120 -> "2 minutes",
    150 -> "2 and a half minutes", 135 -> "2 minutes and 15 seconds", 3660 -> "1 hour and 1 minute"."""
    total = round(seconds)
    if total >= 3600:
        hours, rest = divmod(total, 3600)
        parts = [plural(hours, "hour")]
        parts += [plural(rest // 60, "minute")] if rest // 60 else []
        parts += [plural(rest % 60, "second")] if rest % 60 else []
        return say_list(parts)
    minutes, rest = divmod(total, 60)
    if total < 120:   # "90 seconds" as a coach says it, not "a minute and a half"
        return plural(total, "second")
    if rest == 0:
        return plural(minutes, "minute")
    if rest == 30:
        return f"{minutes} and a half minutes"
    return f"{plural(minutes, 'minute')} and {plural(rest, 'second')}"


def say_load(load: str) -> str:
    """A load for the ear: "60 kg" -> "60 kilograms", "RPE 8" -> "R P E 8"."""
    def unit(m: re.Match[str]) -> str:
        word = _UNIT_WORDS[m.group(2).lower()]
        return f"{m.group(1)} {word}" if float(m.group(1)) == 1 else f"{m.group(1)} {word}s"
    text = re.sub(r"(\d+(?:\.\d+)?)\s*(kgs?|kilos?|lbs?|#)\b", unit, load, flags=re.IGNORECASE)
    text = re.sub(r"(?i)\bRPE\b", "R P E", text)
    text = re.sub(r"(?i)\bRIR\b", "reps in reserve", text)
    return text


_COUNT_WORDS = ("", "a", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def say_plates(per_side: tuple[float, ...]) -> str:
    """How to load a bar, as a spotter says it: "a 25, a 15 and a 1.25 each side", "two 20s each
    side", "just the bar"."""
    if not per_side:
        return "just the bar"
    groups: list[str] = []
    for weight in dict.fromkeys(per_side):  # heaviest first, as they go on
        n, said = per_side.count(weight), say_number(weight)
        if n == 1:
            groups.append(f"{article(int(weight))} {said}")
        else:
            groups.append(f"{_COUNT_WORDS[n] if n < len(_COUNT_WORDS) else n} {said}s")
    return f"{say_list(groups)} each side"


def per_side(exercise: Exercise) -> str:
    """", each leg" or ", alternating legs" or ""."""
    if exercise.sides is Sides.EACH:
        return f", each {exercise.limb}"
    if exercise.sides is Sides.ALTERNATE:
        return f", alternating {exercise.limb}s"
    return ""


def plural(count: int, noun: str) -> str:
    """"1 rep", "2 reps", "0 exercises"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def article(number: int) -> str:
    """"a" or "an" before a number as it is said: an 8, an 11, an 18, an 80; a 45."""
    spoken_with_vowel = str(number).startswith("8") or number in (11, 18) or 11_000 <= number < 12_000 \
        or 18_000 <= number < 19_000
    return "an" if spoken_with_vowel else "a"


def said_as_time(exercise: Exercise, spec: SetSpec) -> bool:
    """A timed set said as its time ("30 seconds"), not as "a 30 second hold": movement on the clock,
    or an exercise whose name already says it is a hold ("Superman hold")."""
    return spec.hold_s is not None and (spec.moving or "hold" in exercise.name.lower())


def say_work(spec: SetSpec, exercise: Exercise | None = None) -> str:
    """What one set asks for: "12 reps", "a 45 second hold", "an 8 second hold", "as many reps as you can";
    "30 seconds" for a timed set of movement (or of an exercise named a hold)."""
    if spec.hold_s is not None and (spec.moving or (exercise is not None and said_as_time(exercise, spec))):
        return say_duration(spec.hold_s)
    if spec.hold_s is not None:
        seconds = round(spec.hold_s)
        return f"{article(seconds)} {seconds} second hold" if spec.hold_s < 90 \
            else f"a hold of {say_duration(spec.hold_s)}"
    if spec.reps is None:
        return "as many reps as you can"
    if spec.plus:
        return f"{spec.reps} or more reps"
    return plural(spec.reps, "rep")


def say_sets(exercise: Exercise) -> str:
    """The sets and reps of an exercise: "3 sets of 12 reps, each leg"."""
    work = [s for s in exercise.sets if not s.warmup]
    warm = len(exercise.sets) - len(work)
    lead = ""
    if warm:
        lead = "1 warm-up set, then " if warm == 1 else f"{warm} warm-up sets, then "
    kinds = {say_work(s) for s in work}   # (how many kinds: the same said with the exercise's name)
    n = len(work)
    sets = f"{n} sets"   # said only of two or more
    counts = [s.reps for s in work if s.reps is not None and not s.plus]
    if n == 1 and said_as_time(exercise, work[0]):
        body = f"For {say_work(work[0], exercise)}"
    elif n == 1:
        body = say_work(work[0])
        body = body[0].upper() + body[1:]
    elif len(kinds) == 1 and work[0].hold_s is not None and not said_as_time(exercise, work[0]):
        body = f"{n} holds of {say_duration(work[0].hold_s)}"
    elif len(kinds) == 1:
        body = f"{sets} of {say_work(work[0], exercise)}"
    elif len(counts) == n:
        body = f"{sets}: {', '.join(str(c) for c in counts[:-1])}, then {plural(counts[-1], 'rep')}"
    else:
        body = f"{sets}: " + ", then ".join(say_work(s, exercise) for s in work)
    return lead + body + per_side(exercise)


def say_set_label(spec: SetSpec, set_no: int, set_count: int, *, rounds: bool = False) -> str:
    """"Set 2 of 3", "Last set" or "Warm-up set"; in a superset, circuit or intervals, "Round 2 of 8"."""
    if spec.warmup:
        return "Warm-up set"
    word = "round" if rounds else "set"
    if set_count > 1 and set_no == set_count:
        return f"Last {word}"
    return f"{word.capitalize()} {set_no} of {set_count}"


def say_count(rep: int, reps: int, room_s: float) -> str:
    """The count spoken as rep `rep` of `reps` completes; with "two more" / "last rep" when there is room
    (the heaviest sets, of 2 to 4 reps, need it most)."""
    if room_s >= 1.8:
        if rep == reps - 2 and rep >= 1:
            return f"{rep}, two more"
        if rep == reps - 1 and rep >= 1:
            return f"{rep}, last rep"
    return str(rep)


def say_minutes(seconds: float) -> str:
    """A session length: "38 minutes", "1 minute", "under a minute" (never "1 minute" for 20 s; never
    seconds either: the summary is planned before the phrases' true lengths are known, and a
    length said to the second would change, and need saying anew, with each of them)."""
    if seconds < 59.5:
        return "under a minute"
    minutes = round(seconds / 60)
    return plural(minutes, "minute") if minutes < 60 else say_duration(minutes * 60)


def say_list(items: list[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
