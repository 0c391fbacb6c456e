"""Every mistake a routine file can hold, as the person reads it: the whole line, where it is and
what was expected. One row per message the reader can give."""

from __future__ import annotations

import pytest
import yaml
from conftest import errors_of

from voicecoach.routine import reader as routine_yaml
from voicecoach.errors import Problem, RoutineError
from voicecoach.routine.reader import parse

A = "  - {name: A, reps: 5}\n"      # a valid exercise, to complete a file
EX = "name: X\nexercises:\n"         # the head of a file whose exercises follow


def mistakes(text: str) -> list[str]:
    return errors_of(text, "r.yaml")


@pytest.mark.parametrize("text, expected", [
    # structure: what must be a mapping, a list, a plain key
    (EX + "  - 5\n", "r.yaml:3:5: error: an exercise must be a mapping of keys to values, got 5"),
    ("name: X\ndefaults: [1]\nexercises:\n" + A,
     "r.yaml:2:11: error: 'defaults' must be a mapping of keys to values, got a list"),
    (EX + "  - superset: [1]\n", "r.yaml:3:15: error: a superset must be a mapping of keys to values, got a list"),
    (EX + "  - circuit: 3\n", "r.yaml:3:14: error: a circuit must be a mapping of keys to values, got 3"),
    (EX + "  - intervals: nope\n",
     'r.yaml:3:16: error: an interval block must be a mapping of keys to values, got "nope"'),
    (EX + "  - intervals: {rounds: 2, work: 20s, rest: 10s, exercises: [[a]]}\n",
     "r.yaml:3:62: error: an interval exercise must be a mapping of keys to values, got a list"),
    (EX + "  - {name: A, reps: 5, warmup_sets: [5]}\n",
     "r.yaml:3:38: error: a warm-up set must be a mapping of keys to values, got 5"),
    (EX + "  - {name: A, reps: 5, load: 5 kg, progression: 2.5}\n",
     "r.yaml:3:49: error: 'progression' must be a mapping of keys to values, got 2.5"),
    ("name: X\nexercises: {a: 1}\n", "r.yaml:2:12: error: 'exercises' must be a list, got a mapping"),
    (EX + "  - {name: A, reps: 5, warmup_sets: {reps: 5}}\n",
     "r.yaml:3:37: error: 'warmup_sets' must be a list, got a mapping"),
    ("name: X\ntips: {a: 1}\nexercises:\n" + A, "r.yaml:2:7: error: 'tips' must be a list, got a mapping"),
    (EX + "  - {name: A, reps: 5, [x]: 1}\n",
     "r.yaml:3:24: error: a key in an exercise must be a plain word, got a list"),
    (EX + "  - {name: A, reps: 5, <<: {sets: 2}}\n",
     "r.yaml:3:24: error: merge keys ('<<') are not supported; repeat the keys instead"),
    (EX + "  - {name: A, reps: 5, superset: {rounds: 2}}\n",
     "r.yaml:3:24: error: 'superset' must be the only key of its list item; indent its settings under it"),
    # a bad key first: the keys after it are still read
    (EX + "  - {[x]: 1, name: A, reps: 5}\n",
     "r.yaml:3:6: error: a key in an exercise must be a plain word, got a list"),
    (EX + "  - {<<: {sets: 2}, name: A, reps: 5}\n",
     "r.yaml:3:6: error: merge keys ('<<') are not supported; repeat the keys instead"),
    (EX + "  - {zzz: 1, name: A, reps: 5}\n",
     "r.yaml:3:6: error: unknown key 'zzz' in an exercise; expected one of: name, sets, reps, hold, time, sides, "
     "tempo, tempo_beats, rest, rest_after, how, cues, load, cap, warmup_sets, switch_sides, progression, "
     "equipment, plates, weeks, stages"),
    (EX + "  - circuit: {rounds: 2, exercises: [{sets: 2, name: A, reps: 5}, {name: B, reps: 5}]}\n",
     "r.yaml:3:39: error: 'sets' is not used inside a superset or circuit; give 'rounds' and rests to the group"),
    (EX + "  - name: A\n    name: B\n    reps: 5\n",
     "r.yaml:4:5: error: duplicate key 'name' in an exercise (first given on line 3)"),
    (EX + "  - name:\n      A\n    reps: 5\n    name: B\n",
     "r.yaml:6:5: error: duplicate key 'name' in an exercise (first given on line 3)"),
    # keys: unknown (with the likely one, or all), missing, in the wrong place
    (EX + "  - {name: A, reps: 5, tmepo: 3-1-1-0}\n",
     "r.yaml:3:24: error: unknown key 'tmepo' in an exercise; did you mean 'tempo'?"),
    (EX + "  - {name: A, reps: 5, Rset: 30}\n",
     "r.yaml:3:24: error: unknown key 'Rset' in an exercise; did you mean 'rest'?"),
    (EX + "  - {name: A, reps: 5, zzz: 3}\n",
     "r.yaml:3:24: error: unknown key 'zzz' in an exercise; expected one of: name, sets, reps, hold, time, sides, "
     "tempo, tempo_beats, rest, rest_after, how, cues, load, cap, warmup_sets, switch_sides, progression, "
     "equipment, plates, weeks, stages"),
    (EX + "  - {reps: 5}\n", "r.yaml:3:5: error: an exercise is missing 'name'"),
    (EX + "  - superset: {rounds: 2, exercises: [{reps: 5}, {name: B, reps: 5}]}\n",
     "r.yaml:3:39: error: an exercise in a group is missing 'name'"),
    (EX + "  - superset: {rounds: 2, exercises: [{name: A, reps: 5, zzz: 1}, {name: B, reps: 5}]}\n",
     "r.yaml:3:58: error: unknown key 'zzz' in an exercise in a group; expected one of: name, reps, hold, time, sides, "
     "tempo, tempo_beats, how, cues, load, cap, switch_sides, progression, equipment, plates"),
    (EX + "  - superset: {rounds: 2, exercises: [7, {name: B, reps: 5}]}\n",
     "r.yaml:3:39: error: an exercise in a group must be a mapping of keys to values, got 7"),
    (EX + "  - intervals: {rounds: 2, work: 20s, rest: 10s, exercises: [{how: Fast.}]}\n",
     "r.yaml:3:62: error: an interval exercise is missing 'name'"),
    (EX + "  - intervals: {rounds: 2, work: 20s, rest: 10s, exercises: [{name: A, zzz: 1}]}\n",
     "r.yaml:3:72: error: unknown key 'zzz' in an interval exercise; expected one of: name, how, cues"),
    (EX + "  - intervals: {rounds: 2, work: 20s, rest: 10s, zzz: 1}\n",
     "r.yaml:3:50: error: unknown key 'zzz' in an interval block; expected one of: name, rounds, work, rest, "
     "rest_after, exercises, how, cues"),
    ("exercises:\n" + A, "r.yaml:1:1: error: the routine is missing 'name'"),
    (EX + "  - superset: {exercises: [{name: A, reps: 5}, {name: B, reps: 5}]}\n",
     "r.yaml:3:15: error: a superset is missing 'rounds'"),
    (EX + "  - circuit: {rounds: 2}\n", "r.yaml:3:14: error: a circuit is missing 'exercises'"),
    (EX + "  - intervals: {work: 20s, rest: 10s}\n", "r.yaml:3:16: error: an interval block is missing 'rounds'"),
    (EX + "  - intervals: {rounds: 2, rest: 10s}\n", "r.yaml:3:16: error: an interval block is missing 'work'"),
    (EX + "  - intervals: {rounds: 2, work: 20s}\n", "r.yaml:3:16: error: an interval block is missing 'rest'"),
    (EX + "  - {name: A, reps: 5, load: 5 kg, progression: {deload: 10%}}\n",
     "r.yaml:3:49: error: 'progression' is missing 'add'"),
    (EX + "  - circuit: {rounds: 2, exercises: [{name: A, reps: 5, sets: 2}, {name: B, reps: 5}]}\n",
     "r.yaml:3:57: error: 'sets' is not used inside a superset or circuit; give 'rounds' and rests to the group"),
    (EX + "  - superset: {rounds: 2, exercises: [{name: A, reps: 5}, {name: B, reps: 5, rest: 30}]}\n",
     "r.yaml:3:78: error: 'rest' is not used inside a superset or circuit; give 'rounds' and rests to the group"),
    (EX + "  - intervals: {rounds: 2, work: 20s, rest: 10s, exercises: [{name: A, reps: 5}]}\n",
     "r.yaml:3:72: error: 'reps' is not used in an interval block: every exercise lasts the block's 'work'"),
    # text
    ("name: [1]\nexercises:\n" + A, "r.yaml:1:7: error: 'name' must be text, got a list"),
    ("name: \nexercises:\n" + A, "r.yaml:1:6: error: 'name' must be text, got nothing"),
    ("name: '  '\nexercises:\n" + A, "r.yaml:1:7: error: 'name' must not be empty"),
    # counts
    (EX + "  - {name: A, reps: 5, sets: two}\n",
     "r.yaml:3:30: error: 'sets' must be a positive whole number, got \"two\""),
    (EX + "  - {name: A, reps: 5, sets: !!int abc}\n",
     "r.yaml:3:30: error: 'sets' must be a positive whole number no larger than 100, got abc"),
    (EX + "  - {name: A, reps: 5, sets: 0}\n", "r.yaml:3:30: error: 'sets' must be a positive whole number, got 0"),
    (EX + "  - {name: A, reps: 5, sets: -3}\n", "r.yaml:3:30: error: 'sets' must be a positive whole number, got -3"),
    (EX + "  - {name: A, reps: 5, sets: 101}\n", "r.yaml:3:30: error: 'sets' must be at most 100, got 101"),
    (EX + "  - {name: A, reps: 1001}\n", "r.yaml:3:21: error: 'reps' must be at most 1000, got 1001"),
    (EX + "  - {name: A, reps: 1" + "_" * 29 + "2}\n",   # 31 characters: more than any count needs
     "r.yaml:3:21: error: 'reps' must be a positive whole number no larger than 1000, got 1" + "_" * 29 + "2"),
    (EX + "  - {name: A, reps: lots}\n",
     "r.yaml:3:21: error: 'reps' must be a positive whole number, 'amrap' or at least so many then as many as "
     "you can (5+), got \"lots\""),
    (EX + "  - {name: A, reps: []}\n", "r.yaml:3:21: error: 'reps' must not be an empty list"),
    (EX + "  - {name: A, reps: [5, lots]}\n",
     "r.yaml:3:25: error: 'reps' must be a positive whole number, 'amrap' or at least so many then as many as "
     "you can (5+), got \"lots\""),
    (EX + "  - {name: A, reps: 5, cues: ''}\n", "r.yaml:3:30: error: 'cues' must not be empty"),
    (EX + "  - {name: A, reps: 5, cues: [Up., ' ']}\n", "r.yaml:3:36: error: 'cues' must not be empty"),
    (EX + "  - superset: {rounds: 1001, exercises: [{name: A, reps: 5}, {name: B, reps: 5}]}\n",
     "r.yaml:3:24: error: 'rounds' must be at most 1000, got 1001"),
    # durations
    (EX + "  - {name: A, reps: 5, rest: soon}\n",
     "r.yaml:3:30: error: 'rest' must be a duration such as 90, 90s, 1m30s or 2 min, got \"soon\""),
    (EX + "  - {name: A, reps: 5, rest: true}\n",
     "r.yaml:3:30: error: 'rest' must be a duration such as 90, 90s, 1m30s or 2 min, got true"),
    (EX + "  - {name: A, reps: 5, rest: }\n",
     "r.yaml:3:30: error: 'rest' must be a duration such as 90, 90s, 1m30s or 2 min, got nothing"),
    (EX + "  - {name: A, reps: 5, rest: -5}\n", "r.yaml:3:30: error: 'rest' must be at least 0 seconds, got -5"),
    (EX + "  - {name: A, hold: -1m}\n", "r.yaml:3:21: error: 'hold' must be more than 0 seconds, got \"-1m\""),
    (EX + "  - {name: A, hold: 0s}\n", "r.yaml:3:21: error: 'hold' must be more than 0 seconds, got \"0s\""),
    (EX + "  - {name: A, reps: 5, rest: -0.5}\n", "r.yaml:3:30: error: 'rest' must be at least 0 seconds, got -0.5"),
    (EX + "  - {name: A, reps: 5, cap: 0}\n", "r.yaml:3:29: error: 'cap' must be more than 0 seconds, got 0"),
    (EX + "  - {name: A, reps: 5, rest: !!bool 30}\n",
     "r.yaml:3:30: error: 'rest' must be a duration such as 90, 90s, 1m30s or 2 min, got 30"),
    (EX + "  - {name: A, reps: 5, rest: !!null 30}\n",
     "r.yaml:3:30: error: 'rest' must be a duration such as 90, 90s, 1m30s or 2 min, got nothing"),
    (EX + "  - {name: A, reps: 5, warmup_sets: [{hold: 0}]}\n",
     "r.yaml:3:45: error: 'hold' must be more than 0 seconds, got 0"),
    ("name: X\ndefaults: {amrap_cap: 0}\nexercises:\n" + A,
     "r.yaml:2:23: error: 'amrap_cap' must be more than 0 seconds, got 0"),
    (EX + "  - {name: A, reps: 5, rest: 5h}\n", "r.yaml:3:30: error: 'rest' must be at most 4 hours, got \"5h\""),
    # tempo, numbers, flags, choices, sides
    (EX + "  - {name: A, reps: 5, tempo: 3-1-1}\n",
     "r.yaml:3:31: error: 'tempo' must be four phases in seconds like \"3-1-1-0\" (lowering, pause, lifting, "
     "pause), got \"3-1-1\""),
    (EX + "  - {name: A, reps: 5, tempo: 0-0-0-0}\n",
     "r.yaml:3:31: error: 'tempo' 0-0-0-0 gives a rep of 0 seconds; a rep must last at least one second"),
    (EX + "  - {name: A, reps: 5, tempo: !!null 3-1-1-0}\n",
     "r.yaml:3:31: error: 'tempo' must be four phases in seconds like \"3-1-1-0\" (lowering, pause, lifting, "
     "pause), got nothing"),
    (EX + "  - {name: A, reps: 5, tempo: [3]}\n",
     "r.yaml:3:31: error: 'tempo' must be four phases in seconds like \"3-1-1-0\" (lowering, pause, lifting, "
     "pause), got a list"),
    ("name: X\ndefaults: {rate: 500}\nexercises:\n" + A,
     "r.yaml:2:18: error: 'rate' must be a number from 80 to 450, got 500"),
    ("name: X\ndefaults: {rate: 79.5}\nexercises:\n" + A,
     "r.yaml:2:18: error: 'rate' must be a number from 80 to 450, got 79.5"),
    ("name: X\ndefaults: {duck: loud}\nexercises:\n" + A,
     "r.yaml:2:18: error: 'duck' must be a number from 0 to 60, got \"loud\""),
    ("name: X\ndefaults: {volume: 1.01}\nexercises:\n" + A,
     "r.yaml:2:20: error: 'volume' must be a number from 0 to 1, got 1.01"),
    ("name: X\ndefaults: {tempo_beats: 3}\nexercises:\n" + A,
     "r.yaml:2:25: error: 'tempo_beats' must be true or false, got 3"),
    ("name: X\ndefaults: {engine: sam}\nexercises:\n" + A,
     "r.yaml:2:20: error: 'engine' must be one of espeak, piper, got \"sam\""),
    (EX + "  - {name: A, reps: 5, sides: ~}\n",
     "r.yaml:3:31: error: 'sides' must be 'each' (one side then the other), 'alternate' (in turn within the set) "
     "or 'both', optionally with leg/arm, got nothing"),
    # what an exercise needs
    (EX + "  - {name: A}\n", "r.yaml:3:5: error: exercise 'A' needs 'reps' (e.g. reps: 12), 'hold' (a static hold, "
     "e.g. hold: 45s) or 'time' (timed movement, e.g. time: 30s)"),
    (EX + "  - {name: A, reps: 5, hold: 5s}\n",
     "r.yaml:3:24: error: give one of 'reps', 'hold' or 'time', not 'reps' and 'hold'"),
    (EX + "  - {name: A, reps: 5, warmup_sets: [{load: 20 kg}]}\n",
     "r.yaml:3:38: error: a warm-up set needs one of 'reps', 'hold' or 'time'"),
    (EX + "  - superset: {rounds: 2, exercises: [{name: A, reps: 5}, {name: B, reps: [5, 6]}]}\n",
     "r.yaml:3:75: error: 'reps' inside a group takes one value, not a list"),
    (EX + "  - {name: A, reps: [5, 6], load: [1 kg, 2 kg, 3 kg]}\n",
     "r.yaml:3:35: error: 'load' lists 3 values but 'reps' lists 2; give one value per set"),
    (EX + "  - {name: A, sets: 2, hold: [5s, 6s, 7s]}\n",
     "r.yaml:3:30: error: 'hold' lists 3 values but 'sets' is 2; give one value per set"),
    # progression
    (EX + "  - {name: A, reps: 5, load: 5 kg, progression: {add: lots}}\n",
     "r.yaml:3:55: error: 'add' must be an amount such as 2.5 kg, got \"lots\""),
    (EX + "  - {name: A, reps: 5, load: 5 kg, progression: {add: [2]}}\n",
     "r.yaml:3:55: error: 'add' must be an amount such as 2.5 kg, got a list"),
    (EX + "  - {name: A, reps: 5, load: 5 kg, progression: {add: 2 kg, deload: 150%}}\n",
     "r.yaml:3:69: error: 'deload' must be a percentage such as 10%, got \"150%\""),
    (EX + "  - {name: A, reps: 5, load: 5 kg, progression: {add: 2 kg, deload: 0%}}\n",
     "r.yaml:3:69: error: 'deload' must be a percentage such as 10%, got \"0%\""),
    (EX + "  - {name: A, reps: 5, load: 5 kg, progression: {add: 2 kg, deload: {a: 1}}}\n",
     "r.yaml:3:69: error: 'deload' must be a percentage such as 10%, got a mapping"),
    (EX + "  - {name: A, reps: 5, load: 5 kg, progression: {add: 2 kg, after: 101}}\n",
     "r.yaml:3:68: error: 'after' must be at most 100, got 101"),
    (EX + "  - {name: A, reps: 5, progression: {add: 2.5 kg}}\n",
     "r.yaml:3:24: error: 'progression' needs a 'load' to change, e.g. load: 60 kg"),
    # blocks and the file
    (EX + "  - superset: {rounds: 2, exercises: [{name: A, reps: 5}]}\n",
     "r.yaml:3:38: error: a superset needs at least two exercises, got 1"),
    (EX + "  - intervals: {rounds: 8, work: 20s, rest: 10s, exercises: []}\n",
     "r.yaml:3:61: error: 'exercises' of an interval block must name at least one exercise (or leave "
     "'exercises' out to use the block's name)"),
    ("name: X\nexercises: []\n", "r.yaml:2:12: error: 'exercises' must list at least one exercise"),
    ("name: X\nversion: [1]\nexercises:\n" + A,
     "r.yaml:2:10: error: 'version' must be 1 (this voicecoach reads format 1), got a list"),
    ("name: X\nversion: 1.0\nexercises:\n" + A,
     "r.yaml:2:10: error: 'version' must be 1 (this voicecoach reads format 1), got 1.0"),
    ("", "r.yaml:1:1: error: the file is empty; a routine needs at least 'name' and 'exercises' "
         "(see: voicecoach new FILE)"),
    ("- a\n", "r.yaml:1:1: error: the routine must be a mapping of keys to values, got a list"),
    (EX + "  - {name: A, reps: 5\n",
     "r.yaml:4:1: error: YAML syntax: did not find expected ',' or '}' while parsing a flow mapping"),
])
def test_each_mistake_reads_as_one_located_line(text: str, expected: str) -> None:
    assert mistakes(text) == [expected]


