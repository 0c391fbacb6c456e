"""PURE: what a routine file describes, as frozen values (`Routine`, `Exercise`, ...), and the
limits of the format. Knows nothing of YAML or files (see `routine.reader`, `routine.file`).

Imports: voicecoach.routine.quantity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import Enum
from typing import NamedTuple

from voicecoach.routine.quantity import Tempo

FORMAT_VERSION = 1
MAX_FILE_BYTES = 1 << 20
MAX_NODES = 200_000
MAX_SETS = 100
MAX_REPS = 1000
MAX_ROUNDS = 1000
ENGINES = ("espeak", "piper")  # the speech engines a routine or the config file may name
MAX_DURATION_S = 4 * 3600.0       # one value: a rest, a hold, a cap
MAX_SESSION_S = 24 * 3600.0       # a whole session's plan
MAX_EVENTS = 1_000_000            # phrases and tones in a session's plan
MAX_TRAINING_MAX = {"kg": 1000, "lb": 2204}  # beyond any lift ever made: a typo
MAX_PERCENT = 200.0               # of a training max
EQUIPMENT = ("barbell", "dumbbells", "kettlebell", "other")
"""What an exercise is loaded with: a barbell takes plates, dumbbells and kettlebells are fixed
weights, anything else (a machine, a band) is said as computed."""
ROUNDINGS = ("down", "nearest", "up")


class Sides(Enum):
    """How an exercise treats left and right."""

    BOTH = "both"            # both sides at once (squats)
    EACH = "each"            # one side, "switch sides", the other side
    ALTERNATE = "alternate"  # left and right in turn within the set


class SetSpec(NamedTuple):
    """What one set asks for: reps (None = as many as possible) or a hold, a load, warm-up or not."""

    reps: int | None = None
    hold_s: float | None = None
    load: str | None = None
    warmup: bool = False
    cap_s: float | None = None
    moving: bool = False    # a timed set of movement (`time:`), not a hold: "30 seconds", never "a hold"
    plates: tuple[float, ...] | None = None  # per side, heaviest first, once a load is put together
    plus: bool = False      # `reps: 5+`: at least `reps`, then as many as possible (counted on, up to the cap)

    @property
    def open(self) -> bool:
        """A set that ends when the lifter says so: AMRAP, or a target then as many as possible."""
        return self.amrap or self.plus

    @property
    def percent(self) -> float | None:
        """The share of the training max a load such as "75%" asks for, in percent."""
        if self.load is None or not self.load.endswith("%"):
            return None
        return float(self.load[:-1])

    @property
    def amrap(self) -> bool:
        """True for an "as many reps as possible" set."""
        return self.reps is None and self.hold_s is None


TIP_KINDS = ("reps", "holds", "timed")
"""What a tip may be said before: sets of reps (AMRAP too), holds, timed sets of movement."""


class Tip(NamedTuple):
    """A general tip, said in a long rest; `before` names the kind of set it fits (None: any)."""

    text: str
    before: str | None = None

    def fits(self, spec: SetSpec) -> bool:
        """Whether the tip suits a rest before `spec`."""
        return self.before is None or self.before == set_kind(spec)


def set_kind(spec: SetSpec) -> str:
    """"reps", "holds" or "timed": what a set asks for, as tips name it."""
    if spec.hold_s is None:
        return "reps"
    return "timed" if spec.moving else "holds"


class Progression(NamedTuple):
    """How a load moves from session to session (see `voicecoach.plan.progression`)."""

    add: float                 # in the load's own unit, after a session with every set completed
    deload_pct: float = 0.0    # after `after` sessions in a row with a set not completed
    after: int = 3


RULE_WHENS = ("success", "failure", "failures", "last stage failure", "cycle", "amrap")
"""When a progression rule acts, after a session of its exercise: every work set done (5+: its target
reached); a set failed or short (not at the last stage, if there are stages); that many sessions
failed in a row; a failure at the last stage; the end of each cycle; on the reps of its last open set."""


class Rule(NamedTuple):
    """One progression rule: when it acts, and what it does to the exercise's load (its training max,
    for an exercise loaded by percentages) and stage."""

    when: str                        # one of RULE_WHENS
    times: int = 1                   # failures in a row; the reps an AMRAP must reach (0: a table decides)
    add: float = 0.0                 # to the load (or the max), in the routine's unit
    deload_pct: float = 0.0          # taken off the load (or the max)
    table: tuple[tuple[int, int | None, float], ...] = ()   # AMRAP reps low..high (None: and more) -> add
    stage: int | None = None         # move to this stage (1-based); 0: the next one


class Exercise(NamedTuple):
    """One exercise, with its sets in order (warm-up sets first)."""

    name: str
    sets: tuple[SetSpec, ...]
    sides: Sides = Sides.BOTH
    limb: str = "side"
    tempo: Tempo = Tempo(2, 0, 1, 0)
    rest_s: float = 60.0
    rest_after_s: float = 90.0
    switch_s: float = 5.0
    how: str | None = None
    cues: tuple[str, ...] = ()
    progression: Progression | None = None
    tempo_beats: bool = True  # soft beats pace a lowering phase of 2 s or more
    weeks: tuple[tuple[SetSpec, ...], ...] = ()  # a program's sets week by week (`sets` is week 1's)
    stages: tuple[tuple[SetSpec, ...], ...] = ()  # schemes moved through on failure (`sets` is stage 1's)
    rules: tuple[Rule, ...] = ()                  # progression rules (`progression` is the short form)
    equipment: str | None = None  # one of EQUIPMENT; None: a barbell for a percentage, else "other"
    say_plates: bool = True       # say how to load the bar when the load changes
    load_at: tuple[int, int] = (0, 0)  # line and column of `load` in the file, for a missing training max

    @property
    def gear(self) -> str:
        """What the exercise is loaded with (see EQUIPMENT)."""
        if self.equipment is not None:
            return self.equipment
        return "barbell" if any(s.percent is not None for s in self.sets) else "other"


class Group(NamedTuple):
    """A superset or circuit: its exercises back to back, `rounds` times, rest after each round."""

    kind: str  # "superset" | "circuit"
    name: str
    rounds: int
    exercises: tuple[Exercise, ...]
    rest_between_s: float
    rest_s: float
    rest_after_s: float


class Intervals(NamedTuple):
    """Timed work and rest for `rounds` rounds (Tabata: 8 x 20 s / 10 s); exercises cycle per round."""

    name: str
    rounds: int
    work_s: float
    rest_s: float
    exercises: tuple[Exercise, ...]
    rest_after_s: float


Block = Exercise | Group | Intervals


class Defaults(NamedTuple):
    """Session-wide settings that exercises inherit."""

    rest_s: float = 60.0
    rest_after_s: float = 90.0
    tempo: Tempo = Tempo(2, 0, 1, 0)
    get_ready_s: float = 10.0
    switch_s: float = 5.0
    amrap_cap_s: float = 60.0
    unit: str = "kg"
    voice: str | None = None
    rate_wpm: int | None = None
    volume: float | None = None
    duck_db: float | None = None        # how far other streams are lowered while the coach speaks
    voice_at: tuple[int, int] = (0, 0)  # line and column of `voice` in the file: only the engine can judge it
    engine: str | None = None           # "espeak" or "piper"
    tempo_beats: bool = True
    rounding: str | None = None         # how a computed load becomes one that can be loaded (ROUNDINGS)


class Day(NamedTuple):
    """One day of a program: its own warm-up, exercises and cool-down."""

    name: str
    warmup: tuple[Block, ...]
    exercises: tuple[Block, ...]
    cooldown: tuple[Block, ...]


MAX_WEEKS = 52


class Routine(NamedTuple):
    """A whole session as written in a routine file, validated."""

    name: str
    description: str | None
    tips: tuple[Tip, ...]
    defaults: Defaults
    warmup: tuple[Block, ...]
    exercises: tuple[Block, ...]
    cooldown: tuple[Block, ...]
    source: str = ""
    text: str = ""
    maxes: tuple[tuple[str, float], ...] = ()  # starting training maxes, in the routine's unit
    days: tuple[Day, ...] = ()     # a program: days played in rotation (the blocks above are the day chosen)
    weeks: int = 1                 # a program's cycle: weeks whose exercises may differ
    day_label: str | None = None   # "Week 2, day 3: Bench.", said after the welcome

    @property
    def program(self) -> bool:
        """Whether the routine has days or weeks to choose from."""
        return bool(self.days) or self.weeks > 1

    @property
    def blocks(self) -> tuple[Block, ...]:
        """Warm-up, main and cool-down blocks in the order they are done."""
        return self.warmup + self.exercises + self.cooldown

    @property
    def sha256(self) -> str:
        """Hash of the routine's source text, to recognise it in history."""
        import hashlib  # ~9 ms to import: only when history needs it, after the first sound

        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def iter_exercises(routine: Routine) -> Iterator[Exercise]:
    """Every exercise of the routine, in order, each as often as it appears."""
    for block in routine.blocks:
        if isinstance(block, Exercise):
            yield block
        else:
            yield from block.exercises


def every_exercise(routine: Routine) -> Iterator[Exercise]:
    """Every exercise of every day of a program (of the routine, if it has no days), in order."""
    days = routine.days or (Day("", routine.warmup, routine.exercises, routine.cooldown),)
    for day in days:
        for block in day.warmup + day.exercises + day.cooldown:
            yield from (block,) if isinstance(block, Exercise) else block.exercises


def with_exercises(routine: Routine, change: Callable[[Exercise], Exercise]) -> Routine:
    """`routine` with `change` made to each exercise done in sets, alone or in a superset or circuit
    (an interval block's exercises are its timed work, left as they are), in the order they are done."""
    def block(b: Block) -> Block:
        if isinstance(b, Exercise):
            return change(b)
        if isinstance(b, Group):
            return b._replace(exercises=tuple(map(change, b.exercises)))
        return b
    return routine._replace(warmup=tuple(map(block, routine.warmup)), exercises=tuple(map(block, routine.exercises)),
                            cooldown=tuple(map(block, routine.cooldown)))
