"""YAML text -> validated `Routine`: the routine file format, with every mistake reported at its
line and column, and a "did you mean" for misspelt keys.

Only imported when a routine is actually read (PyYAML costs ~15 ms to import, and a start with
a routine read before takes it from the cache: see `config.resolve_routine`).

Imports: yaml, voicecoach.routine.model, voicecoach.errors, voicecoach.routine.quantity.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from voicecoach.errors import Problem, RoutineError
from voicecoach.routine.quantity import Tempo, TempoError, parse_duration, parse_tempo
from voicecoach.routine.model import (
    ENGINES,
    EQUIPMENT,
    FORMAT_VERSION,
    MAX_PERCENT,
    MAX_TRAINING_MAX,
    ROUNDINGS,
    MAX_DURATION_S,
    MAX_EVENTS,
    MAX_SESSION_S,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_REPS,
    MAX_ROUNDS,
    MAX_SETS,
    TIP_KINDS,
    MAX_WEEKS,
    Block,
    Day,
    Defaults,
    Exercise,
    Group,
    Intervals,
    Progression,
    Routine,
    Rule,
    SetSpec,
    Sides,
    Tip,
)
from voicecoach.routine.size import Size, block_size

T = TypeVar("T")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same marks, 5x faster

# ---------------------------------------------------------------- keys

TOP_KEYS = ("version", "name", "description", "tips", "defaults", "maxes", "weeks", "warmup", "exercises", "cooldown",
            "days")
DAY_KEYS = ("name", "warmup", "exercises", "cooldown")
WEEK_KEYS = ("sets", "reps", "hold", "time", "load", "cap", "warmup_sets")
DEFAULT_KEYS = ("rest", "rest_after", "tempo", "get_ready", "switch_sides", "amrap_cap", "unit",
                "engine", "voice", "rate", "volume", "duck", "tempo_beats", "rounding")
EXERCISE_KEYS = ("name", "sets", "reps", "hold", "time", "sides", "tempo", "tempo_beats", "rest", "rest_after", "how",
                 "cues", "load", "cap", "warmup_sets", "switch_sides", "progression", "equipment", "plates", "weeks",
                 "stages")
GROUP_ITEM_KEYS = ("name", "reps", "hold", "time", "sides", "tempo", "tempo_beats", "how", "cues", "load", "cap",
                   "switch_sides", "progression", "equipment", "plates")
PROGRESSION_KEYS = ("add", "deload", "after")
RULE_KEYS = ("after", "add", "deload", "table", "stage")
GROUP_KEYS = ("name", "rounds", "rest", "rest_between", "rest_after", "exercises")
INTERVAL_KEYS = ("name", "rounds", "work", "rest", "rest_after", "exercises", "how", "cues")
INTERVAL_ITEM_KEYS = ("name", "how", "cues")
WARMUP_SET_KEYS = ("reps", "hold", "time", "load")
TIP_KEYS = ("say", "before")
# keys of an exercise that a group or an interval block sets for all its exercises
_IN_GROUP = {key: f"'{key}' is not used inside a superset or circuit; give 'rounds' and rests to the group"
             for key in ("sets", "rest", "rest_after", "warmup_sets")}
_IN_INTERVALS = {key: f"'{key}' is not used in an interval block: every exercise lasts the block's 'work'"
                 for key in ("reps", "hold", "time", "sets", "cap", "sides", "tempo", "load")}
BLOCK_KINDS = ("superset", "circuit", "intervals")
UNITS = ("kg", "lb")
AMRAP_WORDS = ("amrap", "max", "as many as possible")
_SIDES = re.compile(r"^(both|each|alternate|alternating)(?:\s+(leg|arm|side|hand|foot)s?)?$")


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag.endswith(":null"):
        return "nothing"
    value = _printable(str(node.value))
    if len(value) > 40:
        value = value[:37] + "..."
    if node.tag.endswith(":str"):
        return f'"{value}"'
    return value


def _printable(text: str) -> str:
    """`text` with control characters (a newline, a tab, a bell) written as escapes, to fit one line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _int_of(text: str) -> int | None:
    """The value of a YAML 1.1 integer scalar (1_000, 0x1F, 0o17, 0b101, +5, 1:30), or None when
    `text` is not one (an explicit `!!int abc`) or is too long to be a count."""
    if len(text) > 30:
        return None
    try:
        return _yaml_int(text)
    except ValueError:
        return None


def _float_of(text: str) -> float | None:
    """The value of a YAML number scalar (an integer, or 2.5, 1_0.5, 1.0e+3), or None when it is
    not one; .inf and .nan give None too (Python spells them otherwise), and no setting takes them."""
    as_int = _int_of(text)
    if as_int is not None:
        return float(as_int)
    try:
        return float(text.replace("_", ""))
    except ValueError:
        return None


def _yaml_int(text: str) -> int:
    """The value of a YAML 1.1 integer scalar (1_000, 0x1F, 0o17, +5).

    Raises:
        ValueError: `text` is not one.
    """
    t = text.replace("_", "").lower()
    sign = -1 if t.startswith("-") else 1
    t = t.lstrip("+-")
    if t.startswith("0o"):
        return sign * int(t[2:], 8)
    if t.startswith("0x") or t.startswith("0b"):
        return sign * int(t, 0)
    if len(t) > 1 and t.startswith("0") and t.isdigit():
        return sign * int(t, 8)
    if ":" in t:  # sexagesimal, e.g. 1:30
        total = 0
        for part in t.split(":"):
            total = total * 60 + int(part)
        return sign * total
    return sign * int(t)


def _suggest(key: str, allowed: tuple[str, ...]) -> list[str]:
    """The known key a misspelt `key` most likely meant: swapped letters first, then the closest."""
    import difflib  # only for a mistake

    swapped = [k for k in allowed if sorted(k) == sorted(key.lower())]
    return swapped[:1] or difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.6)


class _TooMany(Exception):
    """More entries than any routine has: aliases can name one part thousands of times, and each
    use is read again, so reading stops here rather than take minutes."""