def _at(text: str, needle: str) -> str:
    """`line:col` of where `needle` begins in `text`."""
    before = text[: text.index(needle)]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


WRONG = "{zz: 1}"   # a value of the wrong kind for every key but one that takes a mapping


def _exercise(key: str, indent: str) -> str:
    first = "hold: 5s" if key == "hold" else "reps: 5"
    lines = [f"name: {WRONG}" if key == "name" else "name: A", first if key not in ("reps", "hold") else "",
             f"{key}: {WRONG}" if key != "name" else ""]
    return "".join(f"{indent}{line}\n" for line in lines if line).replace(indent, indent[:-2] + "- ", 1)


def _in_exercise(key: str) -> str:
    return EX + _exercise(key, "    ")


def _in_group_item(key: str) -> str:
    return EX + "  - superset:\n      rounds: 2\n      exercises:\n" + _exercise(key, "          ") + \
        "        - {name: B, reps: 5}\n"


def _in_group(key: str) -> str:
    keys = {"rounds": "2", "exercises": "[{name: A, reps: 5}, {name: B, reps: 5}]", key: WRONG}
    return EX + "  - circuit:\n" + "".join(f"      {k}: {v}\n" for k, v in keys.items())


def _in_intervals(key: str) -> str:
    keys = {"rounds": "2", "work": "20s", "rest": "10s", key: WRONG}
    return EX + "  - intervals:\n" + "".join(f"      {k}: {v}\n" for k, v in keys.items())


