"""PURE: sums the pre-rendered clips of a plan into blocks of frames, by frame index.

The player's audio callback calls `Mix.render_into`; it only copies and adds prepared
samples: no IO, no synthesis, and no allocation that grows with the session.

Imports: numpy, voicecoach.plan.timeline, voicecoach.sound.tones.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from voicecoach.plan.timeline import EventKind, Timeline, Tone
from voicecoach.sound.tones import Samples, all_tones

_SILENT: Samples = np.zeros(0, dtype=np.float32)


class Mix:
    """The sound of one `Timeline`: every event's clip at its start frame, mono float32."""

    def __init__(self, timeline: Timeline, speech: Mapping[str, Samples],
                 tones: Mapping[Tone, Samples] | None = None, gain: float = 1.0) -> None:
        """A phrase with no clip in `speech` (not rendered yet) is silent in this mix."""
        tone_clips = all_tones(timeline.rate_hz) if tones is None else tones
        self.gain = gain
        self.missing = 0
        self.timeline = timeline
        self.total_frames = timeline.total_frames
        clips: list[Samples] = []
        starts: list[int] = []
        speaks: list[bool] = []
        for e in timeline.events:
            if e.kind is EventKind.SPEECH:
                clip = speech.get(e.text or "", _SILENT)
                self.missing += clip is _SILENT
            else:
                assert e.tone is not None
                clip = tone_clips[e.tone]
            # a clip never runs past its planned length: that is what keeps phrases apart
            clips.append(clip[: e.duration_frames])
            starts.append(e.start_frame)
            speaks.append(e.kind is EventKind.SPEECH)
        self._clips = clips
        self._speaks = speaks
        self._starts = np.asarray(starts, dtype=np.int64)
        self._longest = max((len(c) for c in clips), default=0)

    def render_into(self, out: Samples, start_frame: int) -> bool:
        """Write frames [start_frame, start_frame + len(out)) of the mix into `out` (mono);
        True when a phrase sounds in them (the listener must not take the coach for the user)."""
        out.fill(0.0)
        speaks = False
        end_frame = start_frame + len(out)
        lo = int(np.searchsorted(self._starts, start_frame - self._longest))
        hi = int(np.searchsorted(self._starts, end_frame))   # both sides "left": a clip from end_frame is not in
        for i in range(lo, hi):
            s = int(self._starts[i])
            clip = self._clips[i]
            a = max(start_frame, s)
            b = min(end_frame, s + len(clip))
            if a < b:
                out[a - start_frame:b - start_frame] += clip[a - s:b - s]
                speaks = speaks or self._speaks[i]
        if self.gain != 1.0:
            out *= self.gain
        np.clip(out, -1.0, 1.0, out=out)
        return speaks

    def render(self, start_frame: int = 0, frames: int | None = None) -> Samples:
        """Frames of the mix as a new array (for files and tests)."""
        n = self.total_frames - start_frame if frames is None else frames
        out = np.zeros(max(0, n), dtype=np.float32)
        self.render_into(out, start_frame)
        return out

    def iter_chunks(self, chunk_frames: int = 1 << 16) -> Iterator[Samples]:
        """The whole mix, chunk by chunk; each chunk is valid until the next one is asked for."""
        buf = np.zeros(chunk_frames, dtype=np.float32)
        for at in range(0, self.total_frames, chunk_frames):
            view = buf[: min(chunk_frames, self.total_frames - at)]
            self.render_into(view, at)
            yield view
