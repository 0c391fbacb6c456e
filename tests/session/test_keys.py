"""Keys from a real pseudo-terminal, and the terminal's modes restored afterwards."""

from __future__ import annotations

import os
import pty
import termios
import threading

import pytest

from voicecoach.session.controls import Controls
from voicecoach.session.keys import raw_keys
from voicecoach.session.machine import Key


def test_keys_and_arrows_are_read_and_the_modes_restored() -> None:
    master, slave = pty.openpty()
    try:
        before = termios.tcgetattr(slave)
        with raw_keys(slave) as keys:
            during = termios.tcgetattr(slave)
            assert not during[3] & termios.ECHO and not during[3] & termios.ICANON
            os.write(master, b" n\x1b[Cp\x1b[Dre+-dq?x12\r\x7fNfFR")
            got = [keys.read(1.0) for _ in range(21)]
        assert got == [Key.PAUSE, Key.NEXT, Key.NEXT, Key.BACK, Key.BACK, Key.REPEAT, Key.EXTEND, Key.LOUDER,
                       Key.QUIETER, Key.DONE, Key.QUIT, Key.HELP, None, "1", "2", "\n", "\b",
                       Key.NEXT_EXERCISE, Key.FAILED, Key.FAILED, Key.REPEAT]
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


def test_a_control_put_from_another_thread_wakes_a_wait_on_the_keyboard() -> None:
    master, slave = pty.openpty()
    controls: Controls[Key] = Controls()
    woke: list[Key | str | None] = []
    try:
        with raw_keys(slave) as keys:
            waiting = threading.Thread(target=lambda: woke.append(keys.read(600.0, wake_fd=controls.wake_fd)))
            waiting.start()
            controls.put(Key.PAUSE)
            waiting.join(timeout=30.0)
            assert not waiting.is_alive()   # not the 600 s timeout
            assert woke == [None]           # no key was pressed: the loop goes on to take the control
            assert controls.take() == Key.PAUSE
            os.write(master, b"n")
            assert keys.read(600.0, wake_fd=controls.wake_fd) == Key.NEXT   # the wake was used up
    finally:
        controls.close()
        os.close(master)
        os.close(slave)


def test_controls_come_in_order_and_a_put_after_close_is_harmless() -> None:
    controls: Controls[str] = Controls()
    assert controls.take() is None
    assert controls.wait(0.01) is None
    for word in ("pause", "next", "back"):
        controls.put(word)
    assert [controls.wait(600.0), controls.take(), controls.take(), controls.take()] == ["pause", "next", "back", None]
    for _ in range(100_000):   # far more than a pipe holds: a put never blocks
        controls.put("next")
    controls.close()
    controls.put("stop")   # a source still running as the session ends
    controls.close()