def _in_interval_item(key: str) -> str:
    item = {"name": "A", key: WRONG}
    return EX + "  - intervals:\n      rounds: 2\n      work: 20s\n      rest: 10s\n      exercises:\n" + \
        "        - " + "\n          ".join(f"{k}: {v}" for k, v in item.items()) + "\n"


def _in_warmup_set(key: str) -> str:
    given = f"{key}: {WRONG}" if key != "load" else f"reps: 5, load: {WRONG}"
    return EX + f"  - name: A\n    reps: 5\n    warmup_sets:\n      - {{{given}}}\n"


def _in_progression(key: str) -> str:
    keys = {"add": "2.5 kg", key: WRONG}
    return EX + "  - name: A\n    reps: 5\n    load: 60 kg\n    progression:\n" + \
        "".join(f"      {k}: {v}\n" for k, v in keys.items())


def _in_defaults(key: str) -> str:
    return f"name: X\ndefaults:\n  {key}: {WRONG}\n" + "exercises:\n" + A


def _at_top(key: str) -> str:
    keys = {"name": "X", "exercises": "\n" + A.rstrip("\n"), key: WRONG if key != "defaults" else "5"}
    return "".join(f"{k}: {v}\n" for k, v in keys.items())


PLACES = [(_in_exercise, ("name", "sets", "reps", "hold", "sides", "tempo", "tempo_beats", "rest", "rest_after",
                          "how", "cues", "load", "cap", "warmup_sets", "switch_sides")),
          (_in_group_item, ("name", "reps", "hold", "sides", "tempo", "tempo_beats", "how", "cues", "load", "cap",
                            "switch_sides")),
          (_in_group, ("name", "rounds", "rest", "rest_between", "rest_after", "exercises")),
          (_in_intervals, ("name", "rounds", "work", "rest", "rest_after", "exercises", "how", "cues")),
          (_in_interval_item, ("name", "how", "cues")),
          (_in_warmup_set, ("reps", "hold", "load")),
          (_in_progression, ("add", "deload", "after")),
          (_in_defaults, ("rest", "rest_after", "tempo", "get_ready", "switch_sides", "amrap_cap", "unit", "engine",
                          "voice", "rate", "volume", "duck", "tempo_beats")),
          (_at_top, ("name", "description", "tips", "defaults", "warmup", "cooldown", "version"))]


