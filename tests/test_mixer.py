"""The mixer: every clip at its exact frame, block by block, with no growing allocation."""

from __future__ import annotations

import tracemalloc

import numpy as np
from conftest import routine_from
from hypothesis import given, settings
from hypothesis import strategies as st

from voicecoach.mixer import Mix
from voicecoach.speech import FakeSynthesizer
from voicecoach.timeline import EventKind, Tone, build_timeline
from voicecoach.tones import TONE_PEAK, make_tone

ROUTINE = """
    name: Mix
    defaults: {get_ready: 0s, rest: 5s, tempo: 1-0-1-0}
    exercises:
      - {name: Squats, sets: 2, reps: 3, cues: [Chest up]}
"""


def mix_of(text: str = ROUTINE) -> Mix:
    synth = FakeSynthesizer()
    routine = routine_from(text)
    probe = build_timeline(routine, lambda t: len(synth.synthesize(t)) / 48_000)
    clips = {t: synth.synthesize(t) for t in probe.phrases()}
    timeline = build_timeline(routine, lambda t: len(clips[t]) / 48_000)
    return Mix(timeline, clips)


MIX = mix_of()


def test_every_clip_sits_at_its_planned_frame() -> None:
    mix = mix_of()
    out = mix.render()
    assert len(out) == mix.timeline.total_frames
    tick = make_tone(Tone.TICK, 48_000)
    for e in mix.timeline.events:
        if e.tone is Tone.TICK:
            assert np.allclose(out[e.start_frame:e.end_frame], tick, atol=1e-6)
    speech = [e for e in mix.timeline.events if e.kind is EventKind.SPEECH]
    for e in speech:
        assert np.max(np.abs(out[e.start_frame:e.end_frame])) > 0.05
    # silence where nothing is planned
    busy = np.zeros(len(out), bool)
    for e in mix.timeline.events:
        busy[e.start_frame:e.end_frame] = True
    assert np.max(np.abs(out[~busy])) == 0.0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(256, 8192), min_size=1, max_size=40))
def test_any_block_sizes_give_the_same_sound(blocks: list[int]) -> None:
    mix = MIX
    whole = mix.render()
    pieces, at = [], 0
    while at < len(whole):
        n = blocks[len(pieces) % len(blocks)]
        buf = np.empty(min(n, len(whole) - at), dtype=np.float32)
        mix.render_into(buf, at)
        pieces.append(buf)
        at += len(buf)
    assert np.array_equal(np.concatenate(pieces), whole)


def test_gain_scales_and_the_sum_never_clips() -> None:
    mix = mix_of()
    loud = mix.render()
    mix.gain = 0.5
    assert np.allclose(mix.render(), loud * 0.5, atol=1e-7)
    mix.gain = 100.0
    assert np.max(np.abs(mix.render())) <= 1.0


def test_a_phrase_not_rendered_yet_is_silent_not_an_error() -> None:
    mix = mix_of()
    partial = Mix(mix.timeline, {})
    assert partial.missing == sum(1 for e in mix.timeline.events if e.kind is EventKind.SPEECH)
    assert np.max(np.abs(partial.render())) <= TONE_PEAK + 1e-6


def test_rendering_a_block_allocates_nothing_that_grows() -> None:
    mix = mix_of()
    buf = np.zeros(2048, dtype=np.float32)
    for at in range(0, 48_000 * 5, 2048):  # warm up
        mix.render_into(buf, at)
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for at in range(0, mix.timeline.total_frames, 2048):
        mix.render_into(buf, at)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(s.size_diff for s in after.compare_to(before, "filename") if s.size_diff > 0)
    assert grown < 4096, f"{grown} bytes kept after rendering the whole session"
