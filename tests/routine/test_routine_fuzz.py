"""No routine, however mangled, crashes voicecoach: properties over generated and mutated routines.

Each example runs the whole path a command takes (read, check, plan) in-process. The only
outcomes allowed are a routine that plans within the limits, or `file:line:col: error: ...`
problems. Runs derandomized in the normal suite; `VOICECOACH_FUZZ_EXAMPLES=5000` explores more.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml
from conftest import ROOT, fake_speech_s
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicecoach.errors import RoutineError
from voicecoach.routine.quantity import EXPLOSIVE_S
from voicecoach.routine.model import Routine, iter_exercises
from voicecoach.routine.file import read_routine_text
from voicecoach.routine.reader import parse
from voicecoach.routine.size import Size, block_size
from voicecoach.plan.timeline import build_timeline

EXAMPLES = int(os.environ.get("VOICECOACH_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
DAY_S = 24 * 3600
MAX_EVENTS = 1_000_000
LOCATED = re.compile(r"^fuzz\.yaml:[1-9]\d*:[1-9]\d*: error: \S")

SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "routines").glob("*.yaml"))]
SEEDS.append((ROOT / "tests/data/short.yaml").read_text(encoding="utf-8"))

# what people (and phones, and forums) put where a value belongs
NASTY_VALUES: list[Any] = [
    None, True, False, 0, -1, 10**40, 1e308, float("nan"), float("inf"), -0.0, 2.5, "", " ", "x" * 5000,
    "abc", "x", ".NaN", ".inf", "0b101", "0x1F", "1_000", "1:30", "9" * 5000, "3-x-1-0", "x-1-1-0", "3-1-1-x",
    "XXXX", "amrap", "max", "each leg", "12 reps", "60 kg", "-5 kg", "10%", "\x07bell", "tab\tbed", [], {},
    [None], [1, "two", None], {"a": 1}, {"name": None}, [[1, 2], [3]],
]
NASTY_TEXT = [
    ": ", "- ", "!!int ", "!!float ", "!!str ", "!!bool ", "!!null ", "&a ", "*a ", "<<: *a\n", "\t", "\r\n",
    "\x00", "\x07", "\x1b", "\ufeff", "{", "}", "[", "]", "'", '"', "#", "\\", "abc", ".NaN", "0b101",
    "9" * 5000, "1e308", "3-x-1-0", "? ", "|\n", ">\n", "---\n", "...\n", "%YAML 1.1\n", "\u2028", "é",
]


# ---------------------------------------------------------------- the properties

def assert_plans_within_limits(r: Routine) -> None:
    """A routine that was accepted plans, within a day and a million events, and says what it means."""
    timeline = build_timeline(r, fake_speech_s)
    assert timeline.duration_s <= DAY_S
    assert len(timeline.events) <= MAX_EVENTS
    # the reader's size check is honest: its events are an upper bound, its length close
    size = sum((block_size(b) for b in r.blocks), Size(0.0, 0))
    assert len(timeline.events) <= size.events
    assert timeline.duration_s <= 1.5 * size.seconds + r.defaults.get_ready_s + 60
    for ex in iter_exercises(r):
        t = ex.tempo
        assert EXPLOSIVE_S not in (t.lower_s, t.bottom_s, t.top_s), f"X outside the lift accepted: {t}"
        work = [s for s in ex.sets if not s.warmup]
        assert work, f"{ex.name} has no work set"


def run_whole_path(text: str) -> None:
    """Load, check and plan `text`; only a plan or located problems may come out."""
    try:
        r = parse(text, "fuzz.yaml")
    except RoutineError as exc:
        assert exc.problems
        for line in str(exc).splitlines():
            assert LOCATED.match(line), line
        return
    assert_plans_within_limits(r)


# ---------------------------------------------------------------- structure level

names = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF), min_size=1, max_size=12)
phase = st.sampled_from(["0", "1", "2", "3", "4", "x", "X"])
tempos = st.builds(lambda a, b, c, d: f"{a}-{b}-{c}-{d}", phase, phase, phase, phase)
durations = st.one_of(st.integers(0, 600), st.sampled_from(["90s", "1m30s", "1:30", "2 min", "45 sec", "0s"]))
reps = st.one_of(st.integers(1, 20), st.just("amrap"), st.lists(st.integers(1, 20), min_size=1, max_size=5))
loads = st.one_of(st.sampled_from(["60 kg", "bodyweight", "RPE 8"]),
                  st.lists(st.sampled_from(["40 kg", "50 kg", "60 kg"]), min_size=1, max_size=5))
exercise = st.fixed_dictionaries(
    {"name": names},
    optional={"sets": st.integers(1, 6), "reps": reps, "tempo": tempos, "rest": durations, "rest_after": durations,
              "load": loads, "sides": st.sampled_from(["each leg", "alternate arms", "both"]),
              "cues": st.lists(names, max_size=3), "how": names, "cap": durations,
              "warmup_sets": st.lists(st.fixed_dictionaries({"reps": st.integers(1, 12)}), max_size=2),
              "hold": durations})
group_item = st.fixed_dictionaries({"name": names, "reps": st.integers(1, 20)}, optional={"tempo": tempos})
group = st.builds(lambda kind, body: {kind: body}, st.sampled_from(["superset", "circuit"]),
                  st.fixed_dictionaries({"rounds": st.integers(1, 5),
                                         "exercises": st.lists(group_item, min_size=1, max_size=3)}))
intervals = st.fixed_dictionaries({"intervals": st.fixed_dictionaries(
    {"rounds": st.integers(1, 10), "work": durations, "rest": durations},
    optional={"exercises": st.lists(names, max_size=3)})})
routines = st.fixed_dictionaries(
    {"name": names, "exercises": st.lists(st.one_of(exercise, exercise, group, intervals), min_size=1, max_size=4)},
    optional={"version": st.just(1), "tips": st.lists(names, max_size=2),
              "defaults": st.fixed_dictionaries({}, optional={"rest": durations, "tempo": tempos,
                                                             "rate": st.integers(60, 500),
                                                             "volume": st.floats(-1, 2), "unit": names}),
              "warmup": st.lists(exercise, max_size=2), "cooldown": st.lists(exercise, max_size=2)})


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a nested structure where a value could be replaced."""
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths_of(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths_of(v, (*prefix, i))
    return out


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    copy = list(value)
    copy[head] = replaced(copy[head], rest, new)
    return copy


@FUZZ
@given(routines)
def test_a_generated_routine_plans_or_is_refused_with_located_problems(doc: dict[str, Any]) -> None:
    run_whole_path(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))