@pytest.mark.parametrize("place, key", [(place, key) for place, keys in PLACES for key in keys],
                         ids=lambda v: v.__name__.strip("_") if callable(v) else v)
def test_a_value_of_the_wrong_kind_is_one_mistake_that_names_its_key_at_the_value(place: object, key: str) -> None:
    assert callable(place)
    text = place(key)
    value = WRONG if not (place is _at_top and key == "defaults") else "5"
    found = mistakes(text)
    assert len(found) == 1, found
    line, col = _at(text, f"{key}: {value}").split(":")
    where = f"r.yaml:{line}:{int(col) + len(key) + 2}: error: "
    assert found[0].startswith(where + f"'{key}' "), (text, found)


def test_an_exercise_with_neither_name_nor_reps_gets_both_mistakes() -> None:
    assert mistakes(EX + "  - {sets: 2}\n") == [
        "r.yaml:3:5: error: an exercise is missing 'name'",
        "r.yaml:3:5: error: exercise '?' needs 'reps' (e.g. reps: 12), 'hold' (a static hold, e.g. hold: 45s) or "
        "'time' (timed movement, e.g. time: 30s)"]


@pytest.mark.parametrize("block, what", [
    ("intervals: {rounds: 1000, work: 4h, rest: 0}", "interval block"),
    ("circuit: {rounds: 1000, exercises: [{name: A, hold: 4h}, {name: B, hold: 4h}]}", "circuit"),
    ("superset: {rounds: 1000, exercises: [{name: A, hold: 4h}, {name: B, hold: 4h}]}", "superset"),
])
def test_a_block_that_makes_the_session_too_long_is_named_by_its_kind(block: str, what: str) -> None:
    found = mistakes(EX + A + f"  - {block}\n")
    assert len(found) == 1 and found[0].startswith("r.yaml:4:5: error: the session would last about "), found
    assert found[0].endswith(f" days by the end of this {what}; a session is at most 24 hours (fewer sets, "
                             "reps or rounds?)"), found


