"""The only sounddevice user for playing: one long-lived output stream whose frame counter is the
session's clock.

The callback copies `Mix.render_into` into the output and advances the counter; pausing
outputs silence without advancing it (the stream keeps running, so Bluetooth headphones
never cold-start and eat a syllable). Underruns are counted in the callback and reported
by the caller. The stream may be one the head start opened (`voicecoach.sound.head`): the
player then takes it over at the frame its kept first words reached, and the clock goes on.

Imports: numpy, sounddevice (lazily), voicecoach.errors, voicecoach.sound (mixer, head).
"""

from __future__ import annotations

import threading
import time
from typing import Any, NamedTuple

import numpy as np

from voicecoach.errors import AudioError, DeviceError
from voicecoach.sound.head import BLOCK_FRAMES, CHANNELS, LATENCY_S, RATE_HZ, HeadStart
from voicecoach.sound.mixer import Mix

FILL_WAIT_S = 0.25       # at most this long, `start` waits for the first buffer to be filled
NO_OUTPUT_HINT = ("choose an output with --device (see: voicecoach devices), "
                  "or write the session to a file with: voicecoach render")


def first_frames(mix: Mix, frames: int) -> bytes:
    """The mix's first `frames` frames as the stream plays them: float32, each sample on every channel."""
    return np.repeat(mix.render(0, frames), CHANNELS).tobytes()


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as exc:
        raise AudioError(f"voicecoach: error: PortAudio is missing ({exc}); "
                         "install the Debian package libportaudio2 (apt-get install libportaudio2)") from None
    return sounddevice


class Device(NamedTuple):
    """An output device as PortAudio sees it."""

    number: int               # PortAudio's device index, as --device takes it
    name: str
    host_api: str
    channels: int
    default_rate_hz: float
    is_default: bool


def list_devices(*, inputs: bool = False) -> list[Device]:
    """Every output device (with `inputs`: every input device, the microphones).

    Raises:
        AudioError: PortAudio is missing or cannot list devices.
    """
    sd = _sounddevice()
    channels = "max_input_channels" if inputs else "max_output_channels"
    try:
        devices = sd.query_devices()
        apis = sd.query_hostapis()
        default = sd.default.device[0 if inputs else 1]
    except sd.PortAudioError as exc:
        raise AudioError(f"voicecoach: error: cannot list sound devices ({exc})") from None
    return [Device(i, d["name"], apis[d["hostapi"]]["name"], d[channels], d["default_samplerate"], i == default)
            for i, d in enumerate(devices) if d[channels] > 0]


def resolve_device(spec: str | None) -> int | str | None:
    """A --device value (index or part of a name) as sounddevice wants it; None = the default output.

    Raises:
        AudioError: no such output device, or no output at all.
    """
    sd = _sounddevice()
    device: int | str | None = int(spec) if spec and spec.isdigit() else spec
    try:
        sd.query_devices(device, "output")
    except (ValueError, sd.PortAudioError):
        if device is None:  # PortAudio's own words ("Error querying device -1") say nothing to a user
            raise AudioError(f"voicecoach: error: no sound output device or sound server; {NO_OUTPUT_HINT}") from None
        raise DeviceError(f"voicecoach: error: no output device {spec!r}; {NO_OUTPUT_HINT}") from None
    return device


def close_stream(stream: Any, *, abort: bool = False) -> None:
    """Stop (or abort: drop what is buffered, and never wait for a device that stopped answering)
    and close a PortAudio stream, if any; a vanished device can fail to stop, and is let be."""
    if stream is not None:
        try:
            stream.abort() if abort else stream.stop()
            stream.close()
        except Exception:  # noqa: BLE001 - the stream is being given up either way
            pass