class _Checker:
    """Walks the composed YAML tree, collecting every problem with its position."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.nodes = 0
        self.blocks: list[tuple[Node, Block]] = []  # every block read, in session order, with its node
        self.max_nodes: list[Node] = []  # the name of each training max read, in order
        self.week_lists: list[tuple[Node, int]] = []  # each exercise's `weeks`, and how many it lists
        self.exercise_names: set[str] = set()  # every exercise named, read whole or not

    def _entry(self) -> None:
        """Count one mapping, key or list read; past `MAX_NODES`, stop reading (`_TooMany`)."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooMany

    def fail(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, message))

    # -- structure

    def mapping(self, node: Node, allowed: tuple[str, ...] | None, what: str, required: tuple[str, ...] = (),
                misplaced: dict[str, str] | None = None) -> dict[str, tuple[Node, Node]] | None:
        """Keys of a mapping node, with unknown, duplicate and missing keys reported; a key known
        elsewhere but not here gets its own message from `misplaced`; `allowed` None takes any key."""
        self._entry()
        if not isinstance(node, MappingNode):
            self.fail(node, f"{what} must be a mapping of keys to values, got {_describe(node)}")
            return None
        out: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            self._entry()
            if not isinstance(key_node, ScalarNode):
                self.fail(key_node, f"a key in {what} must be a plain word, got {_describe(key_node)}")
                continue
            key = str(key_node.value)
            if key == "<<":
                self.fail(key_node, "merge keys ('<<') are not supported; repeat the keys instead")
                continue
            if key in out:
                first = out[key][0].start_mark.line + 1
                self.fail(key_node, f"duplicate key '{key}' in {what} (first given on line {first})")
                continue
            if allowed is not None and key not in allowed:
                if misplaced and key in misplaced:
                    self.fail(key_node, misplaced[key])
                    continue
                hint = _suggest(key, allowed)
                expected = ", ".join(allowed)
                msg = f"unknown key '{key}' in {what}"
                msg += f"; did you mean '{hint[0]}'?" if hint else f"; expected one of: {expected}"
                self.fail(key_node, msg)
                continue
            out[key] = (key_node, value_node)
        for key in required:
            if key not in out:
                self.fail(node, f"{what} is missing '{key}'")
        return out

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        self._entry()
        if not isinstance(node, SequenceNode):
            self.fail(node, f"'{what}' must be a list, got {_describe(node)}")
            return None
        return list(node.value)

    # -- scalars

    def text(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode) or node.tag.endswith(":null"):
            self.fail(node, f"'{what}' must be text, got {_describe(node)}")
            return None
        value = str(node.value).strip()
        if not value:
            self.fail(node, f"'{what}' must not be empty")
            return None
        return " ".join(value.split())

    def load(self, node: Node, what: str) -> str | None:
        """A load as text ("60 kg", "bodyweight", "RPE 8"), never a negative amount; or a share of
        the training max ("75%", above 0 and at most 200%)."""
        value = self.text(node, what)
        if value is not None and re.match(r"^[-\u2212]\s*\d", value):
            amount = value.lstrip("-\u2212 ")
            self.fail(node, f"'{what}' cannot be negative, got {value}; an assisted lift says so in words, "
                            f"e.g. load: {amount} of assistance")
            return None
        share = _PERCENT.match(value or "")
        if value is not None and share is not None:
            percent = float(share.group(1))
            if not 0 < percent <= MAX_PERCENT:
                self.fail(node, f"'{what}' of {value} is a share of the training max, above 0% and at most "
                                f"{MAX_PERCENT:.0f}%")
                return None
            return f"{percent:g}%"
        return value

    def texts(self, node: Node, what: str) -> tuple[str, ...]:
        if isinstance(node, ScalarNode) and node.tag.endswith(":str"):
            one = self.text(node, what)
            return (one,) if one else ()
        items = self.sequence(node, what)
        if items is None:
            return ()
        out = [self.text(item, what) for item in items]
        return tuple(t for t in out if t)

    def count(self, node: Node, what: str, maximum: int) -> int | None:
        """A positive whole number no larger than `maximum`."""
        if not isinstance(node, ScalarNode) or not node.tag.endswith(":int"):
            self.fail(node, f"'{what}' must be a positive whole number, got {_describe(node)}")
            return None
        value = _int_of(str(node.value))
        if value is None:
            self.fail(node, f"'{what}' must be a positive whole number no larger than {maximum}, "
                            f"got {_describe(node)}")
            return None
        if value <= 0:
            self.fail(node, f"'{what}' must be a positive whole number, got {value}")
            return None
        if value > maximum:
            self.fail(node, f"'{what}' must be at most {maximum}, got {value}")
            return None
        return value

    def duration(self, node: Node, what: str, *, allow_zero: bool = True) -> float | None:
        """Seconds, written as 90, 90s, 1m30s, 1:30 or 2 min."""
        expected = "a duration such as 90, 90s, 1m30s or 2 min"
        if not isinstance(node, ScalarNode) or node.tag.endswith((":null", ":bool")):
            self.fail(node, f"'{what}' must be {expected}, got {_describe(node)}")
            return None
        text = str(node.value).strip()
        negative = text.startswith("-")   # "-30s": a duration, but below zero
        try:
            seconds = parse_duration(text[1:] if negative else text)
        except ValueError:
            self.fail(node, f"'{what}' must be {expected}, got {_describe(node)}")
            return None
        if (negative and seconds > 0) or (seconds == 0 and not allow_zero):
            self.fail(node, f"'{what}' must be {'at least' if allow_zero else 'more than'} 0 seconds, "
                            f"got {_describe(node)}")
            return None
        if seconds > MAX_DURATION_S:
            self.fail(node, f"'{what}' must be at most 4 hours, got {_describe(node)}")
            return None
        return seconds

    def tempo(self, node: Node) -> Tempo | None:
        if isinstance(node, ScalarNode) and not node.tag.endswith(":null"):
            try:
                return parse_tempo(str(node.value))
            except TempoError as exc:
                self.fail(node, f"'tempo' {exc}")
                return None
            except ValueError:
                pass
        self.fail(node, "'tempo' must be four phases in seconds like \"3-1-1-0\" "
                        f"(lowering, pause, lifting, pause), got {_describe(node)}")
        return None

    def number(self, node: Node, what: str, low: float, high: float) -> float | None:
        if isinstance(node, ScalarNode) and node.tag.endswith((":int", ":float")):
            value = _float_of(str(node.value))
            if value is not None and low <= value <= high:  # NaN is refused here too
                return value
        self.fail(node, f"'{what}' must be a number from {low:g} to {high:g}, got {_describe(node)}")
        return None

    def flag(self, node: Node, what: str) -> bool | None:
        """true or false (YAML's yes/no/on/off too)."""
        if isinstance(node, ScalarNode) and node.tag.endswith(":bool"):
            return str(node.value).lower() in ("true", "yes", "on")
        self.fail(node, f"'{what}' must be true or false, got {_describe(node)}")
        return None

    def choice(self, node: Node, what: str, options: tuple[str, ...]) -> str | None:
        if isinstance(node, ScalarNode) and str(node.value).strip().lower() in options:
            return str(node.value).strip().lower()
        self.fail(node, f"'{what}' must be one of {', '.join(options)}, got {_describe(node)}")
        return None

    def sides(self, node: Node) -> tuple[Sides, str] | None:
        if isinstance(node, ScalarNode):
            m = _SIDES.match(str(node.value).strip().lower())
            if m:
                word = m.group(1)
                kind = Sides.ALTERNATE if word.startswith("alternat") else Sides(word)
                return kind, m.group(2) or "side"
        self.fail(node, "'sides' must be 'each' (one side then the other), 'alternate' (in turn within "
                        f"the set) or 'both', optionally with leg/arm, got {_describe(node)}")
        return None

    def per_set(self, node: Node, what: str, parse: Callable[[Node, str], T | None]) -> list[T | None] | None:
        """One value for every set, or a list with one value per set."""
        if isinstance(node, SequenceNode):
            if not node.value:
                self.fail(node, f"'{what}' must not be an empty list")
                return None
            return [parse(item, what) for item in node.value]
        value = parse(node, what)
        return None if value is None else [value]


