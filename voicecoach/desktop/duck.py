"""Music ducked while the coach speaks: every other playback stream on the sound server is lowered
by `duck_db` for each phrase and brought back between phrases. The only user of the sound
server's own protocol (pulsectl over libpulse: PulseAudio and PipeWire's pipewire-pulse alike).

Plan-driven: the plan knows when each phrase starts and ends, so the ramps (0.15 s down, 0.3 s
up) begin on time, not after the fact. Volumes changed through the protocol are saved by the
server (stream-restore), so a crash would leave the music quiet for good: what was lowered is
kept in a small journal (written atomically before each change: a stream's own volume and the
values we are setting it to), and the next start restores any stream still at a value we set
(`restore_from_journal`). A stream comes back to exactly its volume, unless the user changed it
while it was lowered, or after a crash: any other value is the user's choice, and stands.

Imports: pulsectl (on the ducking thread, after the first sound), voicecoach.fileio.
"""

from __future__ import annotations

import bisect
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from voicecoach.fileio import write_atomic

DOWN_S = 0.15          # the ramp down ends as the phrase begins
UP_S = 0.3             # and the way back up starts as it ends
BRIDGE_S = 0.8         # phrases closer than this stay ducked in between (no pumping)
STEP_S = 0.02          # how often the ramp moves
LOOK_S = 0.5           # how often new and vanished streams are looked for while a phrase plays
IDLE_S = 0.5           # at most this long asleep between phrases (a skip brings a new plan)
TOLERANCE = 0.002      # a volume within this of ours is ours; further is the user's


def volume_factor(db: float) -> float:
    """The factor on a stream's volume that lowers it by `db` decibels (PulseAudio volumes are cubic)."""
    return float(10 ** (-db / 60))


class Ramps:
    """The plan's phrases as ramps of the music's level: found by bisection, as the clock moves. Pure."""

    def __init__(self, phrases: list[tuple[float, float]]) -> None:
        self.phrases = bridged(sorted(phrases))
        self.ramp_starts = [start - DOWN_S for start, _ in self.phrases]

    def depth(self, t_s: float) -> float:
        """0 (the music's own level) to 1 (fully lowered) at session time `t_s`."""
        i = bisect.bisect_right(self.ramp_starts, t_s) - 1
        if i < 0:
            return 0.0
        start, end = self.phrases[i]  # bridged: no other phrase's ramps reach this moment
        if t_s < start:
            return (t_s - (start - DOWN_S)) / DOWN_S
        if t_s <= end:
            return 1.0
        return max(0.0, 1 - (t_s - end) / UP_S)

    def quiet_for_s(self, t_s: float) -> float:
        """Seconds until the next ramp starts (0 inside one)."""
        if self.depth(t_s) > 0:
            return 0.0
        i = bisect.bisect_right(self.ramp_starts, t_s)
        return self.ramp_starts[i] - t_s if i < len(self.ramp_starts) else float("inf")


def gain_at(t_s: float, phrases: list[tuple[float, float]], duck_db: float) -> float:
    """How far other streams are lowered (0 dB .. `duck_db`) at session time `t_s`. Pure."""
    return duck_db * Ramps(phrases).depth(t_s)


