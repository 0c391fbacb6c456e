"""Shared fixtures: inline routines, a deterministic speech-length function."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from voicecoach.routine import Routine, parse_routine

ROOT = Path(__file__).resolve().parent.parent


def routine_from(text: str, path: str = "test.yaml") -> Routine:
    """A routine from inline YAML (dedented)."""
    return parse_routine(textwrap.dedent(text), path)


def fake_speech_s(text: str) -> float:
    """Deterministic spoken length: 0.3 s plus 0.08 s per character."""
    return 0.3 + 0.08 * len(text)


@pytest.fixture
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Private config, cache and data directories for one test."""
    for name in ("CONFIG", "CACHE", "DATA"):
        d = tmp_path / name.lower()
        monkeypatch.setenv(f"VOICECOACH_{name}_DIR", str(d))
    return tmp_path