def _reps(c: _Checker, node: Node, what: str) -> int | None | str:
    """A count of reps, "amrap" (as many as possible), or "5+" (at least 5, then as many as possible)."""
    if isinstance(node, ScalarNode) and str(node.value).strip().lower() in AMRAP_WORDS:
        return "amrap"
    plus = re.fullmatch(r"\s*(\d+)\s*\+\s*", str(node.value)) if isinstance(node, ScalarNode) else None
    if plus is not None and 1 <= int(plus.group(1)) <= MAX_REPS:
        return f"{int(plus.group(1))}+"
    if isinstance(node, ScalarNode) and node.tag.endswith(":str"):
        c.fail(node, f"'{what}' must be a positive whole number, 'amrap' or at least so many then as many as "
                     f"you can (5+), got {_describe(node)}")
        return None
    return c.count(node, what, MAX_REPS)


# ---------------------------------------------------------------- blocks

class _Inherited(NamedTuple):
    tempo: Tempo
    rest_s: float
    rest_after_s: float
    switch_s: float
    amrap_cap_s: float
    tempo_beats: bool = True
    unit: str = "kg"


def _exercise(c: _Checker, node: Node, base: _Inherited, *, in_group: bool) -> Exercise | None:
    weeks = _key_node(node, "weeks") if not in_group else None
    stages = _key_node(node, "stages") if not in_group else None
    if weeks is not None and stages is not None:
        c.fail(stages, "an exercise moves through 'stages' or changes by 'weeks', not both")
        return None
    varied = weeks if weeks is not None else stages
    if varied is not None and isinstance(node, MappingNode):
        ex = _exercise_by_week(c, node, varied, base, "weeks" if weeks is not None else "stages")
    else:
        ex = _one_exercise(c, node, base, in_group=in_group)
    if ex is not None and ex.rules:
        _check_rules(c, node, ex)
    return ex


def _check_rules(c: _Checker, node: Node, ex: Exercise) -> None:
    """Rules that refer to what the exercise does not have: stages, an AMRAP or 5+ set."""
    rules_node = _key_node(node, "progression")
    assert rules_node is not None
    every = ex.sets + tuple(s for stage in ex.stages + ex.weeks for s in stage)
    for rule, item in zip(ex.rules, rules_node.value, strict=False):
        if rule.stage is not None and not ex.stages:
            c.fail(item, "'stage' moves the exercise to another of its 'stages', and it has none; add stages: "
                         "[{sets: 5, reps: 3}, ...]")
        elif rule.stage and rule.stage > len(ex.stages):
            c.fail(item, f"'stage: {rule.stage}' names a stage the exercise does not have (it has "
                         f"{len(ex.stages)})")
        if rule.when == "amrap" and not any(s.open for s in every if not s.warmup):
            c.fail(item, "'after: amrap' reads the reps of the exercise's AMRAP or 5+ set, and it has none")
        if rule.when == "last stage failure" and not ex.stages:
            c.fail(item, "'after: last stage failure' needs the exercise's 'stages'")


def _key_node(node: Node, key: str) -> Node | None:
    """The value of `key` in a mapping node (None: not a mapping, or no such key)."""
    if not isinstance(node, MappingNode):
        return None
    return next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == key), None)


def _exercise_by_week(c: _Checker, node: MappingNode, weeks: Node, base: _Inherited,
                      key: str = "weeks") -> Exercise | None:
    """An exercise whose sets differ week by week (or stage by stage): each one's keys replace the
    exercise's own."""
    problems_before = len(c.problems)
    items = c.sequence(weeks, key)
    if items is not None and not items:
        c.fail(weeks, f"'{key}' must list each {key[:-1]}'s sets, e.g. - {{reps: [5, 5, 5+], load: 85%}}")
    variants: list[Exercise | None] = []
    for item in items or []:
        own = c.mapping(item, WEEK_KEYS, f"a {key[:-1]} of an exercise")
        if own is None:
            variants.append(None)
            continue
        kept = [(k, v) for k, v in node.value
                if not (isinstance(k, ScalarNode) and (k.value == key or k.value in own))]
        merged = MappingNode(node.tag, kept + list(own.values()), start_mark=item.start_mark,
                             end_mark=item.end_mark)
        variants.append(_one_exercise(c, merged, base, in_group=False))
    unique = list(dict.fromkeys(c.problems[problems_before:]))   # a mistake shared by every week, said once
    del c.problems[problems_before:]
    c.problems += unique
    if not variants or None in variants or unique:
        return None
    first = variants[0]
    assert first is not None
    sets = tuple(v.sets for v in variants if v is not None)
    if key == "stages":
        return first._replace(stages=sets)
    c.week_lists.append((weeks, len(variants)))
    return first._replace(weeks=sets)


