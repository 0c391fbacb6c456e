"""An independent listener: pocketsphinx (offline, its English model in the wheel) transcribes
phrases cut from a rendered session at the plan's times, and word accuracy is scored against
what the plan says. Used by tests/test_listener.py and scripts/bench_sound --listen."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import soundfile

LISTEN_HZ = 16_000
_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "  # noqa: SIM905
         "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()  # noqa: SIM905


def number_words(n: int) -> list[str]:
    """0..9999 as spoken words: 90 -> ["ninety"], 135 -> ["one", "hundred", "thirty", "five"]."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + (number_words(n % 10) if n % 10 else [])
    if n < 1000:
        return [_ONES[n // 100], "hundred"] + (number_words(n % 100) if n % 100 else [])
    return number_words(n // 1000) + ["thousand"] + (number_words(n % 1000) if n % 1000 else [])


def words(text: str) -> list[str]:
    """A phrase as the words a listener hears: lower case, numbers spelt out, no punctuation."""
    out: list[str] = []
    for token in re.findall(r"\d+(?:\.\d+)?|[a-z']+", text.lower().replace("-", " ")):
        if token[0].isdigit():
            whole, _, frac = token.partition(".")
            out += number_words(int(whole)) + (["point", *(_ONES[int(d)] for d in frac)] if frac else [])
        else:
            out.append(token.strip("'"))
    return [w for w in out if w]


def word_errors(ref: list[str], hyp: list[str]) -> int:
    """Substitutions, deletions and insertions that turn `ref` into `hyp` (Levenshtein on words)."""
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


class Listener:
    """pocketsphinx with its bundled US English acoustic model and language model."""

    def __init__(self) -> None:
        from pocketsphinx import Decoder
        self._decoder = Decoder(samprate=LISTEN_HZ, loglevel="FATAL")

    def transcribe(self, clip: np.ndarray, rate_hz: int) -> str:
        import soxr
        x = soxr.resample(np.asarray(clip, dtype=np.float32), rate_hz, LISTEN_HZ)
        peak = float(np.max(np.abs(x), initial=0.0))
        pcm = (x * (0.5 / peak if peak else 1.0) * 32767).astype("<i2").tobytes()  # as a microphone's level
        d = self._decoder
        d.start_utt()
        d.process_raw(pcm, full_utt=True)
        d.end_utt()
        hyp = d.hyp()
        return hyp.hypstr if hyp else ""


class Heard(NamedTuple):
    text: str
    heard: str
    errors: int
    words: int


def phrases_of_render(plan: dict[str, Any], wav: Path, pad_s: float = 0.1) -> Iterator[tuple[str, np.ndarray]]:
    """Each distinct phrase of a plan once, cut from the rendered file where the plan places it."""
    seen: set[str] = set()
    rate = plan["sample_rate"]
    pad = round(pad_s * rate)
    with soundfile.SoundFile(wav) as f:
        for e in plan["events"]:
            if e["kind"] != "speech" or e["text"] in seen:
                continue
            seen.add(e["text"])
            f.seek(max(0, e["frame"] - pad))
            yield e["text"], f.read(e["frames"] + 2 * pad, dtype="float32")


def listen_to_render(plan: dict[str, Any], wav: Path, listener: Listener | None = None,
                     every: int = 1) -> list[Heard]:
    """What the listener makes of each distinct phrase (or of every `every`-th one, to save time)."""
    listener = listener or Listener()
    out = []
    for i, (text, clip) in enumerate(phrases_of_render(plan, wav)):
        if i % every:
            continue
        ref, hyp = words(text), words(listener.transcribe(clip, plan["sample_rate"]))
        out.append(Heard(text, " ".join(hyp), word_errors(ref, hyp), len(ref)))
    return out


def word_accuracy(heard: list[Heard]) -> float:
    """1 - word error rate, over every phrase (can be below 0 when the listener hears words that were not said)."""
    return 1.0 - sum(h.errors for h in heard) / max(1, sum(h.words for h in heard))


def render_and_plan(command: list[str], routine: str, engine: str, out: Path,
                    env: dict[str, str]) -> tuple[dict[str, Any], Path, float]:
    """`voicecoach render` and `plan --json` of a routine with an engine; the render's seconds."""
    import time
    t0 = time.monotonic()
    r = subprocess.run([*command, "render", routine, "--engine", engine, "-o", str(out)], env=env,
                       capture_output=True, text=True, timeout=900)
    seconds = time.monotonic() - t0
    if r.returncode:
        raise RuntimeError(r.stderr)
    p = subprocess.run([*command, "plan", routine, "--engine", engine, "--json"], env=env, capture_output=True,
                       text=True, timeout=900)
    if p.returncode:
        raise RuntimeError(p.stderr)
    return json.loads(p.stdout), out, seconds