def test_a_tag_on_a_list_of_cues_does_not_make_it_one_text() -> None:
    block = parse(EX + "  - {name: A, reps: 5, cues: !!str [Up., Down.]}\n", "r.yaml").blocks[0]
    assert block.cues == ("Up.", "Down.")   # type: ignore[union-attr]


def test_every_bad_warm_up_set_is_reported() -> None:
    assert mistakes(EX + "  - {name: A, reps: 5, warmup_sets: [5, {reps: 0}, 6]}\n") == [
        "r.yaml:3:38: error: a warm-up set must be a mapping of keys to values, got 5",
        "r.yaml:3:48: error: 'reps' must be a positive whole number, got 0",
        "r.yaml:3:52: error: a warm-up set must be a mapping of keys to values, got 6"]


def test_a_warm_up_that_makes_the_session_too_long_is_refused_where_it_is() -> None:
    found = mistakes("name: X\nwarmup:\n  - {name: Jog, sets: 7, hold: 4h}\nexercises:\n" + A)
    # seven holds of 4 h, six rests of a minute between them and what is said: 28.1 hours
    assert found == ["r.yaml:3:5: error: the session would last about 28.1 hours by the end of this exercise; "
                     "a session is at most 24 hours (fewer sets, reps or rounds?)"]


def test_a_file_of_1_mib_is_read_and_one_byte_more_is_refused() -> None:
    assert mistakes("#" * (1 << 20)) == [
        "r.yaml:1:1: error: the file is empty; a routine needs at least 'name' and 'exercises' "
        "(see: voicecoach new FILE)"]
    with pytest.raises(RoutineError) as info:
        parse("#" * (1 << 20) + "\n", "r.yaml")
    assert info.value.problems == [Problem("r.yaml", 0, 0, "the file is larger than 1 MiB; a routine is much smaller")]