def _one_exercise(c: _Checker, node: Node, base: _Inherited, *, in_group: bool) -> Exercise | None:
    allowed = GROUP_ITEM_KEYS if in_group else EXERCISE_KEYS
    what = "an exercise in a group" if in_group else "an exercise"
    problems_before = len(c.problems)
    keys = c.mapping(node, allowed, what, required=("name",), misplaced=_IN_GROUP if in_group else None)
    if keys is None:
        return None
    get = keys.get
    name = c.text(keys["name"][1], "name") if "name" in keys else None
    c.exercise_names |= {name} if name else set()
    tempo = c.tempo(keys["tempo"][1]) if "tempo" in keys else base.tempo
    beats = c.flag(keys["tempo_beats"][1], "tempo_beats") if "tempo_beats" in keys else base.tempo_beats
    rest = c.duration(keys["rest"][1], "rest") if "rest" in keys else base.rest_s
    rest_after = c.duration(keys["rest_after"][1], "rest_after") if "rest_after" in keys else base.rest_after_s
    switch = (c.duration(keys["switch_sides"][1], "switch_sides")
              if "switch_sides" in keys else base.switch_s)
    cap = c.duration(keys["cap"][1], "cap", allow_zero=False) if "cap" in keys else None
    sides = c.sides(keys["sides"][1]) if "sides" in keys else (Sides.BOTH, "side")
    how = c.text(keys["how"][1], "how") if "how" in keys else None
    cues = c.texts(keys["cues"][1], "cues") if "cues" in keys else ()
    progression: Progression | None = None
    rules: tuple[Rule, ...] = ()
    if "progression" in keys and isinstance(keys["progression"][1], SequenceNode):
        rules = _rules(c, keys["progression"][1], base.unit)
    elif "progression" in keys:
        progression = _progression(c, keys["progression"][1])
    equipment = c.choice(keys["equipment"][1], "equipment", EQUIPMENT) if "equipment" in keys else None
    say_plates = c.flag(keys["plates"][1], "plates") if "plates" in keys else True
    if "progression" in keys and "load" not in keys:
        c.fail(keys["progression"][0], "'progression' needs a 'load' to change, e.g. load: 60 kg")

    reps_item = get("reps")
    asked = [(k, keys[k]) for k in ("reps", "hold", "time") if k in keys]
    for other, extra in asked[1:]:
        c.fail(extra[0], f"give one of 'reps', 'hold' or 'time', not '{asked[0][0]}' and '{other}'")
    if not asked:
        c.fail(node, f"exercise '{name or '?'}' needs 'reps' (e.g. reps: 12), 'hold' (a static hold, e.g. "
                     "hold: 45s) or 'time' (timed movement, e.g. time: 30s)")
    timed_key, timed_item = asked[0] if asked and asked[0][0] != "reps" else ("hold", None)
    moving = timed_key == "time"
    reps = c.per_set(reps_item[1], "reps", lambda n, w: _reps(c, n, w)) if reps_item else None
    holds = (c.per_set(timed_item[1], timed_key, lambda n, w: c.duration(n, w, allow_zero=False))
             if timed_item else None)
    loads = c.per_set(get("load")[1], "load", c.load) if get("load") else None  # type: ignore[index]

    # 'sets' (never inside a group), else the first list's length, else one set; a 'sets' that is not
    # a count was a problem, so what follows it does not matter
    n_sets = c.count(keys["sets"][1], "sets", MAX_SETS) if "sets" in keys else None
    lists = [(k, v) for k, v in (("reps", reps), (timed_key, holds), ("load", loads)) if v and len(v) > 1]
    counted_by = "sets"  # what set the number of sets: 'sets', or the first list
    for key, values in lists:
        if in_group:
            c.fail(keys[key][1], f"'{key}' inside a group takes one value, not a list")
        elif n_sets is None:
            n_sets, counted_by = len(values), key
        elif len(values) != n_sets:
            given = f"'sets' is {n_sets}" if counted_by == "sets" else f"'{counted_by}' lists {n_sets}"
            c.fail(keys[key][1], f"'{key}' lists {len(values)} values but {given}; give one value per set")
    n_sets = n_sets or 1

    warmups: list[SetSpec] = []
    if "warmup_sets" in keys:
        for item in c.sequence(keys["warmup_sets"][1], "warmup_sets") or []:
            w = c.mapping(item, WARMUP_SET_KEYS, "a warm-up set")
            if w is None:
                continue
            w_reps = _reps(c, w["reps"][1], "reps") if "reps" in w else None
            w_timed = next((k for k in ("hold", "time") if k in w), None)
            w_hold = c.duration(w[w_timed][1], w_timed, allow_zero=False) if w_timed else None
            if sum(k in w for k in ("reps", "hold", "time")) != 1:
                c.fail(item, "a warm-up set needs one of 'reps', 'hold' or 'time'")
            w_load = c.load(w["load"][1], "load") if "load" in w else None
            warmups.append(SetSpec(reps=w_reps if isinstance(w_reps, int) else None, hold_s=w_hold,
                                   load=w_load, warmup=True, cap_s=cap or base.amrap_cap_s,
                                   moving=w_timed == "time"))

    # built only from values that all passed: a problem anywhere above means no exercise
    if len(c.problems) > problems_before:   # each value that is None was a problem
        return None
    assert name is not None and (reps is not None or holds is not None) and sides is not None

    def pick(values: list[Any] | None, i: int) -> Any:
        if values is None:
            return None
        return values[i] if len(values) > 1 else values[0]

    work_sets = []
    for i in range(n_sets):
        r = pick(reps, i)
        plus = isinstance(r, str) and r.endswith("+")
        work_sets.append(SetSpec(reps=None if r == "amrap" else int(r[:-1]) if plus else r, hold_s=pick(holds, i),
                                 load=pick(loads, i), cap_s=cap or base.amrap_cap_s,
                                 moving=moving and holds is not None, plus=plus))
    assert tempo is not None and rest is not None and rest_after is not None and switch is not None
    load_mark = keys["load"][1].start_mark if any(s.percent is not None for s in work_sets) else None
    return Exercise(name=name, sets=tuple(warmups + work_sets), sides=sides[0], limb=sides[1], tempo=tempo,
                    rest_s=rest, rest_after_s=rest_after, switch_s=switch, how=how, cues=cues,
                    progression=progression, rules=rules, tempo_beats=bool(beats), equipment=equipment,
                    say_plates=say_plates is not False,
                    load_at=(load_mark.line + 1, load_mark.column + 1) if load_mark else (0, 0))


_AMOUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(kg|kgs|lb|lbs)?\s*$", re.IGNORECASE)
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


