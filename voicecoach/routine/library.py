"""Where things live: config, cache and data directories, bundled routines, the schema, user settings.

Imports: voicecoach.errors, voicecoach.routine.model; lazily yaml (a config file read afresh), voicecoach.fileio,
platformdirs (not on Linux).
"""

from __future__ import annotations

import os
import pickle
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple, TypeVar

from voicecoach.errors import Problem, RoutineError, UsageError
from voicecoach.routine.model import Routine
from voicecoach.routine.file import parse_routine, read_routine_text

T = TypeVar("T")

APP = "voicecoach"
DEFAULT_ROUTINE = "legs-and-back"


def _user_dir(kind: str) -> Path:
    """The user's config, cache or data directory for voicecoach.

    On Linux the XDG Base Directory rules, read here: platformdirs' Linux module imports
    tempfile, shutil, bz2 and lzma (~13 ms, and first sound counts). Elsewhere platformdirs."""
    if sys.platform.startswith("linux"):
        env, default = _XDG[kind]
        base = os.environ.get(env, "")
        if not os.path.isabs(base):  # unset, empty or relative: the spec says to ignore it
            base = os.path.join(os.path.expanduser("~"), default)
        return Path(base) / APP
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP))


_XDG = {"config": ("XDG_CONFIG_HOME", ".config"), "cache": ("XDG_CACHE_HOME", ".cache"),
        "data": ("XDG_DATA_HOME", ".local/share"), "state": ("XDG_STATE_HOME", ".local/state")}


def config_dir() -> Path:
    """The user's config directory ($VOICECOACH_CONFIG_DIR, else $XDG_CONFIG_HOME/voicecoach or
    ~/.config/voicecoach)."""
    return Path(os.environ.get("VOICECOACH_CONFIG_DIR") or _user_dir("config"))


def cache_dir() -> Path:
    """Synthesized speech lives here ($VOICECOACH_CACHE_DIR, else $XDG_CACHE_HOME/voicecoach or ~/.cache/voicecoach)."""
    return Path(os.environ.get("VOICECOACH_CACHE_DIR") or _user_dir("cache"))


def data_dir() -> Path:
    """The training history lives here ($VOICECOACH_DATA_DIR, else $XDG_DATA_HOME/voicecoach or
    ~/.local/share/voicecoach)."""
    return Path(os.environ.get("VOICECOACH_DATA_DIR") or _user_dir("data"))


def state_dir() -> Path:
    """What must survive a crash to be undone (the journal of lowered music) lives here
    ($VOICECOACH_STATE_DIR, else $XDG_STATE_HOME/voicecoach or ~/.local/state/voicecoach)."""
    return Path(os.environ.get("VOICECOACH_STATE_DIR") or _user_dir("state"))


PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled_dir() -> Path:
    """The bundled routines: inside the installed package, or `routines/` of a source checkout.
    (Plain paths, not importlib.resources: that import costs ~10 ms, and first sound counts.)"""
    packaged = PACKAGE_DIR / "routines"
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / "routines"  # editable install of a checkout


def bundled_routines() -> dict[str, Path]:
    """Bundled routine files by name (file name without .yaml), sorted."""
    found = {f.name[:-5]: f for f in _bundled_dir().iterdir() if f.name.endswith(".yaml")}
    return dict(sorted(found.items()))


def resolve_routine(spec: str | None) -> Routine:
    """Load a routine given as a path, or as the name of a bundled one; None means the default.

    Raises:
        RoutineError: no such file or bundled routine, or the routine is not valid.
    """
    name = spec or DEFAULT_ROUTINE
    path = Path(name).expanduser()
    exists = path.exists()
    bundled = {} if exists else bundled_routines()
    if name in bundled:
        return parse_remembered(bundled[name].read_text(encoding="utf-8"), f"<bundled>/{name}.yaml")
    if exists or "/" in name or name.endswith((".yaml", ".yml")):
        return parse_remembered(read_routine_text(path, str(path)), str(path))
    raise RoutineError([Problem(name, 0, 0, f"no such file or bundled routine; bundled: {', '.join(bundled)}")])


def parse_remembered(text: str, where: str) -> Routine:
    """`parse_routine(text, where)`, or what it gave the last time it read this text."""
    return _remembered("routine", text, lambda: parse_routine(text, where))._replace(source=where)


PARSED_DIR = "parsed"
_READERS = ("routine/model.py", "routine/file.py", "routine/reader.py", "routine/quantity.py", "routine/size.py",
            "config.py")


def _readers_stamp() -> list[tuple[int, int]]:
    """Changes when the code that reads files changes (an upgrade, an edit): what was parsed
    by other code is then read afresh."""
    return [(st.st_mtime_ns, st.st_size) for st in (os.stat(PACKAGE_DIR / f) for f in _READERS)]


def _remembered(kind: str, text: str, parse: Callable[[], T]) -> T:
    """`parse()` of `text`, or what it gave the last time for the same text.

    A routine or config file unchanged since it was last read is not parsed again: PyYAML
    alone costs ~15 ms to import, and first sound counts. Kept in the cache directory,
    pickled beside the exact text it came from and a stamp of the code that read it; an
    entry that is missing, damaged, stale or for another text is ignored and rewritten.
    A file that does not parse raises, and nothing is kept.
    """
    path = cache_dir() / PARSED_DIR / f"{kind}-{zlib.crc32(text.encode('utf-8')):08x}.pickle"
    stamp = _readers_stamp()
    try:
        with open(path, "rb") as f:
            kept_stamp, kept_text, value = pickle.load(f)
        if kept_stamp == stamp and kept_text == text:
            return value  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - any unreadable entry is simply parsed again
        pass
    value = parse()
    from voicecoach.fileio import write_atomic
    try:
        write_atomic(path, pickle.dumps((stamp, text, value), protocol=pickle.HIGHEST_PROTOCOL), make_dirs=True)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return value


def clear_parsed() -> int:
    """Forget every file remembered as parsed; return how many entries were removed."""
    removed = 0
    for f in (cache_dir() / PARSED_DIR).glob("*.pickle"):
        f.unlink(missing_ok=True)
        removed += 1
    return removed


SCHEMA_FILE = "routine-v1.schema.json"


def schema_path() -> Path:
    """The JSON Schema of the routine format as shipped, beside the bundled routines (which name
    it by a relative path, so that an editor finds it wherever the package is installed)."""
    return _bundled_dir() / SCHEMA_FILE


def schema_text() -> str:
    """The JSON Schema of the routine format, as shipped in the package."""
    return schema_path().read_text(encoding="utf-8")


def installed_schema_path() -> Path:
    """Where `voicecoach schema --install` (and `new`) put the schema for editors: the data directory."""
    return data_dir() / "schema" / SCHEMA_FILE


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
    return _remembered("config", text, lambda: _parse_settings(text, path))


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
                    mic=str(values["mic"][0]) if "mic" in values else None)
