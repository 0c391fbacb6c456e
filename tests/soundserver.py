"""A private PulseAudio server with a null sink, started by the tests themselves, and a recorder of its monitor.

See shared/AUDIO.md: as root with no D-Bus, a private runtime dir, auth-anonymous native socket,
a 48 kHz stereo null sink; a low-latency reader on the monitor keeps the idle sink from
running in 2-second blocks, so recordings start within milliseconds.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SINK = "vc_sink"
RATE_HZ = 48_000


def _stop(proc: subprocess.Popen[bytes], timeout_s: float = 5.0) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class SoundServer:
    """A running private PulseAudio; `env` points clients (PortAudio via ALSA, pactl, parec) at it."""

    root: Path
    env: dict[str, str]
    proc: subprocess.Popen[bytes]
    keeper: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=Path)

    def restart(self) -> None:
        """Start the server again at the same socket (after it was killed): an output coming back."""
        if self.keeper is not None:
            _stop(self.keeper)
        new = _launch(self.root, self.env)
        self.proc, self.keeper = new.proc, new.keeper

    def pactl(self, *args: str) -> str:
        return subprocess.run(["pactl", *args], env=self.env, check=True, capture_output=True, text=True,
                              timeout=10).stdout

    @contextmanager
    def recording(self) -> Iterator[Recording]:
        """Record the sink's monitor (48 kHz, stereo, float32) until the block exits."""
        out = Path(tempfile.mkstemp(prefix="vc-rec-", suffix=".raw", dir=self.root)[1])
        with open(out, "wb") as f:
            proc = subprocess.Popen(["parec", "-d", f"{SINK}.monitor", "--format=float32le", f"--rate={RATE_HZ}",
                                     "--channels=2", "--latency-msec=10", "--raw"],
                                    stdout=f, stderr=subprocess.DEVNULL, env=self.env)
        rec = Recording(out, time.monotonic())
        try:
            # wait until samples flow, so that nothing played after this point is missed
            deadline = time.monotonic() + 5
            while out.stat().st_size == 0 and time.monotonic() < deadline:
                time.sleep(0.005)
            rec.started = time.monotonic() - (out.stat().st_size / 8) / RATE_HZ
            yield rec
        finally:
            time.sleep(0.3)  # let the last blocks through
            _stop(proc)
            rec.load()
            out.unlink(missing_ok=True)