def _progression(c: _Checker, node: Node) -> Progression | None:
    problems_before = len(c.problems)
    keys = c.mapping(node, PROGRESSION_KEYS, "'progression'", required=("add",))
    if keys is None or "add" not in keys:
        return None
    add_node = keys["add"][1]
    m = _AMOUNT.match(str(add_node.value)) if isinstance(add_node, ScalarNode) else None
    if m is None:
        c.fail(add_node, f"'add' must be an amount such as 2.5 kg, got {_describe(add_node)}")
    deload = 0.0
    if "deload" in keys:
        d_node = keys["deload"][1]
        d = _PERCENT.match(str(d_node.value)) if isinstance(d_node, ScalarNode) else None
        if d is None or not 0 < float(d.group(1)) < 100:
            c.fail(d_node, f"'deload' must be a percentage such as 10%, got {_describe(d_node)}")
        else:
            deload = float(d.group(1))
    after = c.count(keys["after"][1], "after", 100) if "after" in keys else 3
    if len(c.problems) > problems_before:
        return None
    assert m is not None and after is not None
    return Progression(add=float(m.group(1)), deload_pct=deload, after=after)


_WHEN = re.compile(r"^(success|failure|cycle|last stage failure|(\d+) failures?|amrap(?: (\d+)\+?)?)$")
_SIGNED = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(kg|kgs|lb|lbs)?\s*$", re.IGNORECASE)
_SPAN = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)|(\+))?\s*$")


def _rules(c: _Checker, node: SequenceNode, unit: str) -> tuple[Rule, ...]:
    """`progression:` as a list of rules, each `after:` something, doing `add`, `deload`, `table` or `stage`."""
    out: list[Rule] = []
    if not node.value:
        c.fail(node, "'progression' lists no rules; e.g. - {after: success, add: 2.5 kg}")
    for item in node.value:
        keys = c.mapping(item, RULE_KEYS, "a progression rule", required=("after",))
        if keys is None or "after" not in keys:
            continue
        when_node = keys["after"][1]
        said = " ".join(str(when_node.value).lower().split()) if isinstance(when_node, ScalarNode) else ""
        m = _WHEN.match(said)
        if m is None:
            c.fail(when_node, "'after' must be success, failure, N failures (in a row), last stage failure, "
                              f"cycle, amrap (with a table) or amrap N (reps reached), got {_describe(when_node)}")
            continue
        when = "failures" if m.group(2) else "amrap" if said.startswith("amrap") else said
        times = int(m.group(2) or m.group(3) or (1 if when != "amrap" else 0))
        if times < 1 and when != "amrap":
            c.fail(when_node, "'after: N failures' counts at least 1 failure")
        add = _signed(c, keys["add"][1], "add", unit) if "add" in keys else 0.0
        deload = 0.0
        if "deload" in keys:
            d = _PERCENT.match(str(keys["deload"][1].value)) if isinstance(keys["deload"][1], ScalarNode) else None
            if d is None or not 0 < float(d.group(1)) < 100:
                c.fail(keys["deload"][1], f"'deload' must be a percentage such as 10%, got "
                                          f"{_describe(keys['deload'][1])}")
            else:
                deload = float(d.group(1))
        table = _table(c, keys["table"][1], unit) if "table" in keys else ()
        stage = _stage(c, keys["stage"][1]) if "stage" in keys else None
        if table and when != "amrap":
            c.fail(keys["table"][1], "a 'table' reads the reps of an AMRAP or 5+ set: give it with after: amrap")
        if when == "amrap" and times == 0 and "table" not in keys:
            c.fail(when_node, "'after: amrap' needs a 'table' from the reps reached to what is added (or "
                              "after: amrap 25 to act when 25 are reached)")
        if not any(k in keys for k in ("add", "deload", "table", "stage")):
            c.fail(item, "this rule does nothing: give it add, deload, table or stage")
        out.append(Rule(when, times, add or 0.0, deload, table, stage))
    return tuple(out)


def _signed(c: _Checker, node: Node, what: str, unit: str) -> float:
    m = _SIGNED.match(str(node.value)) if isinstance(node, ScalarNode) else None
    if m is None:
        c.fail(node, f"'{what}' must be an amount such as 2.5 {unit} (or -5 {unit}), got {_describe(node)}")
        return 0.0
    if m.group(2) and m.group(2).lower().rstrip("s") != unit:
        c.fail(node, f"'{what}' is in {m.group(2).lower().rstrip('s')} but the routine's unit is {unit}")
        return 0.0
    return float(m.group(1))


def _table(c: _Checker, node: Node, unit: str) -> tuple[tuple[int, int | None, float], ...]:
    """`table: {0-1: 0, 2-3: 2.5 kg, 6+: 7.5 kg}`: reps reached -> what is added."""
    out: list[tuple[int, int | None, float]] = []
    for span, (key_node, value) in (c.mapping(node, None, "'table'") or {}).items():
        m = _SPAN.match(span)
        if m is None or (m.group(2) is not None and int(m.group(2)) < int(m.group(1))):
            c.fail(key_node, f"a row of 'table' is reps such as 4, 2-3 or 6+, got {span!r}")
            continue
        high = None if m.group(3) else int(m.group(2) or m.group(1))
        out.append((int(m.group(1)), high, _signed(c, value, "table", unit)))
    return tuple(sorted(out))


def _stage(c: _Checker, node: Node) -> int | None:
    if isinstance(node, ScalarNode) and str(node.value).strip().lower() == "next":
        return 0
    return c.count(node, "stage", MAX_SETS)


def _group(c: _Checker, kind: str, node: Node, base: _Inherited) -> Group | None:
    problems_before = len(c.problems)
    keys = c.mapping(node, GROUP_KEYS, f"a {kind}", required=("rounds", "exercises"))
    if keys is None:
        return None
    name = c.text(keys["name"][1], "name") if "name" in keys else kind.capitalize()
    rounds = c.count(keys["rounds"][1], "rounds", MAX_ROUNDS) if "rounds" in keys else None
    between_default = 0.0 if kind == "superset" else 15.0
    between = (c.duration(keys["rest_between"][1], "rest_between")
               if "rest_between" in keys else between_default)
    rest = c.duration(keys["rest"][1], "rest") if "rest" in keys else base.rest_after_s
    rest_after = c.duration(keys["rest_after"][1], "rest_after") if "rest_after" in keys else base.rest_after_s
    items = c.sequence(keys["exercises"][1], "exercises") if "exercises" in keys else None
    exercises = [_exercise(c, item, base, in_group=True) for item in items or []]
    if items is not None and len(items) < 2:
        c.fail(keys["exercises"][1], f"a {kind} needs at least two exercises, got {len(items)}")
    if len(c.problems) > problems_before:   # each value that is None was a problem
        return None
    assert name and rounds and between is not None and rest is not None and rest_after is not None
    return Group(kind=kind, name=name, rounds=rounds, exercises=tuple(e for e in exercises if e),
                 rest_between_s=between, rest_s=rest, rest_after_s=rest_after)


