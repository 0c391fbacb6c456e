"""The user's own defaults: the config file (config.yaml in the config directory), read with every
mistake located; options and routines override it.

Imports: voicecoach.places, voicecoach.routine (library, reader lazily), voicecoach.plan (the equipment),
voicecoach.errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from voicecoach.errors import RoutineError, UsageError
from voicecoach.places import config_dir
from voicecoach.plan.loads import Gear
from voicecoach.plan.plates import Equipment
from voicecoach.routine.library import remembered


class Settings(NamedTuple):
    """The user's own defaults from config.yaml; options and routines override them."""

    voice: str | None = None
    rate_wpm: int | None = None
    volume: float | None = None
    device: str | None = None
    inhibit: bool = True            # keep the computer awake while a session plays
    duck_db: float | None = None    # how far other streams are lowered while the coach speaks
    voice_from: str = "voicecoach"  # "config.yaml:LINE:COL" of `voice`, for the speech engine's messages
    engine: str | None = None       # "espeak" or "piper"
    listen: bool = False            # hear spoken commands ("coach, pause")
    mic: str | None = None          # the input device to listen on
    gear: Gear = Gear()             # the bar, plates and fixed weights owned, and the rounding to them


def config_path() -> Path:
    """The user's config file (config.yaml in the config directory)."""
    return config_dir() / "config.yaml"


def load_settings(path: Path | None = None) -> Settings:
    """Read the user's config file; a missing file means no settings.

    Raises:
        UsageError: the file cannot be read, or is not a mapping of known settings (every
            mistake, each with its line and column).
    """
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: error: cannot read the config file: {exc}") from None
    return remembered("config", text, lambda: _parse_settings(text, path))


def _parse_settings(text: str, path: Path) -> Settings:
    from voicecoach.routine.reader import parse_settings
    try:
        values = parse_settings(text, str(path))
    except RoutineError as exc:
        raise UsageError(str(exc)) from None
    voice = values.get("voice")
    return Settings(voice=voice[0] if voice else None,
                    rate_wpm=int(values["rate"][0]) if "rate" in values else None,
                    volume=float(values["volume"][0]) if "volume" in values else None,
                    device=str(values["device"][0]) if "device" in values else None,
                    inhibit=bool(values["inhibit"][0]) if "inhibit" in values else True,
                    duck_db=float(values["duck"][0]) if "duck" in values else None,
                    voice_from="{}:{}:{}".format(path, *voice[1]) if voice else "voicecoach",
                    engine=str(values["engine"][0]) if "engine" in values else None,
                    listen=bool(values["listen"][0]) if "listen" in values else False,
                    mic=str(values["mic"][0]) if "mic" in values else None,
                    gear=_gear(values))


def _gear(values: dict[str, Any]) -> Gear:
    """The equipment settings as `Gear` (what is not given keeps its default)."""
    gear = Gear()
    if "barbell" in values:
        gear = gear._replace(barbell=tuple(Equipment(u, bar, pairs) for u, bar, pairs in values["barbell"][0]))
    if "dumbbells" in values:
        gear = gear._replace(dumbbells=tuple(Equipment(u, fixed=w) for u, w in values["dumbbells"][0]))
    if "kettlebells" in values:
        gear = gear._replace(kettlebell=tuple(Equipment(u, fixed=w) for u, w in values["kettlebells"][0]))
    if "rounding" in values:
        gear = gear._replace(rounding=str(values["rounding"][0]))
    return gear