@dataclass
class Recording:
    """What came out of the sink: `samples` is mono (left channel) float32 at 48 kHz once loaded."""

    path: Path
    started: float
    samples: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    stereo: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.float32))

    def load(self) -> None:
        raw = np.fromfile(self.path, dtype="<f4")
        raw = raw[: len(raw) // 2 * 2]
        self.stereo = raw.reshape(-1, 2)
        self.samples = self.stereo[:, 0].copy()


def start_server() -> SoundServer:
    """Start a private PulseAudio with the null sink `vc_sink` as default; ~0.1 s.

    Raises:
        RuntimeError: pulseaudio or its tools are missing or the server does not answer.
    """
    for tool in ("pulseaudio", "pactl", "parec"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is missing: install the Debian packages pulseaudio pulseaudio-utils")
    root = Path(tempfile.mkdtemp(prefix="vc-pulse-"))
    runtime, home = root / "runtime", root / "home"
    runtime.mkdir(mode=0o700)
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(runtime), PULSE_RUNTIME_PATH=str(runtime),
               PULSE_STATE_PATH=str(root / "state"), PULSE_COOKIE=str(root / "cookie"),
               PULSE_SERVER=f"unix:{runtime}/native", XDG_CONFIG_HOME=str(home / ".config"))
    return _launch(root, env)


def _launch(root: Path, env: dict[str, str]) -> SoundServer:
    runtime = root / "runtime"
    (runtime / "native").unlink(missing_ok=True)
    log = root / "pulse.log"
    with open(log, "ab") as log_file:
        proc = subprocess.Popen(
            ["pulseaudio", "--daemonize=no", "-n", "--exit-idle-time=-1", "--disallow-exit", "--use-pid-file=no",
             "--log-target=stderr", "-L", f"module-native-protocol-unix auth-anonymous=1 socket={runtime}/native",
             "-L", f"module-null-sink sink_name={SINK} rate={RATE_HZ} channels=2", "-L", "module-always-sink"],
            env=env, stdout=subprocess.DEVNULL, stderr=log_file)
    server = SoundServer(root, env, proc, log=log)
    deadline = time.monotonic() + 10
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"pulseaudio exited: {log.read_text(errors='replace')[-2000:]}")
        if subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0:
            break
        if time.monotonic() > deadline:
            stop_server(server)
            raise RuntimeError("pulseaudio did not answer within 10 s")
        time.sleep(0.02)
    server.pactl("set-default-sink", SINK)
    server.pactl("set-default-source", f"{SINK}.monitor")
    # keep a low-latency reader on the monitor, then re-open the sink so the small latency takes effect
    server.keeper = subprocess.Popen(["parec", "-d", f"{SINK}.monitor", "--latency-msec=20", "--raw"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.1)
    server.pactl("suspend-sink", SINK, "1")
    server.pactl("suspend-sink", SINK, "0")
    return server


def stop_server(server: SoundServer) -> None:
    """Stop the reader and the server, and remove their files."""
    if server.keeper is not None:
        _stop(server.keeper)
    _stop(server.proc)
    shutil.rmtree(server.root, ignore_errors=True)


@contextmanager
def sound_server() -> Iterator[SoundServer]:
    server = start_server()
    try:
        yield server
    finally:
        stop_server(server)


# ---------------------------------------------------------------- analysis

def find_onsets(recording: np.ndarray, template: np.ndarray, threshold: float = 0.6,
                min_gap_frames: int = 2400) -> list[int]:
    """Frames where `template` starts in `recording` (normalised cross-correlation peaks above `threshold`)."""
    from numpy.lib.stride_tricks import sliding_window_view
    n = len(template)
    if len(recording) < n:
        return []
    t = template.astype(np.float64)
    t = t / np.linalg.norm(t)
    # correlation through FFT, then normalise by the local energy of the recording
    size = 1 << int(np.ceil(np.log2(len(recording) + n)))
    corr = np.fft.irfft(np.fft.rfft(recording.astype(np.float64), size) * np.conj(np.fft.rfft(t, size)), size)
    corr = corr[: len(recording) - n + 1]
    # the energy of each window of n frames, from a running sum (a convolution with n ones is O(len * n))
    power = np.concatenate([[0.0], np.cumsum(recording.astype(np.float64) ** 2)])
    energy = np.sqrt(np.maximum(power[n:] - power[:-n], 0.0))
    ncc = np.where(energy > 1e-6, corr / np.maximum(energy, 1e-12), 0.0)
    del sliding_window_view
    peaks: list[int] = []
    candidates = np.flatnonzero(ncc > threshold)
    i = 0
    while i < len(candidates):
        j = i
        while j + 1 < len(candidates) and candidates[j + 1] - candidates[i] < min_gap_frames:
            j += 1
        window = candidates[i:j + 1]
        peaks.append(int(window[np.argmax(ncc[window])]))
        i = j + 1
    return peaks


def rms_db(x: np.ndarray) -> float:
    """RMS level in dBFS (-inf for silence)."""
    if len(x) == 0:
        return float("-inf")
    r = float(np.sqrt(np.mean(x.astype(np.float64) ** 2)))
    return 20 * np.log10(r) if r > 0 else float("-inf")


def find_onset_near(recording: np.ndarray, template: np.ndarray, expected: int,
                    radius: int) -> tuple[int, float]:
    """The frame within `radius` of `expected` where `template` best matches, and the match (0..1)."""
    a = max(0, expected - radius)
    b = min(len(recording), expected + radius + len(template))
    window = recording[a:b].astype(np.float64)
    n = len(template)
    if len(window) < n:
        return expected, 0.0
    t = template.astype(np.float64)
    corr = np.correlate(window, t, mode="valid")
    energy = np.sqrt(np.convolve(window ** 2, np.ones(n), "valid")) * np.linalg.norm(t)
    ncc = corr / np.maximum(energy, 1e-12)
    i = int(np.argmax(ncc))
    return a + i, float(ncc[i])