def _intervals(c: _Checker, node: Node, base: _Inherited) -> Intervals | None:
    problems_before = len(c.problems)
    keys = c.mapping(node, INTERVAL_KEYS, "an interval block", required=("rounds", "work", "rest"))
    if keys is None:
        return None
    name = c.text(keys["name"][1], "name") if "name" in keys else "Intervals"
    rounds = c.count(keys["rounds"][1], "rounds", MAX_ROUNDS) if "rounds" in keys else None
    work = c.duration(keys["work"][1], "work", allow_zero=False) if "work" in keys else None
    rest = c.duration(keys["rest"][1], "rest") if "rest" in keys else None
    rest_after = c.duration(keys["rest_after"][1], "rest_after") if "rest_after" in keys else base.rest_after_s
    how = c.text(keys["how"][1], "how") if "how" in keys else None
    cues = c.texts(keys["cues"][1], "cues") if "cues" in keys else ()
    named: list[tuple[str | None, str | None, tuple[str, ...]]] = []   # each exercise's name, how and cues
    listed = c.sequence(keys["exercises"][1], "exercises") if "exercises" in keys else None
    if listed == []:
        c.fail(keys["exercises"][1], "'exercises' of an interval block must name at least one exercise "
                                     "(or leave 'exercises' out to use the block's name)")
    for item in listed or []:
        if isinstance(item, ScalarNode):
            named.append((c.text(item, "exercises"), how, cues))
            continue
        ik = c.mapping(item, INTERVAL_ITEM_KEYS, "an interval exercise", required=("name",), misplaced=_IN_INTERVALS)
        if ik is not None and "name" in ik:
            named.append((c.text(ik["name"][1], "name"), c.text(ik["how"][1], "how") if "how" in ik else how,
                          c.texts(ik["cues"][1], "cues") if "cues" in ik else cues))
    if len(c.problems) > problems_before:   # each value that is None was a problem
        return None
    assert name and rounds and work and rest is not None and rest_after is not None
    spec = SetSpec(hold_s=work, moving=True)   # intervals are work, never holds
    exercises = tuple(Exercise(name=n, sets=(spec,), how=h, cues=k) for n, h, k in named if n)
    return Intervals(name=name, rounds=rounds, work_s=work, rest_s=rest, rest_after_s=rest_after,
                     exercises=exercises or (Exercise(name=name, sets=(spec,), how=how, cues=cues),))


