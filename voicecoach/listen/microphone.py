"""The microphone: an input stream whose speech becomes spoken commands, in a thread of its own.

PortAudio's callback only stamps and queues each block; a worker thread runs the recognizer
(voicecoach.listen.recognizer) and hands what it heard to the session as `Spoken` keys, the same way
media keys arrive. Blocks captured while the coach could be heard (`gate`) are not decoded.

Imports: voicecoach.listen.recognizer, voicecoach.listen.commands, voicecoach.sound.player, voicecoach.errors.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from voicecoach.errors import AudioError
from voicecoach.sound.player import _sounddevice, close_stream, list_devices
from voicecoach.listen.commands import number_in
from voicecoach.listen.recognizer import RATE_HZ, CommandRecognizer, Heard
from voicecoach.session.controls import Spoken

BLOCK_S = 0.1
ECHO_S = 0.5            # after the coach's last sample leaves, its echo may still reach the microphone
LOST_AFTER_S = 2.0      # no block for this long: the device is gone


def resolve_input(spec: str | None) -> int | None:
    """An input device by number or by a part of its name (None: the default input).

    Raises:
        AudioError: no input device at all, or none that matches.
    """
    inputs = list_devices(inputs=True)
    if not inputs:
        raise AudioError("voicecoach: error: no microphone (no sound input device)")
    if not spec:
        return None if any(d.is_default for d in inputs) else inputs[0].number
    matches = [d.number for d in inputs
               if (str(d.number) == spec if spec.isdigit() else spec.lower() in d.name.lower())]
    if not matches:
        raise AudioError(f"voicecoach: error: no microphone {spec!r}; list them with: voicecoach devices")
    return matches[0]


class Microphone:
    """Listens until `close`; calls `on_command` with each command heard, `on_heard` with every
    stretch of speech decoded, `on_lost` once if the device goes away."""

    def __init__(self, recognizer: CommandRecognizer, on_command: Callable[[Spoken], None], *,
                 device: int | None = None,
                 gate: Callable[[float], bool] = lambda at: False,
                 on_heard: Callable[[Heard], None] = lambda heard: None,
                 on_lost: Callable[[str], None] = lambda message: None) -> None:
        """`recognizer` is made by the caller before sound starts: loading its model holds the
        GIL for about 0.3 s, which would starve the audio callback."""
        self.on_command = on_command
        self.device = device
        self.gate = gate
        self.on_heard = on_heard
        self.on_lost = on_lost
        self.recognizer = recognizer
        self._blocks: queue.SimpleQueue[tuple[float, bytes] | None] = queue.SimpleQueue()
        self._stream: Any = None
        self._thread: threading.Thread | None = None
        self._closing = False
        self.overflows = 0
        self.cpu_s = 0.0         # thread CPU time spent recognizing
        self.heard_s = 0.0       # seconds of input taken in

    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        if status.input_overflow:
            self.overflows += 1
        # when the block's first sample was captured, on the session's clock
        self._blocks.put((time.monotonic() - frames / RATE_HZ - self._latency_s, bytes(indata)))

    def _on_finished(self) -> None:
        if not self._closing:
            self._blocks.put(None)

    def open(self) -> None:
        """Open the input and start listening.

        Raises:
            AudioError: the device cannot be opened.
        """
        sd = _sounddevice()
        try:
            self._stream = sd.RawInputStream(samplerate=RATE_HZ, blocksize=int(BLOCK_S * RATE_HZ), channels=1,
                                             dtype="int16", device=self.device, callback=self._callback,
                                             finished_callback=self._on_finished)
            self._latency_s = float(self._stream.latency)
            self._stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            self.close()
            raise AudioError(f"voicecoach: error: cannot open the microphone ({exc})") from None
        self._thread = threading.Thread(target=self._work, name="voicecoach-listen", daemon=True)
        self._thread.start()

    _latency_s = 0.0

    def _work(self) -> None:
        recognizer = self.recognizer
        while not self._closing:
            try:
                item = self._blocks.get(timeout=LOST_AFTER_S)
            except queue.Empty:
                item = None
            if self._closing:
                return
            if item is None:
                self.on_lost("The microphone went away: no longer listening")
                return
            at, pcm = item
            started = time.thread_time()
            for heard in recognizer.feed(pcm, gated=self.gate(at)):
                self.on_heard(heard)
                if heard.key is not None:
                    self.on_command(Spoken(heard.key, heard.words, number_in(heard.words)))
            self.cpu_s += time.thread_time() - started
            self.heard_s += len(pcm) / 2 / RATE_HZ

    def close(self) -> None:
        """Stop listening (idempotent)."""
        self._closing = True
        stream, self._stream = self._stream, None
        # aborted: stopping waits for the stream's thread, which a device that stopped delivering
        # (a suspended source) holds in its read for ever: the session would never end
        close_stream(stream, abort=True)
        self._blocks.put(None)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2.0)
