"""PURE: durations and tempos as lifters write them, parsed to numbers. Imports nothing from voicecoach.

Durations: ``90``, ``90s``, ``1m30s``, ``1:30``, ``2 min``, ``1.5 min``, ``45 sec``.
Tempos: ``3-1-1-0`` (lowering, pause, lifting, pause, in seconds) or ``3110``;
``X`` means explosive and counts as half a second.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_UNIT_S = {
    "h": 3600.0, "hr": 3600.0, "hrs": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
}
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*")
_CLOCK = re.compile(r"^(\d+):([0-5]\d)$")
EXPLOSIVE_S = 0.5


def parse_duration(text: str) -> float:
    """Seconds in a duration such as ``"1m30s"`` or ``"2 min"``.

    Raises:
        ValueError: the text is not a duration.
    """
    s = text.strip().lower()
    clock = _CLOCK.match(s)
    if clock:
        return int(clock.group(1)) * 60.0 + int(clock.group(2))
    total, pos, last_unit = 0.0, 0, None
    if not s:
        raise ValueError("empty duration")
    while pos < len(s):
        m = _PART.match(s, pos)
        if not m or m.end() == pos:
            raise ValueError(f"not a duration: {text!r}")
        number, unit = float(m.group(1)), m.group(2) or "s"
        if unit not in _UNIT_S:
            raise ValueError(f"unknown unit {unit!r}")
        if last_unit is not None and _UNIT_S[unit] >= last_unit:
            raise ValueError("units must go from larger to smaller")
        last_unit = _UNIT_S[unit]
        total += number * _UNIT_S[unit]
        pos = m.end()
    return total


class Tempo(NamedTuple):
    """Seconds of each phase of one rep: lowering, pause at the bottom, lifting, pause at the top."""

    lower_s: float
    bottom_s: float
    lift_s: float
    top_s: float

    @property
    def rep_s(self) -> float:
        """Length of one whole rep in seconds."""
        return self.lower_s + self.bottom_s + self.lift_s + self.top_s

    @property
    def count_offset_s(self) -> float:
        """Seconds from the start of a rep to the moment it completes (the end of the lift)."""
        return self.lower_s + self.bottom_s + self.lift_s

    def __str__(self) -> str:
        return "-".join(_phase_text(p) for p in (self.lower_s, self.bottom_s, self.lift_s, self.top_s))


def _phase_text(seconds: float) -> str:
    """A phase as written: whole seconds, or X (the only phase that is not whole)."""
    return "X" if seconds == EXPLOSIVE_S else str(int(seconds))


def _phase(part: str) -> float:
    if part.upper() == "X":
        return EXPLOSIVE_S
    return float(part)


class TempoError(ValueError):
    """A tempo that is well formed but means nothing a lifter could do; the message says why."""


def parse_tempo(text: str) -> Tempo:
    """The `Tempo` in ``"3-1-1-0"`` or ``"31X0"``. X ("explosive") belongs to the lift, the third phase.

    Raises:
        TempoError: X in another phase (with the tempo most likely meant), or a rep under a second.
        ValueError: not four phases of whole seconds (or X).
    """
    s = text.strip()
    if re.fullmatch(r"[0-9xX]{4}", s):
        parts = list(s)
    else:
        parts = re.split(r"\s*[-/.]\s*|\s+", s)
        if len(parts) != 4 or not all(re.fullmatch(r"\d{1,2}|[xX]", p) for p in parts):
            raise ValueError(f"not a tempo: {text!r}")
    misplaced = [i for i, p in enumerate(parts) if p.upper() == "X" and i != 2]
    if misplaced:
        raise TempoError(f"{text.strip()} puts X (explosive) in the {_PHASE_NAMES[misplaced[0]]}; "
                         f"X only fits the lifting phase, the third number{_likely_meant(parts)}")
    tempo = Tempo(*(_phase(p) for p in parts))
    if tempo.rep_s < 1.0:
        raise TempoError(f"{text.strip()} gives a rep of {tempo.rep_s:g} seconds; a rep must last at least one second")
    return tempo


_PHASE_NAMES = ("lowering", "bottom pause", "lifting", "top pause")


def _likely_meant(parts: list[str]) -> str:
    """"; did you mean 3-1-X-0?" when one X sits where a number belongs: X and the lift swap places."""
    xs = [i for i, p in enumerate(parts) if p.upper() == "X"]
    if len(xs) != 1:
        return ""
    fixed = list(parts)
    fixed[xs[0]], fixed[2] = fixed[2], "X"
    return f"; did you mean {'-'.join(fixed)}?"
