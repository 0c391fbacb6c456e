"""PURE: a set (or one side of one) as it was done, as the live loop hands it to whoever keeps the
log, with the clock's time written as the log keeps it.

Imports: nothing from voicecoach.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple


def utc_now() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def iso_time(t: datetime) -> str:
    """`t` as the log writes times: ISO 8601 in UTC, to the millisecond."""
    return t.astimezone(UTC).isoformat(timespec="milliseconds")


class SetRecord(NamedTuple):
    """One set (or one side of one) as it was done."""

    step: int
    exercise: str
    set_no: int
    set_count: int
    side: str | None
    planned_reps: int | None
    done_reps: int | None
    planned_hold_s: float | None
    done_hold_s: float | None
    load: str | None
    warmup: bool
    amrap: bool
    started_at: str
    ended_at: str
    skipped: bool = False
    paused_s: float = 0.0
    failed: bool = False    # ended by the lifter as failed ("f"): `done_reps` is the coach's count then
