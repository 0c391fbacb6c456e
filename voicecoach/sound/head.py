"""The head start: a session's first words, sounding before the rest of voicecoach has loaded.

A warm `voicecoach play` spends most of its start importing (numpy, click, the planner) before
anything can be mixed. The first phrase of a session ("Welcome to Legs and back.") is the same
each time the same command runs, so each `play` keeps its first phrase as the mix rendered it
(stereo samples, with the session's gain: the exact first frames of the one output stream), under
a key made of everything that decides it: the command line, the working folder, voicecoach's
environment variables, and the files the command reads (the routine, the config file) and the
code that words and mixes it, by size and modification time. The next run of the same command
opens the output on the entry point's PortAudio thread, with the standard library alone, and
plays those frames at once; the player then takes the same stream over at the frame reached and
the mix goes on from there: one stream, one clock. The player checks that the mix agrees with
what was played; a head that does not is dropped and never used again.

Only a plain `play` on the default output has a head; `resume`, `--device` and a config file's
device start as before.

The early stream is opened through PortAudio's C API with sounddevice's own cffi declarations
(`_sounddevice`), not through the `sounddevice` module, whose import costs some 20 ms of Python
(platform, sysconfig, ctypes.util) before the first sound; it behaves as a
`sounddevice.RawOutputStream` for the player (`latency`, `stop`, `abort`, `close`).

Imports: the standard library only, and little of it (os, sys, struct, zlib, threading: each
millisecond here is one before the first sound); _sounddevice (cffi) on the entry point's thread.
"""

from __future__ import annotations

import os
import struct
import sys
import threading
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# the output's shape: the player opens the same stream, so that it can take this one over
RATE_HZ = 48_000
CHANNELS = 2
BLOCK_FRAMES = 4096       # 85 ms: low CPU (AUDIO.md: 0.2 s latency, 4800 frames: ~0.3% of a core idle)
LATENCY_S = 0.2           # pause and skip are heard within about a quarter of a second
FRAME_BYTES = 4 * CHANNELS

HEAD_DIR = "start"
_MAGIC = b"VCHEAD1\n"
_HEADER = struct.Struct("<8sIQ")   # magic, length of the key, frames
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the code a session's first frames come from: an upgrade or an edit makes every head stale
_CODE = ("plan/timeline.py", "plan/wording.py", "sound/mixer.py", "sound/speech.py", "sound/head.py",
         "sound/cache.py", "routine/reader.py", "routine/model.py")


def _cache_dir(env: dict[str, str]) -> str:
    """voicecoach's cache directory, as `voicecoach.places.cache_dir` finds it (kept apart: no pathlib)."""
    chosen = env.get("VOICECOACH_CACHE_DIR")
    if chosen:
        return chosen
    base = env.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "voicecoach")


def _stat(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_mtime_ns}:{st.st_size}"