def test_the_routine_read_keeps_its_description_its_file_and_its_text() -> None:
    text = "name: X\ndescription: Legs.\nexercises:\n" + A
    r = parse(text, "r.yaml")
    assert (r.description, r.source, r.text) == ("Legs.", "r.yaml", text)


# the same file read by libyaml (the usual case) and by PyYAML's own Python reader (without libyaml)
LOADERS = [pytest.param(getattr(yaml, "CSafeLoader", None), id="libyaml"), pytest.param(yaml.SafeLoader, id="python")]


@pytest.fixture(params=LOADERS)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> type:
    if request.param is None:
        pytest.skip("PyYAML was built without libyaml")
    monkeypatch.setattr(routine_yaml, "_LOADER", request.param)
    return request.param  # type: ignore[no-any-return]


@pytest.mark.parametrize("text, libyaml, python", [
    ("name: " + "[" * 2000 + "]" * 2000 + "\n",
     "r.yaml:1:1006: error: the file is nested too deeply to be a routine",
     "r.yaml: error: the file is nested too deeply to be a routine"),
    ("a: b: c\n", "r.yaml:1:5: error: YAML syntax: mapping values are not allowed in this context",
     "r.yaml:1:5: error: YAML syntax: mapping values are not allowed here"),
    ("a: 'x\n", "r.yaml:2:1: error: YAML syntax: found unexpected end of stream while scanning a quoted scalar",
     "r.yaml:2:1: error: YAML syntax: found unexpected end of stream while scanning a quoted scalar"),
    ("\x07name: X\n", "r.yaml:1:1: error: the character U+0007 is not allowed in YAML (a control character); delete it",
     "r.yaml:1:1: error: the character U+0007 is not allowed in YAML (a control character); delete it"),
    ("name: X\ntips: [a\x07, b\x07]\n",
     "r.yaml:2:9: error: the character U+0007 is not allowed in YAML (a control character); delete it",
     "r.yaml:2:9: error: the character U+0007 is not allowed in YAML (a control character); delete it"),
])
def test_yaml_mistakes_are_one_located_line_with_or_without_libyaml(loader: type, text: str, libyaml: str,
                                                                     python: str) -> None:
    assert mistakes(text) == [python if loader is yaml.SafeLoader else libyaml]


