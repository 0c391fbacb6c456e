"""The routine format as JSON Schema, made from the reader's own key lists and limits, so that
what an editor completes and checks is what `voicecoach check` reads. Written to
`routines/routine-v1.schema.json` by `scripts/make_schema`; a test keeps the two equal.

JSON Schema draft-07: the dialect the YAML language server (VS Code, Neovim, Helix, Zed) reads.

Imports: voicecoach.routine.model, voicecoach.routine.reader.
"""

from __future__ import annotations

import json
from typing import Any

from voicecoach.routine.model import (ENGINES, EQUIPMENT, FORMAT_VERSION, MAX_REPS, MAX_ROUNDS, MAX_SETS, MAX_WEEKS,
                                      ROUNDINGS, TIP_KINDS)
from voicecoach.routine.reader import (
    AMRAP_WORDS,
    DAY_KEYS,
    DEFAULT_KEYS,
    EXERCISE_KEYS,
    GROUP_ITEM_KEYS,
    GROUP_KEYS,
    INTERVAL_ITEM_KEYS,
    INTERVAL_KEYS,
    PROGRESSION_KEYS,
    TOP_KEYS,
    UNITS,
    TIP_KEYS,
    WARMUP_SET_KEYS,
    WEEK_KEYS,
)

Schema = dict[str, Any]

_SEP = r"(\s*[-/.]\s*|\s+)"
_TEMPO = (r"^\s*([0-9]{2}[0-9xX][0-9]|\d{1,2}" + _SEP + r"\d{1,2}" + _SEP + r"(\d{1,2}|[xX])" + _SEP
          + r"\d{1,2})\s*$")


def _text(description: str) -> Schema:
    return {"description": description, "type": "string", "minLength": 1}


def _texts(description: str) -> Schema:
    return {"description": description, "anyOf": [{"type": "string", "minLength": 1},
                                                  {"type": "array", "items": {"type": "string", "minLength": 1}}]}


def _duration(description: str) -> Schema:
    return {"description": f"{description}. A duration: 90, 90s, 1m30s, 1:30 or 2 min",
            "anyOf": [{"type": "number", "minimum": 0},
                      {"type": "string", "pattern": r"^\s*(\d+:[0-5]\d|(\d+(\.\d+)?\s*[a-zA-Z]*\s*)+)\s*$"}]}


def _count(description: str, maximum: int) -> Schema:
    return {"description": description, "type": "integer", "minimum": 1, "maximum": maximum}


def _per_set(one: Schema, description: str) -> Schema:
    return {"description": f"{description}; or a list, one per set", "anyOf": [one, {"type": "array", "items": one,
                                                                                   "minItems": 1}]}


_REPS = {"anyOf": [{"type": "integer", "minimum": 1, "maximum": MAX_REPS},
                   {"type": "string", "enum": sorted({*AMRAP_WORDS, *(w.upper() for w in AMRAP_WORDS)})},
                   {"type": "string", "pattern": r"^\s*0*[1-9]\d{0,2}\s*\+\s*$|^\s*0*1000\s*\+\s*$",
                    "description": "at least so many, then as many as you can: 5+"}]}
_TEMPO_S = {"description": "Seconds of each phase of a rep: lowering-pause-lifting-pause, e.g. 3-1-1-0 or 31X0; "
                           "X (explosive) only in the lifting phase", "type": "string", "pattern": _TEMPO}
_SIDES = {"description": "each (one side, then the other), alternate (in turn within the set) or both; "
                         "optionally with leg/arm: 'each leg'",
          "type": "string", "pattern": r"^(both|each|alternate|alternating)(\s+(leg|arm|side|hand|foot)s?)?$"}
