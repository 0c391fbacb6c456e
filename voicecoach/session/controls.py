"""The session's controls other than the keyboard (media keys over MPRIS, spoken commands).

Sources on their own threads `put` what the person asked for; the live loop takes them. A put
also wakes a loop waiting on the terminal (`wake_fd` is selected beside the keyboard), so a
command is acted on at once rather than at the loop's next look at the clock.

What a spoken command puts is a `Spoken`: the key it presses and the words heard.

Imports: voicecoach.session.machine (`Key`); os, queue, select, threading.
"""

from __future__ import annotations

import os
import queue
import select
import threading
from dataclasses import dataclass
from typing import Generic, TypeVar

from voicecoach.session.machine import Key

T = TypeVar("T")


class Controls(Generic[T]):
    """A thread-safe queue of intentions whose `put` wakes a `select` on `wake_fd`."""

    def __init__(self) -> None:
        self._items: queue.SimpleQueue[T] = queue.SimpleQueue()
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)
        self._lock = threading.Lock()   # a put never writes to a descriptor closed (and reused)
        self._closed = False

    @property
    def wake_fd(self) -> int:
        """Readable while something waits to be taken."""
        return self._read

    def put(self, item: T) -> None:
        """Called from any thread."""
        self._items.put(item)
        with self._lock:
            if self._closed:
                return
            try:
                os.write(self._write, b"!")
            except BlockingIOError:
                pass   # the pipe is full: the loop is woken already

    def take(self) -> T | None:
        """The next waiting item, or None."""
        self._drain()   # before the queue: a put after this leaves its byte to wake the next wait
        try:
            return self._items.get_nowait()
        except queue.Empty:
            return None

    def wait(self, timeout_s: float) -> T | None:
        """The next item within `timeout_s`, or None."""
        item = self.take()
        if item is None:
            select.select([self._read], [], [], timeout_s)
            item = self.take()
        return item

    def _drain(self) -> None:
        try:
            while os.read(self._read, 512):
                pass
        except BlockingIOError:
            pass

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                os.close(self._read)
                os.close(self._write)


@dataclass(frozen=True, slots=True)
class Spoken:
    """A command heard: the key it presses and the words (for the screen and the log)."""

    key: Key
    words: str
    number: int | None = None   # "coach, twelve": the reps of the last AMRAP set (Key.REPS)
