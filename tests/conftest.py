"""Shared fixtures: a private home for the whole run, inline routines, a deterministic speech-length function."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from soundserver import SoundServer
from soundserver import sound_server as private_sound_server

from voicecoach.routine.model import Routine
from voicecoach.routine.file import parse_routine

ROOT = Path(__file__).resolve().parent.parent


def routine_from(text: str, path: str = "test.yaml") -> Routine:
    """A routine from inline YAML (dedented)."""
    return parse_routine(textwrap.dedent(text), path)


def errors_of(text: str, path: str = "test.yaml") -> list[str]:
    """The mistakes in routine `text` (inline YAML, dedented), each as the person reads it."""
    from voicecoach.errors import RoutineError
    with pytest.raises(RoutineError) as info:
        routine_from(text, path)
    return [str(p) for p in info.value.problems]


def fake_speech_s(text: str) -> float:
    """Deterministic spoken length: 0.3 s plus 0.08 s per character."""
    return 0.3 + 0.08 * len(text)


# every variable through which voicecoach (or espeak-ng, PulseAudio, matplotlib) finds a person's files
PRIVATE_VARIABLES = ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME",
                     "VOICECOACH_CONFIG_DIR", "VOICECOACH_CACHE_DIR", "VOICECOACH_DATA_DIR", "VOICECOACH_STATE_DIR",
                     "MPLCONFIGDIR")


@pytest.fixture(scope="session", autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The whole run lives in a home of its own: the person's config, cache, training log and
    settings are never read or written by a test (tests/test_hermetic.py proves it)."""
    root = tmp_path_factory.mktemp("private-home")
    patch = pytest.MonkeyPatch()
    places = {"HOME": root, "XDG_CONFIG_HOME": root / ".config", "XDG_CACHE_HOME": root / ".cache",
              "XDG_DATA_HOME": root / ".local/share", "XDG_STATE_HOME": root / ".local/state",
              "VOICECOACH_CONFIG_DIR": root / "voicecoach-config", "VOICECOACH_CACHE_DIR": root / "voicecoach-cache",
              "VOICECOACH_DATA_DIR": root / "voicecoach-data", "VOICECOACH_STATE_DIR": root / "voicecoach-state",
              "MPLCONFIGDIR": root / ".matplotlib"}
    assert set(places) == set(PRIVATE_VARIABLES)
    for name, place in places.items():
        patch.setenv(name, str(place))
    for name in ("VOICECOACH_DB", "DBUS_SESSION_BUS_ADDRESS"):
        patch.delenv(name, raising=False)
    yield root
    patch.undo()


@pytest.fixture
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Private config, cache and data directories for one test."""
    for name in ("CONFIG", "CACHE", "DATA"):
        d = tmp_path / name.lower()
        monkeypatch.setenv(f"VOICECOACH_{name}_DIR", str(d))
    return tmp_path


def write_config(dirs: Path, text: str) -> Path:
    """The user's config file, holding `text`, in the private config directory of `isolated_dirs`."""
    cfg = dirs / "config" / "config.yaml"
    cfg.parent.mkdir(exist_ok=True)
    cfg.write_text(text)
    return cfg


# ---------------------------------------------------------------- the real sound stack

DATA = Path(__file__).resolve().parent / "data"


def voicecoach_command() -> list[str]:
    """The installed `voicecoach` console script beside this Python (so the installed package is tested)."""
    script = Path(sys.executable).parent / "voicecoach"
    return [str(script)] if script.exists() else [sys.executable, "-m", "voicecoach"]


@pytest.fixture(scope="session")
def sound_server() -> Iterator[SoundServer]:
    """A private PulseAudio with a null sink, started here and stopped after the session (never skipped)."""
    with private_sound_server() as server:
        yield server


@pytest.fixture(scope="session")
def audio_env(sound_server: SoundServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for a `voicecoach` process: the private server, private config/cache/data dirs."""
    root = tmp_path_factory.mktemp("vc-dirs")
    env = dict(sound_server.env)
    env.update(VOICECOACH_CONFIG_DIR=str(root / "config"), VOICECOACH_CACHE_DIR=str(root / "cache"),
               VOICECOACH_DATA_DIR=str(root / "data"), VOICECOACH_STATE_DIR=str(root / "state"))
    return env


def run_voicecoach(args: list[str], env: dict[str, str], timeout_s: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*voicecoach_command(), *args], env=env, capture_output=True, text=True,
                          timeout=timeout_s, stdin=subprocess.DEVNULL)