class Player:
    """Plays a `Mix` on one continuous stream; pause, resume, seek and swap without a second clock."""

    def __init__(self, device: int | str | None = None, rate_hz: int = RATE_HZ,
                 block_frames: int = BLOCK_FRAMES, latency_s: float = LATENCY_S) -> None:
        self.rate_hz = rate_hz
        self.device = device
        self.block_frames = block_frames
        self.latency_s = latency_s
        self.frame = 0                      # the clock: frames of the mix played so far
        self.output_latency_frames = 0     # how far the clock runs ahead of the ear (the stream's latency)
        self.paused = False
        self.spoke_at = float("-inf")      # time.monotonic() of the last block written with speech in it
        self.underruns = 0
        self.callbacks = 0
        self.finished = threading.Event()  # the mix played to its end
        self.broken = threading.Event()    # the stream stopped on its own (device gone)
        self._mix: Mix | None = None
        self._overlay: np.ndarray | None = None
        self._overlay_pos = 0
        self.overlay_done = threading.Event()
        self.overlay_done.set()
        self._buf = np.zeros(block_frames * 4, dtype=np.float32)
        self._stream: Any = None
        self._filled = threading.Event()  # the callback has filled the output buffer once since `start`
        self._fill_frames = max(block_frames, round(latency_s * rate_hz))
        self._callbacks_at_start = 0
        self._early: HeadStart | None = None   # the head start's stream, adopted
        self._closing = False
        self._seen_callbacks = -1
        self._seen_at = 0.0

    # --- the audio thread: copies prepared samples, nothing else
    def _raw_callback(self, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        """The stream's callback: its buffer seen as (frames, channels) float32, as numpy sees it."""
        self._callback(np.frombuffer(outdata, dtype=np.float32).reshape(frames, CHANNELS), frames, time_info, status)

    def _callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        self.callbacks += 1
        if not self._filled.is_set() and (self.callbacks - self._callbacks_at_start) * frames >= self._fill_frames:
            self._filled.set()  # once per start: Event.set takes a lock, is_set does not
        if status.output_underflow:
            self.underruns += 1
        mix = self._mix
        buf = self._buf[:frames] if frames <= len(self._buf) else np.zeros(frames, dtype=np.float32)
        spoke = False
        if mix is None or self.paused or self.finished.is_set():
            buf.fill(0.0)
        else:
            start = self.frame
            spoke = mix.render_into(buf, start)
            self.frame = start + frames
            if self.frame >= mix.total_frames:
                self.finished.set()
        over = self._overlay
        if over is not None:  # a phrase said over the top (pause, repeat): its own position, any clock state
            spoke = True
            pos = self._overlay_pos
            n = min(frames, len(over) - pos)
            if n > 0:
                buf[:n] += over[pos:pos + n] * (mix.gain if mix is not None else 1.0)
            self._overlay_pos = pos + frames
            if self._overlay_pos >= len(over):
                self._overlay = None
                self.overlay_done.set()
        if spoke:
            self.spoke_at = time.monotonic()
        outdata[:, 0] = buf
        if outdata.shape[1] > 1:
            outdata[:, 1] = buf

    def _on_finished(self) -> None:
        if not self._closing:
            self.broken.set()

    # --- the control thread
    def open(self, start: bool = True) -> None:
        """Open the stream, and start it unless `start` is False (then call `start`).

        Opening takes a while (the device is set up); starting fills the output buffer from
        the callback, so starting once the first mix is in place lets its first samples be
        the first ones heard, with no buffer of silence ahead of them.

        Raises:
            AudioError: the device cannot be opened.
        """
        sd = _sounddevice()
        try:
            self._stream = sd.RawOutputStream(samplerate=self.rate_hz, blocksize=self.block_frames,
                                              device=self.device, channels=CHANNELS, dtype="float32",
                                              latency=self.latency_s, callback=self._raw_callback,
                                              finished_callback=self._on_finished)
        except (sd.PortAudioError, ValueError) as exc:
            raise AudioError(f"voicecoach: error: cannot open the sound output ({exc}); {NO_OUTPUT_HINT}") from None
        self.output_latency_frames = round(float(self._stream.latency) * self.rate_hz)
        if start:
            self.start()

    def adopt(self, early: HeadStart) -> None:
        """Use the stream the head start opened and is playing (instead of `open`); `start` takes
        it over at the frame its head reached."""
        self._early = early
        self._stream = early.stream
        early.on_finished = self._on_finished
        self.output_latency_frames = round(float(early.stream.latency) * self.rate_hz)

    @property
    def adopted(self) -> HeadStart | None:
        """The head start's stream, when this player took it over."""
        return self._early

    def head_agrees(self, mix: Mix) -> bool:
        """Whether the adopted stream's head is exactly the first frames of `mix` (what the callback
        would have given): then the mix goes on from the frame the head reached, unheard as a seam."""
        early = self._early
        return early is None or early.head == first_frames(mix, early.frames)

    def start(self) -> None:
        """Start the opened stream (or take over the adopted one); from now on it runs until `close`.

        Raises:
            AudioError: the device refuses to start.
        """
        self._filled.clear()
        self._callbacks_at_start = self.callbacks
        if self._early is not None:
            def took(frame: int) -> None:   # in the audio thread, before the first block of the mix
                self.frame = frame
            self._early.take_over(self._raw_callback, took)
            self._filled.wait(FILL_WAIT_S)
            return
        sd = _sounddevice()   # not for an adopted stream: its ~20 ms of imports would hold the take-over
        try:
            self._stream.start()
        except sd.PortAudioError as exc:
            raise AudioError(f"voicecoach: error: cannot start the sound output ({exc}); {NO_OUTPUT_HINT}") from None
        # Stay out of the audio thread's way until the output buffer is full: the callback needs the
        # GIL, and a busy caller would hold it for up to a switch interval (5 ms) per block.
        self._filled.wait(FILL_WAIT_S)

    @property
    def heard_frame(self) -> int:
        """The frame of the mix being heard now: the clock less what is still in the output's buffers.
        Keys act on what the user hears (a key pressed on the go tone must not skip the set)."""
        if self.paused:  # the clock is still and what was ahead of the ear has been heard
            return self.frame
        return max(0, self.frame - self.output_latency_frames)

    def spoke_after(self, at: float, echo_s: float) -> bool:
        """Whether the coach could still be heard at `at` (time.monotonic()): a block with speech
        written at t sounds from t + the output's latency for a block, and echoes `echo_s` more."""
        heard_until = (self.spoke_at + self.output_latency_frames / self.rate_hz
                       + self.block_frames / self.rate_hz + echo_s)
        return heard_until >= at

    def play(self, mix: Mix, from_frame: int = 0) -> None:
        """Play `mix` from `from_frame` (the clock is set to it)."""
        self.finished.clear()
        self.frame = from_frame
        self._mix = mix

    def swap(self, mix: Mix) -> None:
        """Continue with `mix` at the current frame (a re-plan that agrees with the past)."""
        self._mix = mix

    def say_over(self, clip: np.ndarray) -> None:
        """Play `clip` over whatever plays (or the silence of a pause); `overlay_done` is set after it."""
        self.overlay_done.clear()
        self._overlay_pos = 0
        self._overlay = clip

    def seek(self, frame: int) -> None:
        self.finished.clear()
        self.frame = max(0, frame)

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def stalled(self, after_s: float = 2.0) -> bool:
        """True when the stream has not asked for audio for `after_s` seconds (a device that hung)."""
        now = time.monotonic()
        if self.callbacks != self._seen_callbacks or self._stream is None:
            self._seen_callbacks, self._seen_at = self.callbacks, now
            return False
        return now - self._seen_at > after_s

    @property
    def mix(self) -> Mix | None:
        return self._mix

    def reset_stream_state(self) -> None:
        """Forget a broken stream before opening a new one (the clock and the mix stay), and let
        PortAudio look at the devices again: the one that comes back may be a new device."""
        self._early = None
        self.broken.clear()
        self._closing = False
        self._seen_callbacks = -1
        sd = _sounddevice()
        try:
            sd._terminate()
            sd._initialize()
        except sd.PortAudioError:
            pass

    def close(self) -> None:
        """Stop the stream (idempotent)."""
        self._closing = True
        stream, self._stream = self._stream, None
        close_stream(stream)

    def __enter__(self) -> Player:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