def test_nesting_too_deep_for_python_s_own_stack_is_a_mistake_without_a_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routine_yaml, "_LOADER", yaml.SafeLoader)
    with pytest.raises(RoutineError) as info:
        parse("name: " + "[" * 2000 + "]" * 2000 + "\n", "r.yaml")
    assert info.value.problems == [Problem("r.yaml", 0, 0, "the file is nested too deeply to be a routine")]


@pytest.mark.parametrize("error, expected", [
    (yaml.MarkedYAMLError(), Problem("r.yaml", 0, 0, "YAML syntax: invalid YAML")),
    (yaml.YAMLError("an error\n  over two lines"), Problem("r.yaml", 1, 1, "YAML syntax: an error over two lines")),
])
def test_a_yaml_error_of_a_kind_not_foreseen_is_still_one_line(error: Exception, expected: Problem,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def compose(*_: object, **__: object) -> None:
        raise error
    monkeypatch.setattr(yaml, "compose", compose)
    with pytest.raises(RoutineError) as info:
        parse("name: X\n", "r.yaml")
    assert info.value.problems == [expected]


def test_a_file_whose_aliases_repeat_a_part_thousands_of_times_is_refused_at_once() -> None:
    # 2,000 uses of an exercise of 1,000 warm-up sets: two million entries to read, from 19 kB
    sets = ", ".join(["{reps: 1}"] * 1000)
    text = (f"name: X\nexercises:\n  - &x {{name: A, reps: 1, warmup_sets: [{sets}]}}\n"
            f"cooldown: [{', '.join(['*x'] * 2000)}]\n")
    assert mistakes(text) == ["r.yaml:1:1: error: the routine has more than 200,000 entries (each use of an alias "
                              "counts); a routine is much smaller"]


def test_entries_are_counted_one_per_mapping_key_and_list(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "name: X\nexercises:\n  - {name: A, reps: 1}\n"  # 2 mappings, 4 keys, 1 list
    monkeypatch.setattr(routine_yaml, "MAX_NODES", 7)
    assert parse(text, "r.yaml").name == "X"
    monkeypatch.setattr(routine_yaml, "MAX_NODES", 6)
    assert mistakes(text) == ["r.yaml:1:1: error: the routine has more than 6 entries (each use of an alias "
                              "counts); a routine is much smaller"]


def test_a_config_file_of_too_many_settings_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routine_yaml, "MAX_NODES", 3)
    assert routine_yaml.parse_settings("rate: 200\nvolume: 1\n", "c.yaml") == {"rate": (200, (1, 7)),
                                                                              "volume": (1, (2, 9))}
    with pytest.raises(RoutineError) as info:
        routine_yaml.parse_settings("rate: 200\nvolume: 1\nduck: 3\n", "c.yaml")
    assert [str(p) for p in info.value.problems] == [
        "c.yaml:1:1: error: the config file has more than 3 settings; it holds a few"]


@pytest.mark.parametrize("text, expected", [
    (EX + "  - {name: Dips, reps: 5, load: -20 kg}\n",
     "r.yaml:3:33: error: 'load' cannot be negative, got -20 kg; an assisted lift says so in words, "
     "e.g. load: 20 kg of assistance"),
    (EX + "  - {name: Dips, reps: 5, warmup_sets: [{reps: 5, load: \u221210 kg}]}\n",
     "r.yaml:3:57: error: 'load' cannot be negative, got \u221210 kg; an assisted lift says so in words, "
     "e.g. load: 10 kg of assistance"),
    ("name: X\ntips: [{before: reps}]\nexercises:\n" + A,
     "r.yaml:2:8: error: a tip is missing 'say'"),
    ("name: X\ntips: [{say: Hi., before: [reps]}]\nexercises:\n" + A,
     "r.yaml:2:27: error: 'before' must be one of reps, holds, timed (the kind of set the tip fits), got a list"),
    ("name: X\ntips: [{say: Hi., when: reps}]\nexercises:\n" + A,
     "r.yaml:2:19: error: unknown key 'when' in a tip; expected one of: say, before"),
    ("name: X\ntips: [[Hi.]]\nexercises:\n" + A, "r.yaml:2:8: error: 'tips' must be text, got a list"),
    ("name: X\ntips: ' '\nexercises:\n" + A, "r.yaml:2:7: error: 'tips' must not be empty"),
    ("name: X\ntips: [{say: [Hi.]}]\nexercises:\n" + A, "r.yaml:2:14: error: 'say' must be text, got a list"),
])
def test_each_mistake_in_a_load_or_a_tip_reads_as_one_located_line(text: str, expected: str) -> None:
    assert mistakes(text) == [expected]


def test_after_a_mistaken_tip_the_next_tips_are_read_too() -> None:
    text = "name: X\ntips: [{before: reps}, {say: [Hi.]}, {say: Yo., before: 5}]\nexercises:\n" + A
    assert len(mistakes(text)) == 3


def test_a_routine_with_mistakes_still_hands_on_the_defaults_it_read() -> None:
    with pytest.raises(RoutineError) as e:
        parse("name: X\ndefaults: {voice: nosuch, rest: 30s}\nexercises:\n  - {name: A}\n", "r.yaml")
    assert e.value.partial is not None and e.value.partial.voice == "nosuch" and e.value.partial.rest_s == 30
