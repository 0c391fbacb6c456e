"""The JSON Schema editors read agrees with the reader, and editors can really load it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import ROOT
from hypothesis import given
from test_routine_fuzz import FUZZ, routines

from voicecoach.errors import RoutineError
from voicecoach.routine.reader import (
    DEFAULT_KEYS,
    EXERCISE_KEYS,
    GROUP_ITEM_KEYS,
    GROUP_KEYS,
    INTERVAL_ITEM_KEYS,
    INTERVAL_KEYS,
    PROGRESSION_KEYS,
    TOP_KEYS,
    WARMUP_SET_KEYS,
    parse,
)
from voicecoach.routine.schema import schema_json
from voicecoach.routine.starter import starter_routine

SHIPPED = ROOT / "routines" / "routine-v1.schema.json"
VALIDATOR = jsonschema.Draft7Validator(json.loads(SHIPPED.read_text()))
BUNDLED = sorted((ROOT / "routines").glob("*.yaml"))


def schema_accepts(text: str) -> bool:
    return VALIDATOR.is_valid(yaml.safe_load(text))


def reader_accepts(text: str) -> bool:
    try:
        parse(text, "t.yaml")
    except RoutineError:
        return False
    return True


def test_the_shipped_schema_is_the_one_made_from_the_readers_keys() -> None:
    assert SHIPPED.read_text() == schema_json(), "run scripts/make_schema"
    jsonschema.Draft7Validator.check_schema(json.loads(SHIPPED.read_text()))


@pytest.mark.parametrize("routine", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_routine_is_valid_for_both_and_names_the_schema_beside_it(routine: Path) -> None:
    text = routine.read_text()
    assert reader_accepts(text) and schema_accepts(text)
    modeline = re.search(r"^# yaml-language-server: \$schema=(\S+)$", text, re.MULTILINE)
    assert modeline and (routine.parent / modeline.group(1)).read_text() == SHIPPED.read_text()


def test_the_starter_routine_is_valid_for_both() -> None:
    text = starter_routine("file:///x.json")
    assert reader_accepts(text) and schema_accepts(text)


# ---------------------------------------------------------------- invalid routines, generated

BASE: dict[str, Any] = {
    "name": "T", "defaults": {"rest": 30}, "maxes": {"A": "50 kg"},
    "exercises": [
        {"name": "A", "reps": 5, "load": "10 kg", "warmup_sets": [{"reps": 5}], "progression": {"add": "1 kg"}},
        {"superset": {"rounds": 2, "exercises": [{"name": "B", "reps": 5}, {"name": "C", "reps": 5}]}},
        {"intervals": {"rounds": 2, "work": 20, "rest": 10, "exercises": [{"name": "D"}]}}]}
"""A valid routine holding every kind of mapping the format has."""


def invalid_routines() -> list[tuple[str, dict[str, Any]]]:
    """For every key of every kind of mapping: the key misspelt, and a mapping where a value belongs
    (no key takes an unknown mapping); plus what each number must not be."""
    base = BASE
    kinds: list[tuple[str, tuple[str, ...], Any]] = [
        ("routine", TOP_KEYS, lambda d: d),
        ("defaults", DEFAULT_KEYS, lambda d: d["defaults"]),
        ("exercise", EXERCISE_KEYS, lambda d: d["exercises"][0]),
        ("warm-up set", WARMUP_SET_KEYS, lambda d: d["exercises"][0]["warmup_sets"][0]),
        ("progression", PROGRESSION_KEYS, lambda d: d["exercises"][0]["progression"]),
        ("group", GROUP_KEYS, lambda d: d["exercises"][1]["superset"]),
        ("group exercise", GROUP_ITEM_KEYS, lambda d: d["exercises"][1]["superset"]["exercises"][0]),
        ("intervals", INTERVAL_KEYS, lambda d: d["exercises"][2]["intervals"]),
        ("interval exercise", INTERVAL_ITEM_KEYS, lambda d: d["exercises"][2]["intervals"]["exercises"][0]),
    ]
    out = []
    for kind, keys, reach in kinds:
        for key in keys:
            doc = json.loads(json.dumps(base))
            reach(doc)[key] = {"A": {"oops": 1}} if key == "maxes" else {"oops": 1}  # (its keys are exercises)
            out.append((f"{kind}.{key}: a mapping", doc))
            doc = json.loads(json.dumps(base))
            reach(doc)[key[::-1] + "x"] = 1
            out.append((f"{kind}: misspelt {key}", doc))
    for label, ex in [("reps 0", {"reps": 0}), ("reps 1001", {"reps": 1001}), ("sets 0", {"sets": 0}),
                      ("sets 101", {"sets": 101}), ("reps and hold", {"hold": 30}),
                      ("tempo 3-x-1-0", {"tempo": "3-x-1-0"}),
                      ("tempo X110", {"tempo": "X110"}), ("tempo 3-1-1", {"tempo": "3-1-1"}),
                      ("sides sometimes", {"sides": "sometimes"}), ("empty name", {"name": ""}),
                      ("reps 2.5", {"reps": 2.5}), ("reps twelve", {"reps": "twelve"}), ("reps []", {"reps": []})]:
        doc = json.loads(json.dumps(base))
        doc["exercises"][0].update(ex)
        out.append((label, doc))
    no_exercises = json.loads(json.dumps(base))
    no_exercises["exercises"] = []
    return [*out, ("no exercises", no_exercises), ("no name", {"exercises": base["exercises"]})]


def test_the_routine_they_are_made_from_is_valid_for_both() -> None:
    text = yaml.safe_dump(BASE)
    assert reader_accepts(text) and schema_accepts(text)


@pytest.mark.parametrize("label, doc", invalid_routines(), ids=[label for label, _ in invalid_routines()])
def test_a_generated_invalid_routine_is_refused_by_both(label: str, doc: dict[str, Any]) -> None:
    text = yaml.safe_dump(doc, sort_keys=False)
    assert not reader_accepts(text), label
    assert not schema_accepts(text), label


@FUZZ
@given(routines)
def test_the_schema_accepts_whatever_the_reader_accepts(doc: dict[str, Any]) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    if reader_accepts(text):
        assert schema_accepts(text), list(VALIDATOR.iter_errors(yaml.safe_load(text)))
