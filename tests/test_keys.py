"""Keys from a real pseudo-terminal, and the terminal's modes restored afterwards."""

from __future__ import annotations

import os
import pty
import termios

import pytest

from voicecoach.keys import raw_keys
from voicecoach.session import Key


def test_keys_and_arrows_are_read_and_the_modes_restored() -> None:
    master, slave = pty.openpty()
    try:
        before = termios.tcgetattr(slave)
        with raw_keys(slave) as keys:
            during = termios.tcgetattr(slave)
            assert not during[3] & termios.ECHO and not during[3] & termios.ICANON
            os.write(master, b" n\x1b[Cp\x1b[Dre+-dq?x12\r\x7f")
            got = [keys.read(1.0) for _ in range(17)]
        assert got == [Key.PAUSE, Key.NEXT, Key.NEXT, Key.BACK, Key.BACK, Key.REPEAT, Key.EXTEND, Key.LOUDER,
                       Key.QUIETER, Key.DONE, Key.QUIT, Key.HELP, None, "1", "2", "\n", "\b"]
        assert termios.tcgetattr(slave) == before
    finally:
        os.close(master)
        os.close(slave)


def test_modes_are_restored_when_the_block_raises() -> None:
    master, slave = pty.openpty()
    try:
        before = termios.tcgetattr(slave)
        with pytest.raises(RuntimeError), raw_keys(slave):
            raise RuntimeError("boom")
        assert termios.tcgetattr(slave) == before
    finally:
        os.close(master)
        os.close(slave)