@FUZZ
@given(routines, st.data())
def test_any_value_replaced_by_junk_plans_or_is_refused_with_located_problems(doc: dict[str, Any],
                                                                            data: st.DataObject) -> None:
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(paths_of(doc)[1:]))
        doc = replaced(doc, where, data.draw(st.sampled_from(NASTY_VALUES)))
    run_whole_path(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))


# ---------------------------------------------------------------- text level

@st.composite
def mangled_texts(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["insert", "delete", "truncate", "duplicate line", "swap lines", "digit",
                                    "tag a value", "crlf", "tabs"]))
        if how == "insert":
            text = text[:pos] + draw(st.sampled_from(NASTY_TEXT)) + text[pos:]
        elif how == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 40)):]
        elif how == "truncate":
            text = text[:pos]
        elif how in ("duplicate line", "swap lines") and text.count("\n") > 2:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 2))
            if how == "duplicate line":
                lines.insert(i, lines[i])
            else:
                lines[i], lines[i + 1] = lines[i + 1], lines[i]
            text = "\n".join(lines)
        elif how == "digit":
            digits = [i for i, ch in enumerate(text) if ch.isdigit()]
            if digits:
                i = draw(st.sampled_from(digits))
                text = text[:i] + draw(st.sampled_from(["0", "9", "99999", "-1", "x", ".5", "e9"])) + text[i + 1:]
        elif how == "tag a value":
            text = re.sub(r": (\S)", lambda m: ": " + draw(st.sampled_from(["!!int ", "!!float ", "!!bool "]))
                          + m.group(1), text, count=draw(st.integers(1, 5)))
        elif how == "crlf":
            text = text.replace("\n", "\r\n")
        else:
            text = text.replace("  ", "\t", draw(st.integers(1, 3)))
    return text


@FUZZ
@given(mangled_texts())
def test_a_mangled_routine_file_plans_or_is_refused_with_located_problems(text: str) -> None:
    run_whole_path(text)


@FUZZ
@given(seed=st.sampled_from(SEEDS), junk=st.binary(min_size=1, max_size=8), data=st.data())
def test_any_bytes_in_a_file_are_read_or_refused_with_a_location(seed: str, junk: bytes, data: st.DataObject,
                                                                tmp_path_factory: Any) -> None:
    raw = seed.encode("utf-8")
    pos = data.draw(st.integers(0, len(raw)))
    f: Path = tmp_path_factory.mktemp("bytes") / "fuzz.yaml"
    f.write_bytes(raw[:pos] + junk + raw[pos:])
    try:
        text = read_routine_text(f, "fuzz.yaml")
    except RoutineError as exc:
        assert all(LOCATED.match(line) for line in str(exc).splitlines()), str(exc)
        return
    run_whole_path(text)