def key_of(argv: list[str], cwd: str, env: dict[str, str]) -> str:
    """Everything a `play` command's first frames depend on, as text. Pure but for the file sizes
    and times it reads: the words of the command, the folder it runs in, voicecoach's and the
    XDG variables, every word that names a file, the config file, the bundled routines and the code."""
    words = [w if before == "--db" or not os.path.exists(os.path.join(cwd, w))
             else f"{w}={_stat(os.path.join(cwd, w))}"
             for before, w in zip(["", *argv], argv)]   # the log changes with every session, the head not
    names = sorted(k for k in env if k.startswith(("VOICECOACH_", "XDG_")) or k == "HOME")
    config = env.get("VOICECOACH_CONFIG_DIR") or os.path.join(
        env.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config"), "voicecoach")
    bundled = os.path.join(_PACKAGE, "routines")
    try:
        routines = sorted(f for f in os.listdir(bundled) if f.endswith(".yaml"))
    except OSError:
        routines = []
    return "\n".join([
        "argv " + "\x00".join(words), "cwd " + cwd, *(f"env {k}={env[k]}" for k in names),
        "config " + _stat(os.path.join(config, "config.yaml")),
        *(f"bundled {f} {_stat(os.path.join(bundled, f))}" for f in routines),
        *(f"code {c} {_stat(os.path.join(_PACKAGE, c))}" for c in _CODE)])


def path_of(key: str, env: dict[str, str]) -> str:
    """Where the head of the command `key` is kept: named by two checksums of the key."""
    raw = key.encode()
    return os.path.join(_cache_dir(env), HEAD_DIR, f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.head")


def read(key: str, env: dict[str, str]) -> bytes | None:
    """The kept first frames of the command `key` (float32 stereo, interleaved), or None: absent,
    damaged, or kept for another command whose key has the same checksums."""
    try:
        with open(path_of(key, env), "rb") as f:
            raw = f.read()
    except OSError:
        return None
    if len(raw) < _HEADER.size:
        return None
    magic, key_len, frames = _HEADER.unpack_from(raw)
    start = _HEADER.size + key_len
    if magic != _MAGIC or raw[_HEADER.size:start] != key.encode() or len(raw) - start != frames * FRAME_BYTES:
        return None
    return raw[start:]


def write(key: str, env: dict[str, str], frames: bytes) -> None:
    """Keep `frames` (float32 stereo, interleaved) as the head of the command `key`, atomically.
    A cache that cannot be written only costs time."""
    from pathlib import Path

    from voicecoach.fileio import write_atomic
    raw = key.encode()
    try:
        write_atomic(Path(path_of(key, env)), _HEADER.pack(_MAGIC, len(raw), len(frames) // FRAME_BYTES) + raw + frames,
                     make_dirs=True, sync=False)
    except OSError:
        pass


def forget(key: str, env: dict[str, str]) -> None:
    """Drop the head of the command `key` (it did not agree with the mix)."""
    try:
        os.unlink(path_of(key, env))
    except OSError:
        pass


PORTAUDIO = "libportaudio.so.2"   # PortAudio v19's soname on Linux (sounddevice finds the same by name)
_OUTPUT_UNDERFLOW = 0x4           # paOutputUnderflow


class _Flags:
    """A PortAudio callback's status flags, as `sounddevice.CallbackFlags` reads them."""

    __slots__ = ("_flags",)

    def __init__(self, flags: int) -> None:
        self._flags = flags

    @property
    def output_underflow(self) -> bool:
        return bool(self._flags & _OUTPUT_UNDERFLOW)


class RawStream:
    """The default output, float32 stereo, opened and started through PortAudio's C API: what
    `sounddevice.RawOutputStream(..., callback=...)` does with the same settings, less the import
    of `sounddevice`. Its PortAudio initialisation is given back on `close`."""

    def __init__(self, callback: Callable[[Any, int, Any, Any], None], finished: Callable[[], None]) -> None:
        """Raises: OSError (no PortAudio, no output), ImportError (no sounddevice)."""
        from _sounddevice import ffi
        lib = ffi.dlopen(PORTAUDIO)
        if lib.Pa_Initialize() != lib.paNoError:
            raise OSError("PortAudio did not initialise")
        self._ffi, self._lib = ffi, lib
        self._ptr: Any = None

        def block(iptr: Any, optr: Any, frames: int, time_info: Any, status: int, userdata: Any) -> int:
            callback(ffi.buffer(optr, frames * FRAME_BYTES), frames, time_info, _Flags(status))
            return int(lib.paContinue)

        def ended(userdata: Any) -> None:
            finished()
        on_block = ffi.callback("PaStreamCallback", block, error=lib.paAbort)
        on_finished = ffi.callback("PaStreamFinishedCallback", ended)
        self._callbacks = (on_block, on_finished)   # kept alive as long as the stream
        try:
            device = lib.Pa_GetDefaultOutputDevice()
            if device < 0:
                raise OSError("no default output device")
            params = ffi.new("PaStreamParameters*", (device, CHANNELS, lib.paFloat32, LATENCY_S, ffi.NULL))
            ptr = ffi.new("PaStream**")
            if lib.Pa_OpenStream(ptr, ffi.NULL, params, RATE_HZ, BLOCK_FRAMES, lib.paNoFlag, on_block,
                                 ffi.NULL) != lib.paNoError:
                raise OSError("the output did not open")
            self._ptr = ptr[0]
            lib.Pa_SetStreamFinishedCallback(self._ptr, on_finished)
            self.latency = float(lib.Pa_GetStreamInfo(self._ptr).outputLatency)
            if lib.Pa_StartStream(self._ptr) != lib.paNoError:
                raise OSError("the output did not start")
        except BaseException:
            self.close()
            raise

    def stop(self) -> None:
        if self._ptr is not None:
            self._lib.Pa_StopStream(self._ptr)

    def abort(self) -> None:
        if self._ptr is not None:
            self._lib.Pa_AbortStream(self._ptr)

    def close(self) -> None:
        """Close the stream and give back this PortAudio initialisation (idempotent)."""
        lib, self._lib = getattr(self, "_lib", None), None
        if lib is None:
            return
        if self._ptr is not None:
            lib.Pa_CloseStream(self._ptr)
            self._ptr = None
        lib.Pa_Terminate()


class HeadStart:
    """The output stream opened early, playing a kept head, until the player takes it over.

    The callback copies the head's bytes and counts its frames; once the head is played it gives
    silence without counting (the clock waits for the player, as in a pause). `take_over` hands the
    stream to the player's own callback at the next block, with the frame reached."""

    def __init__(self, key: str, head: bytes) -> None:
        self.key = key
        self.head = memoryview(head)
        self.frames = len(head) // FRAME_BYTES
        self.pos = 0                    # frames of the head played: the session's clock until the take-over
        self.stream: Any = None
        self.error: BaseException | None = None
        self._zeros = bytes(BLOCK_FRAMES * 4 * FRAME_BYTES)
        self._taker: Callable[[Any, int, Any, Any], None] | None = None
        self._on_take: Callable[[int], None] | None = None
        self.taken = threading.Event()
        self.on_finished: Callable[[], None] = lambda: None   # the stream stopped (the player's, once adopted)

    def open(self) -> None:
        """Open and start the default output with the head in it (on the entry point's thread).

        Raises: OSError, ImportError: no PortAudio or no output (the player then opens its own)."""
        self.stream = RawStream(self._callback, lambda: self.on_finished())

    def _callback(self, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        taker = self._taker
        if taker is not None:
            if not self.taken.is_set():
                assert self._on_take is not None
                self._on_take(self.pos)
                self.taken.set()
            taker(outdata, frames, time_info, status)
            return
        n = min(frames, self.frames - self.pos)
        size = frames * FRAME_BYTES
        if n > 0:
            outdata[:n * FRAME_BYTES] = self.head[self.pos * FRAME_BYTES:(self.pos + n) * FRAME_BYTES]
            self.pos += n
        else:
            n = 0
        if n < frames:
            outdata[n * FRAME_BYTES:size] = self._zeros[:size - n * FRAME_BYTES]

    def take_over(self, callback: Callable[[Any, int, Any, Any], None], on_take: Callable[[int], None]) -> None:
        """From the next block on, `callback` fills the stream; `on_take(frame)` is called first, in
        the audio thread, with the frames of the head played."""
        self._on_take = on_take
        self._taker = callback

    def close(self) -> None:
        """Stop and close the stream (when the player never took it: a mistake, Ctrl-C)."""
        stream, self.stream = self.stream, None
        if stream is not None:
            try:
                stream.abort()
                stream.close()
            except Exception:  # noqa: BLE001 - given up either way
                pass


SWITCH_S = 0.001   # while starting, threads take turns with the GIL this often (Python's own: 5 ms)
_saved_switch_s: float | None = None


def hurry() -> None:
    """Until `settle`, let threads take the GIL from one another every millisecond: the early
    thread and the audio callback then wait less for the main thread's imports."""
    global _saved_switch_s
    if _saved_switch_s is None:
        _saved_switch_s = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_S)


def settle() -> None:
    """Back to Python's own switch interval (once the first sound plays, and on the way out)."""
    global _saved_switch_s
    if _saved_switch_s is not None:
        sys.setswitchinterval(_saved_switch_s)
        _saved_switch_s = None


started: HeadStart | None = None     # the head playing now, for the player to take over
this_command: str | None = None     # the key of the command the entry point runs (a head is kept for it)
_expected = False
_done = threading.Event()


def expect() -> None:
    """Say (on the main thread, before the early thread starts) that `start` will run: `wait` then waits for it."""
    global _expected
    _expected = True


def find(argv: list[str], cwd: str, env: dict[str, str]) -> HeadStart | None:
    """On the main thread, first thing: this command's key, and its kept head if there is one
    (a few file looks, no import)."""
    global this_command
    key = key_of(argv, cwd, env)
    this_command = key
    head = read(key, env)
    return None if head is None else HeadStart(key, head)


def start(early: HeadStart | None) -> None:
    """On the entry point's PortAudio thread: with a head, open the output and play it; without,
    start PortAudio (its device scan runs in C, beside the main thread's imports). Any failure
    leaves things as they were: the player opens the output as usual, and says what is wrong."""
    global started
    try:
        if early is None:
            import sounddevice  # noqa: F401
            return
        try:
            early.open()
        except Exception:  # noqa: BLE001 - no output now: the player says so in its own words
            early.close()
            return
        started = early
    finally:
        _done.set()


def wait(timeout_s: float = 5.0) -> HeadStart | None:
    """The head playing for this command, once the early thread is done with it (None without one)."""
    if not _expected:
        return None
    _done.wait(timeout_s)
    return started


def keep(mix_frames: Callable[[int], bytes], first_phrase_frames: int) -> None:
    """Keep this command's first phrase for its next run: `mix_frames(n)` gives the mix's first `n`
    frames, float32 stereo interleaved. Only for a command the entry point started."""
    if this_command is not None and first_phrase_frames > 0:
        write(this_command, dict(os.environ), mix_frames(first_phrase_frames))