def bridged(phrases: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Phrases closer than BRIDGE_S merged, so the music does not pump between them."""
    out: list[tuple[float, float]] = []
    for start, end in phrases:
        if out and start - out[-1][1] < BRIDGE_S:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


class Lowered(NamedTuple):
    """A stream we lowered: what it was, and what we last set it to."""

    original: tuple[float, ...]
    ours: tuple[float, ...]


def _journal(path: Path, lowered: dict[int, Lowered], setting: dict[int, tuple[float, ...]] | None = None,
             *, sync: bool = True) -> None:
    """Write what we lowered: each stream's own volume and the values it may be at now (the last
    one set and, for `setting`, the one about to be set: a crash may fall between the two)."""
    if not lowered:
        path.unlink(missing_ok=True)
        return
    setting = setting or {}
    entries = {str(i): {"original": list(v.original),
                        "ours": [list(v.ours)] + ([list(setting[i])] if i in setting else [])}
               for i, v in lowered.items()}
    write_atomic(path, json.dumps(entries).encode(), make_dirs=True, sync=sync)


def _at(now: tuple[float, ...], ours: tuple[float, ...] | list[float]) -> bool:
    """Whether a stream's volume `now` is the one we set (`ours`), within the server's rounding."""
    return len(ours) == len(now) and all(abs(n - o) <= TOLERANCE for n, o in zip(now, ours))


def still_ours(now: tuple[float, ...], entry: Any) -> bool:
    """Whether a stream at volume `now` is where a crashed session left it, by its journal entry:
    within TOLERANCE of a value we set (any other value is the user's). Pure.

    An entry of an older journal holds the stream's own volume alone: then any lower value counts."""
    if isinstance(entry, list):
        return len(entry) == len(now) and all(n < o - TOLERANCE for n, o in zip(now, entry))
    return any(_at(now, ours) for ours in entry.get("ours", []))


def _original(entry: Any) -> list[float]:
    return list(entry if isinstance(entry, list) else entry["original"])


def restore_from_journal(path: Path, debug: Callable[[str], None] = lambda text: None) -> int:
    """Bring back every stream a crashed session left lowered and still at a value it set; returns
    how many. Nothing to do, and nothing imported, without a journal."""
    try:
        saved = {int(k): v for k, v in json.loads(path.read_text()).items()}
        originals = {i: _original(v) for i, v in saved.items()}
    except FileNotFoundError:
        return 0
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        debug(f"duck: unreadable journal {path} ({exc})")
        path.unlink(missing_ok=True)
        return 0
    restored = 0
    try:
        import pulsectl
        with pulsectl.Pulse("voicecoach-restore") as pulse:
            for si in pulse.sink_input_list():
                entry = saved.get(si.index)
                now = tuple(si.volume.values)
                if entry is None or len(originals[si.index]) != len(now):
                    continue
                if still_ours(now, entry):  # any other value is the user's choice
                    pulse.volume_set(si, pulsectl.PulseVolumeInfo(originals[si.index]))
                    restored += 1
    except Exception as exc:  # no server now: keep the journal for the next start
        debug(f"duck: could not restore ({exc})")
        return 0
    path.unlink(missing_ok=True)
    debug(f"duck: restored {restored} streams a previous session left lowered")
    return restored


class Ducker:
    """Lowers the other streams while phrases play, on a thread of its own."""

    def __init__(self, duck_db: float, journal: Path, phrases: Callable[[], list[tuple[float, float]]],
                 now_s: Callable[[], float], debug: Callable[[str], None] = lambda text: None) -> None:
        """`phrases`: the (start, end) seconds of the current plan's phrases, on the session clock
        `now_s` (what is heard now)."""
        self.duck_db = duck_db
        self.journal = journal
        self.phrases = phrases
        self.now_s = now_s
        self.debug = debug
        self.lowered: dict[int, Lowered] = {}
        self._users: set[int] = set()          # streams the user changed: left alone
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="voicecoach-duck", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop and bring everything back (on every way out)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5.0)

    def _run(self) -> None:
        try:
            import pulsectl
            pulse = pulsectl.Pulse("voicecoach-duck")
        except Exception as exc:
            self.debug(f"duck: no sound server to duck through ({exc})")
            return
        try:
            streams: list[Any] = []
            looked = 0.0
            applied = 0.0
            ramps = Ramps([])
            plan_source: Any = None
            while not self._stop.is_set():
                phrases = self.phrases()
                if phrases is not plan_source:
                    ramps, plan_source = Ramps(phrases), phrases
                t = self.now_s()
                depth = self.duck_db * ramps.depth(t)
                if depth == 0.0 and applied == 0.0 and not self.lowered:
                    # between phrases nothing is touched: asleep until the next ramp (CPU at rest)
                    self._stop.wait(min(IDLE_S, max(STEP_S, ramps.quiet_for_s(t))))
                    looked = 0.0   # the streams are looked at again when the next ramp begins
                    continue
                now = time.monotonic()
                if now - looked >= LOOK_S:
                    streams = [si for si in pulse.sink_input_list()
                               if si.proplist.get("application.process.id") != str(os.getpid())]
                    self._forget_vanished(streams)
                    looked, applied = now, -1.0   # new streams get the current level too
                if abs(depth - applied) >= 0.25 or (depth == 0.0 and applied != 0.0):
                    self._apply(pulse, pulsectl, streams, depth)
                    applied = depth
                self._stop.wait(STEP_S)
        except Exception as exc:  # the server went away: nothing left to lower
            self.debug(f"duck: stopped ({exc})")
        finally:
            try:
                self._restore_all(pulse, pulsectl)
            finally:
                pulse.close()

    def _forget_vanished(self, streams: list[Any]) -> None:
        alive = {si.index for si in streams}
        gone = [i for i in self.lowered if i not in alive]
        for i in gone:
            del self.lowered[i]
        if gone:
            _journal(self.journal, self.lowered)

    def _apply(self, pulse: Any, pulsectl: Any, streams: list[Any], depth: float) -> None:
        factor = volume_factor(depth)
        for si in streams:
            if si.index in self._users:
                continue
            current = tuple(si.volume.values)
            known = self.lowered.get(si.index)
            if known is not None and not _at(current, known.ours):
                self._users.add(si.index)        # the user changed it while lowered: theirs now
                del self.lowered[si.index]
                _journal(self.journal, self.lowered)
                continue
            first = known is None
            if known is None:
                if depth == 0.0:
                    continue
                known = Lowered(current, current)
                self.lowered[si.index] = known
            target = tuple(v * factor for v in known.original)
            # before it changes, so that a crash can be undone: durably the first time, then
            # (each step of a ramp) without waiting for the disk, which a killed process does not need
            _journal(self.journal, self.lowered, {si.index: target}, sync=first)
            try:
                pulse.volume_set(si, pulsectl.PulseVolumeInfo(list(target)))
            except Exception:  # it vanished between the list and now
                continue
            si.volume = pulsectl.PulseVolumeInfo(list(target))
            if depth == 0.0:
                del self.lowered[si.index]
            else:
                self.lowered[si.index] = known._replace(ours=target)
        if depth == 0.0 and not self.lowered:
            _journal(self.journal, self.lowered)

    def _restore_all(self, pulse: Any, pulsectl: Any) -> None:
        if not self.lowered:
            return
        for si in pulse.sink_input_list():
            known = self.lowered.get(si.index)
            if known is None:
                continue
            if _at(tuple(si.volume.values), known.ours):
                pulse.volume_set(si, pulsectl.PulseVolumeInfo(list(known.original)))
        self.lowered.clear()
        _journal(self.journal, self.lowered)