def _block(c: _Checker, node: Node, base: _Inherited) -> Block | None:
    if isinstance(node, MappingNode) and len(node.value) == 1:
        key_node, value = node.value[0]
        if isinstance(key_node, ScalarNode) and key_node.value in BLOCK_KINDS:
            if key_node.value == "intervals":
                return _intervals(c, value, base)
            return _group(c, str(key_node.value), value, base)
    if isinstance(node, MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value in BLOCK_KINDS:
                c.fail(key_node, f"'{key_node.value}' must be the only key of its list item; "
                                 "indent its settings under it")
                return None
    return _exercise(c, node, base, in_group=False)


def _blocks(c: _Checker, node: Node, what: str, base: _Inherited) -> tuple[Block, ...] | None:
    items = c.sequence(node, what)
    if items is None:
        return None
    if not items and what == "exercises":
        c.fail(node, "'exercises' must list at least one exercise")
    out = [_block(c, item, base) for item in items]
    c.blocks += [(item, block) for item, block in zip(items, out) if block is not None]
    if None in out:
        return None
    return tuple(b for b in out if b is not None)


def _defaults(c: _Checker, node: Node | None) -> Defaults:
    d = Defaults()
    if node is None:
        return d
    keys = c.mapping(node, DEFAULT_KEYS, "'defaults'")
    if not keys:
        return d
    values: dict[str, Any] = {}
    for key, field_name in (("rest", "rest_s"), ("rest_after", "rest_after_s"), ("get_ready", "get_ready_s"),
                            ("switch_sides", "switch_s")):
        if key in keys:
            values[field_name] = c.duration(keys[key][1], key)
    if "amrap_cap" in keys:
        values["amrap_cap_s"] = c.duration(keys["amrap_cap"][1], "amrap_cap", allow_zero=False)
    if "tempo" in keys:
        values["tempo"] = c.tempo(keys["tempo"][1])
    if "unit" in keys:
        values["unit"] = c.choice(keys["unit"][1], "unit", UNITS)
    if "rounding" in keys:
        values["rounding"] = c.choice(keys["rounding"][1], "rounding", ROUNDINGS)
    if "engine" in keys:
        values["engine"] = c.choice(keys["engine"][1], "engine", ENGINES)
    if "tempo_beats" in keys:
        values["tempo_beats"] = c.flag(keys["tempo_beats"][1], "tempo_beats")
    if "voice" in keys:
        values["voice"] = c.text(keys["voice"][1], "voice")
        mark = keys["voice"][1].start_mark
        values["voice_at"] = (mark.line + 1, mark.column + 1)
    if "rate" in keys:
        rate = c.number(keys["rate"][1], "rate", 80, 450)
        values["rate_wpm"] = None if rate is None else int(rate)
    if "volume" in keys:
        values["volume"] = c.number(keys["volume"][1], "volume", 0, 1)
    if "duck" in keys:
        values["duck_db"] = c.number(keys["duck"][1], "duck", 0, 60)
    kept = {k: v for k, v in values.items() if v is not None}
    return d._replace(**kept)


SETTING_KEYS = ("engine", "voice", "rate", "volume", "device", "inhibit", "duck", "listen", "mic", "rounding",
                "barbell", "dumbbells", "kettlebells")
BAR_KEYS = ("bar", "plates")


def _barbell(c: _Checker, node: Node) -> list[tuple[str, float, tuple[tuple[float, int], ...]]]:
    """`barbell: {kg: {bar: 20, plates: {25: 8, ...}}, lb: ...}`: per unit, the bar and the pairs of
    plates owned."""
    out = []
    for unit, (unit_node, value) in (c.mapping(node, UNITS, "'barbell'") or {}).items():
        keys = c.mapping(value, BAR_KEYS, f"the {unit} barbell", required=BAR_KEYS)
        if not keys or len(keys) < 2:
            continue
        bar = c.number(keys["bar"][1], "bar", 0, MAX_TRAINING_MAX[unit])
        pairs = []
        for weight, (w_node, count) in (c.mapping(keys["plates"][1], None, "'plates'") or {}).items():
            w = _float_of(weight)
            if w is None or not 0 < w <= 100:
                c.fail(w_node, f"a plate weighs more than 0 and at most 100 {unit}, got {weight!r}")
                continue
            n = c.count(count, f"pairs of {weight} {unit} plates", 50)
            if n is not None:
                pairs.append((w, n))
        if bar is not None and pairs:
            out.append((unit, bar, tuple(sorted(pairs, reverse=True))))
        elif bar is not None:
            c.fail(unit_node, f"the {unit} barbell needs at least one kind of plate, e.g. plates: {{25: 8}} "
                              "(pairs owned of each weight)")
    return out


def _fixed_weights(c: _Checker, node: Node, what: str) -> list[tuple[str, tuple[float, ...]]]:
    """`dumbbells: {kg: [2, 4, 6]}`: per unit, the weights owned."""
    out = []
    for unit, (_, value) in (c.mapping(node, UNITS, f"'{what}'") or {}).items():
        weights = [c.number(w, what, 0.1, MAX_TRAINING_MAX[unit]) for w in c.sequence(value, what) or []]
        kept = tuple(sorted({w for w in weights if w is not None}))
        if kept and len(kept) == len(set(weights)):
            out.append((unit, kept))
        elif not kept and None not in weights:
            c.fail(value, f"'{what}' in {unit} lists no weights, e.g. [8, 12, 16]")
    return out


def parse_settings(text: str, path: str) -> dict[str, tuple[Any, tuple[int, int]]]:
    """The user's config file: each setting given, with its value and its line and column.

    Raises:
        RoutineError: every mistake, located (an unknown key, a rate or volume out of range).
    """
    root = _compose(text, path)
    if root is None or (isinstance(root, ScalarNode) and root.tag.endswith(":null")):
        return {}
    c = _Checker(path)
    try:
        keys = c.mapping(root, SETTING_KEYS, "the config file") or {}
    except _TooMany:
        raise RoutineError([Problem(path, 1, 1, f"the config file has more than {MAX_NODES:,} settings; "
                                                "it holds a few")]) from None
    out: dict[str, tuple[Any, tuple[int, int]]] = {}
    for key, (_, node) in keys.items():
        if key == "rate":
            value: Any = c.number(node, "rate", 80, 450)
            if value is not None and value != int(value):
                c.fail(node, f"'rate' must be whole words per minute, got {_describe(node)}")
        elif key == "volume":
            value = c.number(node, "volume", 0, 1)
        elif key in ("inhibit", "listen"):
            value = c.flag(node, key)
        elif key == "duck":
            value = c.number(node, "duck", 0, 60)
        elif key == "engine":
            value = c.choice(node, "engine", ENGINES)
        elif key == "rounding":
            value = c.choice(node, "rounding", ROUNDINGS)
        elif key == "barbell":
            value = _barbell(c, node) or None
        elif key in ("dumbbells", "kettlebells"):
            value = _fixed_weights(c, node, key) or None
        else:
            value = c.text(node, key)
        if value is not None:
            out[key] = (value, (node.start_mark.line + 1, node.start_mark.column + 1))
    if c.problems:
        raise RoutineError(c.problems)
    return out


def _check_size(c: _Checker) -> None:
    """Refuse a session longer than a day or a plan of more than a million events, at the block
    that crosses the line (each value is bounded, but not their product: 100 sets of 1000 reps)."""
    total = Size(0.0, 0)
    for node, block in c.blocks:
        total += block_size(block)
        what = "exercise" if isinstance(block, Exercise) else ("interval block" if isinstance(block, Intervals)
                                                               else block.kind)
        if total.seconds > MAX_SESSION_S:
            c.fail(node, f"the session would last {_hours(total.seconds)} by the end of this {what}; "
                         f"a session is at most {MAX_SESSION_S / 3600:.0f} hours (fewer sets, reps or rounds?)")
            return
        if total.events > MAX_EVENTS:
            c.fail(node, f"the plan would hold up to {total.events:,} phrases and tones by the end of this {what}; "
                         f"a session holds at most {MAX_EVENTS:,} (fewer sets, reps or rounds?)")
            return


def _hours(seconds: float) -> str:
    hours = seconds / 3600
    return f"about {hours:,.1f} hours" if hours < 48 else f"about {hours / 24:,.0f} days"


def _compose(text: str, path: str) -> Node | None:
    try:
        node: Node | None = yaml.compose(text, Loader=_LOADER)
        return node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or "invalid YAML").strip()
        context = f" {exc.context}" if exc.context else ""
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if "nesting depth" in problem:
            raise RoutineError([Problem(path, line, col, "the file is nested too deeply to be a routine")]) from None
        raise RoutineError([Problem(path, line, col, f"YAML syntax: {problem}{context}")]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow anywhere: its first place
        # (read from a str, the character is a code point; bytes would give a byte that failed to decode)
        before = text[: text.find(chr(exc.character))]
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        what = f"U+{exc.character:04X}"
        raise RoutineError([Problem(path, line, col, f"the character {what} is not allowed in YAML "
                                                     "(a control character); delete it")]) from None
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        raise RoutineError([Problem(path, 1, 1, f"YAML syntax: {message}")]) from None
    except RecursionError:
        raise RoutineError([Problem(path, 0, 0, "the file is nested too deeply to be a routine")]) from None


def parse(text: str, path: str) -> Routine:
    """Validate routine `text` (as read from `path`) into a `Routine`.

    Raises:
        RoutineError: with every problem found, each with line and column.
    """
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise RoutineError([Problem(path, 0, 0, "the file is larger than 1 MiB; a routine is much smaller")])
    root = _compose(text, path)
    if root is None:
        raise RoutineError([Problem(path, 1, 1, "the file is empty; a routine needs at least 'name' "
                                                "and 'exercises' (see: voicecoach new FILE)")])
    c = _Checker(path)
    try:
        return _routine(c, root, text)
    except _TooMany:
        raise RoutineError([Problem(path, 1, 1, f"the routine has more than {MAX_NODES:,} entries (each use of an "
                                                "alias counts); a routine is much smaller")]) from None


def _tips(c: _Checker, node: Node) -> tuple[Tip, ...]:
    """Tips: each a text (said before any set) or `{say: TEXT, before: reps | holds | timed}`."""
    if isinstance(node, ScalarNode):
        return tuple(Tip(t) for t in c.texts(node, "tips"))
    out: list[Tip] = []
    for item in c.sequence(node, "tips") or []:
        if not isinstance(item, MappingNode):
            text = c.text(item, "tips")
            out += [Tip(text)] if text else []
            continue
        keys = c.mapping(item, TIP_KEYS, "a tip", required=("say",))
        if keys is None or "say" not in keys:
            continue
        text = c.text(keys["say"][1], "say")
        before = None
        if "before" in keys:
            b = keys["before"][1]
            before = str(b.value) if isinstance(b, ScalarNode) else None
            if before not in TIP_KINDS:
                c.fail(b, f"'before' must be one of {', '.join(TIP_KINDS)} (the kind of set the tip fits), "
                          f"got {_describe(b)}")
        if text:
            out.append(Tip(text, before))
    return tuple(out)


def _routine(c: _Checker, root: Node, text: str) -> Routine:
    keys = c.mapping(root, TOP_KEYS, "the routine", required=("name",))
    if keys is None:
        raise RoutineError(c.problems)
    if "exercises" not in keys and "days" not in keys:
        c.fail(root, "the routine is missing 'exercises' (or 'days', for a program of several days)")
    for key in ("warmup", "exercises", "cooldown"):
        if key in keys and "days" in keys:
            c.fail(keys[key][0], f"'{key}' goes inside each of the 'days' (a program's days each have their own)")
    if "version" in keys:
        v = keys["version"][1]
        if not (isinstance(v, ScalarNode) and v.value == str(FORMAT_VERSION)):
            c.fail(v, f"'version' must be {FORMAT_VERSION} (this voicecoach reads format {FORMAT_VERSION}), "
                      f"got {_describe(v)}")
    name = c.text(keys["name"][1], "name") if "name" in keys else None
    description = c.text(keys["description"][1], "description") if "description" in keys else None
    tips = _tips(c, keys["tips"][1]) if "tips" in keys else ()
    defaults = _defaults(c, keys["defaults"][1] if "defaults" in keys else None)
    base = _Inherited(defaults.tempo, defaults.rest_s, defaults.rest_after_s, defaults.switch_s,
                      defaults.amrap_cap_s, defaults.tempo_beats, defaults.unit)
    sections: dict[str, tuple[Block, ...] | None] = {}
    for key in ("warmup", "exercises", "cooldown"):
        sections[key] = _blocks(c, keys[key][1], key, base) if key in keys and "days" not in keys else ()
    days = _days(c, keys["days"][1], base) if "days" in keys else ()
    if days:
        sections = {"warmup": days[0].warmup, "exercises": days[0].exercises, "cooldown": days[0].cooldown}
    weeks = c.count(keys["weeks"][1], "weeks", MAX_WEEKS) if "weeks" in keys else None
    for node, listed in c.week_lists:
        if weeks is None and "weeks" not in keys:
            c.fail(node, f"an exercise lists {plural_of(listed, 'week')} but the routine does not say how many "
                         f"weeks its cycle has; add weeks: {listed} at the top")
        elif weeks is not None and listed != weeks:
            c.fail(node, f"'weeks' lists {plural_of(listed, 'week')} but the routine's cycle has {weeks} "
                         f"(weeks: {weeks}); give one entry per week")
    _check_size(c)   # over the blocks that passed: every problem is reported at once
    maxes = _maxes(c, keys["maxes"][1], defaults.unit) if "maxes" in keys else ()
    names = c.exercise_names
    for (exercise, _), node in zip(maxes, c.max_nodes, strict=True):
        if exercise not in names:
            hint = _suggest(exercise, tuple(sorted(names)))
            c.fail(node, f"'maxes' names '{exercise}', which is not an exercise of this routine"
                         + (f"; did you mean '{hint[0]}'?" if hint else ""))
    if c.problems:
        raise RoutineError(sorted(c.problems, key=lambda p: (p.line, p.col)), partial=defaults)
    assert name is not None
    return Routine(name=name, description=description, tips=tips, defaults=defaults,
                   warmup=sections["warmup"] or (), exercises=sections["exercises"] or (),
                   cooldown=sections["cooldown"] or (), source=c.path, text=text, maxes=maxes, days=days,
                   weeks=weeks or 1)


def plural_of(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _days(c: _Checker, node: Node, base: _Inherited) -> tuple[Day, ...]:
    """`days:`: a program's days, each with its name and its own exercises."""
    items = c.sequence(node, "days")
    if items is not None and not items:
        c.fail(node, "'days' must list at least one day, e.g. - {name: Squat day, exercises: [...]}")
    out: list[Day] = []
    seen: dict[str, int] = {}
    for item in items or []:
        keys = c.mapping(item, DAY_KEYS, "a day", required=("name", "exercises"))
        if keys is None or "name" not in keys or "exercises" not in keys:
            continue
        name = c.text(keys["name"][1], "name")
        if name is not None and name.lower() in seen:
            c.fail(keys["name"][1], f"there is another day called '{name}' (line {seen[name.lower()]}); "
                                    "each day needs its own name")
        elif name is not None:
            seen[name.lower()] = keys["name"][1].start_mark.line + 1
        blocks = {key: _blocks(c, keys[key][1], key, base) if key in keys else () for key in DAY_KEYS[1:]}
        if name is not None and all(b is not None for b in blocks.values()):
            out.append(Day(name, blocks["warmup"] or (), blocks["exercises"] or (), blocks["cooldown"] or ()))
    return tuple(out)


def _maxes(c: _Checker, node: Node, unit: str) -> tuple[tuple[str, float], ...]:
    """`maxes:`: each exercise's starting training max, in the routine's unit."""
    keys = c.mapping(node, None, "'maxes'")
    out: list[tuple[str, float]] = []
    for exercise, (key_node, value) in (keys or {}).items():
        m = _AMOUNT.match(str(value.value)) if isinstance(value, ScalarNode) else None
        if m is None:
            c.fail(value, f"the training max of '{exercise}' must be a weight such as 140 {unit}, "
                          f"got {_describe(value)}")
            continue
        given = (m.group(2) or unit).lower().rstrip("s")
        amount = float(m.group(1))
        if given != unit:
            c.fail(value, f"the training max of '{exercise}' is in {given} but the routine's unit is {unit}; "
                          f"give it in {unit}")
        elif not 0 < amount <= MAX_TRAINING_MAX[unit]:
            c.fail(value, f"a training max of {amount:g} {unit} cannot be right; give one above 0 and at most "
                          f"{MAX_TRAINING_MAX[unit]:,} {unit}")
        else:
            out.append((exercise, amount))
            c.max_nodes.append(key_node)
    return tuple(out)
