"""Raw key input from the terminal, and its guaranteed restoration.

`raw_keys()` puts the terminal in cbreak mode without echo (Ctrl-C still raises
KeyboardInterrupt) and restores the exact previous modes on every way out.
Imports: termios, tty, select, voicecoach.session.machine (the Key names).
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
import termios
import tty
from collections.abc import Iterator

from voicecoach.session.machine import Key

KEYMAP = {
    b" ": Key.PAUSE, b"n": Key.NEXT, b"\x1b[C": Key.NEXT, b"N": Key.NEXT_EXERCISE, b"p": Key.BACK, b"\x1b[D": Key.BACK,
    b"r": Key.REPEAT, b"e": Key.EXTEND, b"+": Key.LOUDER, b"=": Key.LOUDER, b"-": Key.QUIETER,
    b"d": Key.DONE, b"f": Key.FAILED, b"q": Key.QUIT, b"?": Key.HELP, b"h": Key.HELP, b"\x03": Key.INTERRUPT,
}


class KeyReader:
    """Reads keys from a terminal file descriptor in cbreak mode."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._pending = b""

    def read(self, timeout_s: float, wake_fd: int | None = None) -> Key | str | None:
        """The next key pressed within `timeout_s`, or None; digits, Enter and Backspace come as text
        ("0".."9", "\n", "\b") for typing in a number (the reps of an AMRAP set). None at once
        too when `wake_fd` becomes readable (another control is waiting)."""
        if not self._pending:
            watched = [self.fd] if wake_fd is None else [self.fd, wake_fd]
            ready, _, _ = select.select(watched, [], [], timeout_s)
            if self.fd not in ready:
                return None
            try:
                chunk = os.read(self.fd, 64)
            except OSError:
                return None
            if not chunk:
                return None
            self._pending += chunk
        for seq in (b"\x1b[C", b"\x1b[D"):
            if self._pending.startswith(seq):
                self._pending = self._pending[len(seq):]
                return KEYMAP[seq]
        if self._pending.startswith(b"\x1b"):
            # another escape sequence: drop it whole
            self._pending = b""
            return None
        one, self._pending = self._pending[:1], self._pending[1:]
        if one.isdigit():
            return one.decode()
        if one in (b"\r", b"\n"):
            return "\n"
        if one in (b"\x7f", b"\x08"):
            return "\b"
        return KEYMAP.get(one) or KEYMAP.get(one.lower())   # "N" is its own key; caps lock is not


@contextlib.contextmanager
def raw_keys(fd: int | None = None) -> Iterator[KeyReader]:
    """cbreak mode, no echo, on `fd` (default stdin); the previous modes come back on any exit."""
    fd = sys.stdin.fileno() if fd is None else fd
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        yield KeyReader(fd)
    finally:
        termios.tcsetattr(fd, termios.TCSAFLUSH, saved)
