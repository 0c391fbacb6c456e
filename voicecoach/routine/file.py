"""Reading a routine file: its bytes to text (size, encoding, a BOM), then to a `Routine`
through `routine.reader`, which is imported only when text is really parsed (a warm start takes
the routine remembered as parsed instead: see `config.resolve_routine`).

Imports: voicecoach.errors, voicecoach.routine.model; voicecoach.routine.reader when text is parsed.
"""

from __future__ import annotations

from pathlib import Path

from voicecoach.errors import Problem, RoutineError
from voicecoach.routine.model import MAX_FILE_BYTES, Routine


def parse_routine(text: str, path: str = "<routine>") -> Routine:
    """Validate routine `text` (as read from `path`) into a `Routine` (see `routine.reader`).

    Raises:
        RoutineError: with every problem found, each with line and column.
    """
    from voicecoach.routine.reader import parse
    return parse(text, path)


def load_routine(path: Path, shown_as: str | None = None) -> Routine:
    """Read and validate the routine file at `path`; errors name it as `shown_as` (default: `path`).

    Raises:
        RoutineError: the file is missing, unreadable, not UTF-8 or not a valid routine.
    """
    where = shown_as or str(path)
    return parse_routine(read_routine_text(path, where), where)


def read_routine_text(path: Path, where: str) -> str:
    """The text of the routine file at `path` (errors name it `where`).

    Raises:
        RoutineError: the file is missing, unreadable, larger than 1 MiB or not UTF-8.
    """
    try:
        if path.is_dir():
            raise RoutineError([Problem(where, 0, 0, "is a directory, expected a routine file (.yaml)")])
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RoutineError([Problem(where, 0, 0, f"the file is {size} bytes; a routine is at most 1 MiB")])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RoutineError([Problem(where, 0, 0, "no such file (bundled routines: voicecoach routines)")]) from None
    except PermissionError:
        raise RoutineError([Problem(where, 0, 0, "permission denied")]) from None
    except OSError as exc:
        raise RoutineError([Problem(where, 0, 0, f"cannot read: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RoutineError([Problem(where, line, col, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                                                      "save it as UTF-8")]) from None
    return text.removeprefix("\ufeff")
