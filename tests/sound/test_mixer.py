"""The mixer: every clip at its exact frame, block by block, with no growing allocation."""

from __future__ import annotations

import tracemalloc

import numpy as np
from conftest import routine_from
from hypothesis import given, settings
from hypothesis import strategies as st

from voicecoach.sound.mixer import Mix
from voicecoach.sound.speech import FakeSynthesizer
from voicecoach.plan.timeline import EventKind, Tone, build_timeline
from voicecoach.sound.tones import TONE_PEAK, make_tone

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


def test_a_file_is_written_chunk_by_chunk_and_the_chunks_are_the_whole_mix() -> None:
    whole = MIX.render()
    chunks = [c.copy() for c in MIX.iter_chunks(10_007)]   # a size that does not divide the length
    assert all(c.dtype == np.float32 for c in chunks)
    assert [len(c) for c in chunks[:-1]] == [10_007] * (len(chunks) - 1) and 0 < len(chunks[-1]) <= 10_007
    assert np.array_equal(np.concatenate(chunks), whole)


def test_a_piece_of_the_mix_is_that_piece_of_the_whole() -> None:
    whole = MIX.render()
    assert whole.dtype == np.float32 and len(whole) == MIX.total_frames
    assert np.array_equal(MIX.render(123_456), whole[123_456:])
    assert np.array_equal(MIX.render(1000, 5000), whole[1000:6000])
    assert len(MIX.render(MIX.total_frames)) == 0


def test_tones_given_to_the_mix_are_the_ones_played() -> None:
    tones = {kind: np.full(len(make_tone(kind, 48_000)), 0.25, np.float32) for kind in Tone}
    mix = Mix(MIX.timeline, {}, tones=tones)
    tick = next(e for e in mix.timeline.events if e.tone is Tone.TICK)
    assert np.all(mix.render(tick.start_frame, tick.duration_frames) == np.float32(0.25))


def test_clips_that_overlap_are_summed() -> None:
    tick = make_tone(Tone.TICK, 48_000)
    events = [e for e in MIX.timeline.events if e.tone is Tone.TICK][:1]
    first = events[0]
    events.append(first._replace(start_frame=first.start_frame + 100))
    mix = Mix(MIX.timeline._replace(events=events), {})
    out = mix.render(first.start_frame, 100 + len(tick))
    expected = np.zeros(100 + len(tick), np.float32)
    expected[:len(tick)] += tick
    expected[100:] += tick
    assert np.allclose(out, expected, atol=1e-6)


def test_a_louder_gain_scales_up() -> None:
    mix = mix_of()
    plain = mix.render()
    mix.gain = 2.0
    assert np.allclose(mix.render(), np.clip(plain * 2.0, -1.0, 1.0), atol=1e-6)


def test_a_block_is_speech_only_when_a_phrase_sounds_in_it() -> None:
    phrase = next(e for e in MIX.timeline.events if e.kind is EventKind.SPEECH)
    out = np.zeros(256, np.float32)
    assert MIX.render_into(out, phrase.end_frame - 10) is True
    assert MIX.render_into(out, phrase.end_frame) is False, "a phrase that ended just before the block"
    assert MIX.render_into(out, MIX.total_frames + 1000) is False, "nothing at all"


def test_a_plan_with_nothing_in_it_is_silence() -> None:
    empty = Mix(MIX.timeline._replace(events=[]), {})
    out = np.ones(512, np.float32)
    assert empty.render_into(out, 0) is False and not np.any(out)