_PROGRESSION_KEYS: dict[str, Schema] = {
    "add": {"description": "Added after a session with every set completed, e.g. 2.5 kg",
            "anyOf": [{"type": "number", "exclusiveMinimum": 0},
                      {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(kg|kgs|lb|lbs)?\s*$"}]},
    "deload": {"description": "Taken off after `after` sessions in a row with a set not completed, e.g. 10%",
               "type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*%\s*$"},
    "after": _count("Sessions in a row with a set not completed before a deload (default 3)", 100)}
_SHORT_PROGRESSION = {"type": "object", "additionalProperties": False, "required": ["add"],
                      "properties": {k: _PROGRESSION_KEYS[k] for k in PROGRESSION_KEYS}}
_AMOUNT_S = {"type": ["string", "number"], "pattern": r"^\s*[+-]?\d+(\.\d+)?\s*(kg|kgs|lb|lbs)?\s*$"}
_RULE = {"type": "object", "additionalProperties": False, "required": ["after"], "properties": {
    "after": {"description": "success, failure, N failures (in a row), last stage failure, cycle, amrap (with a "
                             "table) or amrap N (reps reached)", "type": "string",
              "pattern": r"^\s*(success|failure|cycle|last\s+stage\s+failure|\d+\s+failures?|amrap(\s+\d+\+?)?)\s*$"},
    "add": {"description": "Added to the load (to the training max, for a load by percentage)", **_AMOUNT_S},
    "deload": {"description": "Taken off the load (or max), e.g. 10%", "type": "string",
               "pattern": r"^\s*\d+(\.\d+)?\s*%\s*$"},
    "table": {"description": "Reps reached (4, 2-3, 6+) -> what is added", "type": "object",
              "propertyNames": {"pattern": r"^\s*\d+\s*(-\s*\d+|\+)?\s*$"}, "additionalProperties": _AMOUNT_S},
    "stage": {"description": "Move to this stage (1 is the first) or the next", "anyOf": [
        {"type": "integer", "minimum": 1}, {"const": "next"}]}}}
_PROGRESSION = {"description": "How the load moves from session to session: {add, deload, after}, or a list of "
                               "rules", "anyOf": [_SHORT_PROGRESSION, {"type": "array", "minItems": 1, "items": _RULE}]}

# every key the reader knows, once: a key missing here fails `_properties`
_KEYS: dict[str, Schema] = {
    "version": {"description": "The format version", "const": FORMAT_VERSION},
    "name": _text("The name, said and shown"),
    "description": _text("Shown by `voicecoach routines`"),
    "tips": {"description": "General tips, one per long rest: a text, or {say, before} for a kind of set",
             "anyOf": [{"type": "string", "minLength": 1},
                       {"type": "array", "items": {"anyOf": [{"type": "string", "minLength": 1},
                                                             {"$ref": "#/definitions/tip"}]}}]},
    "say": _text("What the coach says"),
    "before": {"description": "The kind of set the tip fits: sets of reps, holds, or timed movement",
               "enum": list(TIP_KINDS)},
    "defaults": {"$ref": "#/definitions/defaults"},
    "warmup": {"description": "Blocks done first", "type": "array", "items": {"$ref": "#/definitions/block"}},
    "exercises": {"description": "The exercises and blocks, in order", "type": "array", "minItems": 1,
                  "items": {"$ref": "#/definitions/block"}},
    "cooldown": {"description": "Blocks done last", "type": "array", "items": {"$ref": "#/definitions/block"}},
    "rest": _duration("Rest between sets"),
    "rest_after": _duration("Rest after the last set (or round)"),
    "rest_between": _duration("Rest between the exercises of a round"),
    "tempo": _TEMPO_S,
    "get_ready": _duration("Time to get ready before the first set"),
    "switch_sides": _duration("Time to switch sides in an 'each' set"),
    "amrap_cap": _duration("Time cap of an as-many-as-possible set"),
    "cap": _duration("Time cap of an as-many-as-possible set"),
    "unit": {"description": "The unit of loads", "enum": list(UNITS)},
    "engine": {"description": "The speech engine: espeak (espeak-ng, the default) or piper (a neural voice)",
               "enum": list(ENGINES)},
    "voice": _text("A voice from `voicecoach voices` (or `voices --engine piper`)"),
    "tempo_beats": {"description": "Soft beats pace each second of a lowering phase of 2 s or more "
                                   "(default true)", "type": "boolean"},
    "rate": {"description": "Speaking rate in words per minute", "type": "number", "minimum": 80, "maximum": 450},
    "volume": {"description": "Loudness from 0 to 1", "type": "number", "minimum": 0, "maximum": 1},
    "duck": {"description": "Decibels other sound (music) is lowered while the coach speaks (0: never)",
             "type": "number", "minimum": 0, "maximum": 60},
    "sets": _count("Number of work sets", MAX_SETS),
    "rounds": _count("Number of rounds", MAX_ROUNDS),
    "reps": _per_set(_REPS, "Reps per set, or amrap"),
    "hold": _per_set(_duration("Seconds held"), "A static hold instead of reps"),
    "time": _per_set(_duration("Seconds of movement"), "Timed movement instead of reps (not a hold)"),
    "load": _per_set({"type": "string", "minLength": 1},
                     "The load: 60 kg, 75% (of the exercise's training max), bodyweight, RPE 8"),
    "equipment": {"description": "What the exercise is loaded with: a barbell takes plates, dumbbells and a "
                                 "kettlebell are fixed weights (default: barbell for a percentage, else other)",
                  "enum": list(EQUIPMENT)},
    "plates": {"description": "Say how to load the bar when the load changes (default true)", "type": "boolean"},
    "rounding": {"description": "How a computed load becomes one the plates make (default nearest)",
                 "enum": list(ROUNDINGS)},
    "maxes": {"description": "Each exercise's starting training max, in the routine's unit (e.g. Back squat: "
                             "140 kg); `voicecoach max set` and the log's own take over",
              "type": "object", "additionalProperties": {"type": ["string", "number"]}},
    "sides": _SIDES,
    "how": _text("How to do it, said once before the first set"),
    "cues": _texts("Form cues said during the sets"),
    "warmup_sets": {"description": "Warm-up sets before the work sets", "type": "array",
                    "items": {"$ref": "#/definitions/warmup_set"}},
    "progression": _PROGRESSION,
    "work": _duration("Work per round"),
    "weeks": _count("A program's cycle: how many weeks before it starts again (each exercise may list its sets "
                    "week by week)", MAX_WEEKS),
    "days": {"description": "A program's days, played in rotation (instead of 'exercises')", "type": "array",
             "minItems": 1, "items": {"$ref": "#/definitions/day"}},
}
# where a key means something narrower than its general entry above
_NARROW: dict[str, dict[str, Schema]] = {
    "group_exercise": {"reps": _REPS, "hold": _duration("Seconds held"), "time": _duration("Seconds of movement"),
                       "load": _text("The load")},
    "warmup_set": {"reps": _REPS, "hold": _duration("Seconds held"), "time": _duration("Seconds of movement"),
                   "load": _text("The load")},
    "intervals": {"rest": _duration("Rest after each round"),
                  "exercises": {"description": "Exercises cycled round by round", "type": "array", "minItems": 1,
                                "items": {"anyOf": [{"type": "string", "minLength": 1},
                                                    {"$ref": "#/definitions/interval_exercise"}]}}},
    "exercise": {"weeks": {"description": "The sets of each week of the program's cycle; a week's keys replace "
                                          "the exercise's own", "type": "array", "minItems": 1,
                           "items": {"$ref": "#/definitions/week"}},
                 "stages": {"description": "Schemes the exercise moves through by its rules (stage: next); a "
                                           "stage's keys replace the exercise's own", "type": "array",
                            "minItems": 1, "items": {"$ref": "#/definitions/week"}}},
    "day": {"name": _text("The day's name, said at the start ('Week 2, day 3: Bench.')")},
    "group": {"rest": _duration("Rest after each round"),
              "exercises": {"description": "Exercises done back to back", "type": "array", "minItems": 2,
                            "items": {"$ref": "#/definitions/group_exercise"}}},
}


def _object(kind: str, keys: tuple[str, ...], required: tuple[str, ...] = (), **extra: Any) -> Schema:
    narrow = _NARROW.get(kind, {})
    return {"type": "object", "additionalProperties": False, **({"required": list(required)} if required else {}),
            "properties": {k: narrow.get(k) or _KEYS[k] for k in keys}, **extra}


def routine_schema() -> Schema:
    """The routine format's JSON Schema (draft-07) as a dict."""
    reps_or_hold = {"oneOf": [{"required": ["reps"]}, {"required": ["hold"]}, {"required": ["time"]}]}
    wrapped = [{"type": "object", "additionalProperties": False, "required": [kind],
                "properties": {kind: {"$ref": f"#/definitions/{'intervals' if kind == 'intervals' else 'group'}"}}}
               for kind in ("superset", "circuit", "intervals")]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"voicecoach:routine-v{FORMAT_VERSION}",
        "title": f"voicecoach routine, format version {FORMAT_VERSION}",
        **_object("routine", TOP_KEYS, ("name",), oneOf=[{"required": ["exercises"]}, {"required": ["days"]}]),
        "definitions": {
            "defaults": {"description": "What every exercise inherits unless it says otherwise",
                         **_object("defaults", DEFAULT_KEYS)},
            "block": {"anyOf": [{"$ref": "#/definitions/exercise"}, *wrapped]},
            "exercise": _object("exercise", EXERCISE_KEYS, ("name",),
                                anyOf=[reps_or_hold, {"required": ["weeks"]}, {"required": ["stages"]}]),
            "day": _object("day", DAY_KEYS, ("name", "exercises")),
            "week": _object("week", WEEK_KEYS),
            "group_exercise": _object("group_exercise", GROUP_ITEM_KEYS, ("name",), **reps_or_hold),
            "warmup_set": _object("warmup_set", WARMUP_SET_KEYS, oneOf=reps_or_hold["oneOf"]),
            "tip": _object("tip", TIP_KEYS, ("say",)),
            "group": _object("group", GROUP_KEYS, ("rounds", "exercises")),
            "intervals": _object("intervals", INTERVAL_KEYS, ("rounds", "work", "rest")),
            "interval_exercise": _object("interval_exercise", INTERVAL_ITEM_KEYS, ("name",)),
        },
    }


def schema_json() -> str:
    """The schema as the text shipped beside the bundled routines."""
    return json.dumps(routine_schema(), indent=2) + "\n"
