"""The routines a user can name: the bundled ones and files, read through a cache of what was
parsed before (a warm start skips YAML), and the routine format's JSON Schema as shipped.

Imports: voicecoach.routine (file, model), voicecoach.places, voicecoach.errors; lazily voicecoach.fileio.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from voicecoach.errors import Problem, RoutineError
from voicecoach.places import cache_dir, data_dir
from voicecoach.routine.file import parse_routine, read_routine_text
from voicecoach.routine.model import Routine

T = TypeVar("T")

DEFAULT_ROUTINE = "legs-and-back"


PACKAGE_DIR = Path(__file__).resolve().parent.parent


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
    return remembered("routine", text, lambda: parse_routine(text, where))._replace(source=where)


PARSED_DIR = "parsed"
_READERS = ("routine/model.py", "routine/file.py", "routine/reader.py", "routine/quantity.py", "routine/size.py",
            "app/settings.py", "routine/library.py")


def _readers_stamp() -> list[tuple[int, int]]:
    """Changes when the code that reads files changes (an upgrade, an edit): what was parsed
    by other code is then read afresh."""
    return [(st.st_mtime_ns, st.st_size) for st in (os.stat(PACKAGE_DIR / f) for f in _READERS)]


def remembered(kind: str, text: str, parse: Callable[[], T]) -> T:
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
