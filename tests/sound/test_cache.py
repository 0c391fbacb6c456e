"""The speech cache: what it keeps on disk, and what makes a kept phrase stale (then it is made again)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest

from voicecoach.sound.cache import SpeechCache
from voicecoach.sound.speech import FakeSynthesizer, PhraseBank

RATE = 48_000
KEY = "espeak-ng|gmw/en-us|175"


def test_an_entry_is_named_by_two_checksums_of_its_key_and_text(tmp_path: Path) -> None:
    name = f"{KEY}\nRest 60 seconds.".encode()
    digest = f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}"
    assert SpeechCache(tmp_path).path_for(KEY, "Rest 60 seconds.") == tmp_path / digest[:2] / f"{digest}.pcm"


def test_an_entry_holds_its_format_rate_checksum_length_key_and_text_then_the_samples(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    clip = np.array([0.0, 0.5, -0.25], dtype=np.float32)
    cache.put(KEY, "Go.", RATE, clip)
    raw = cache.path_for(KEY, "Go.").read_bytes()
    name = f"{KEY}\nGo.".encode()
    body = clip.astype("<f4").tobytes()
    magic, rate, crc, frames, name_len = struct.unpack_from("<6sIIQI", raw)
    assert (magic, rate, crc, frames, name_len) == (b"VCSP2\n", RATE, zlib.crc32(body), 3, len(name))
    assert raw[26:26 + len(name)] == name
    start = -(-(26 + len(name)) // 8) * 8
    assert raw[26 + len(name):start] == bytes(start - 26 - len(name)), "padded with zeros to a multiple of 8"
    assert raw[start:] == body and len(raw) == start + 12


def test_a_kept_clip_is_returned_as_it_was_and_cannot_be_changed(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    clip = np.linspace(-1, 1, 1001, dtype=np.float32)
    cache.put(KEY, "Next up: Squats.", RATE, clip)
    got = cache.get(KEY, "Next up: Squats.", RATE)
    assert got is not None and got.dtype == np.float32 and np.array_equal(got, clip)
    assert not got.flags.writeable


@pytest.mark.parametrize(("key", "text", "rate"), [
    ("espeak-ng|gmw/en-us|176", "Go.", RATE),      # another rate of speech
    ("espeak-ng|gmw/en-gb|175", "Go.", RATE),      # another voice
    ("piper|gmw/en-us|175", "Go.", RATE),          # another engine
    (KEY, "Go!", RATE),                            # other words
    (KEY, "Go.", 44_100),                          # another stream rate
])
def test_a_phrase_of_another_voice_rate_text_or_stream_rate_is_not_the_kept_one(
        tmp_path: Path, key: str, text: str, rate: int) -> None:
    cache = SpeechCache(tmp_path)
    cache.put(KEY, "Go.", RATE, np.ones(10, np.float32))
    assert cache.get(key, text, rate) is None
    assert cache.get(KEY, "Go.", RATE) is not None


def _rewrite(path: Path, offset: int, data: bytes) -> None:
    raw = bytearray(path.read_bytes())
    raw[offset:offset + len(data)] = data
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize(("what", "offset", "data"), [
    ("an older format", 0, b"VCSP1\n"),
    ("a rate written for another stream", 6, struct.pack("<I", 44_100)),
    ("a checksum that does not match", 10, struct.pack("<I", 12345)),
    ("a frame count longer than the samples", 14, struct.pack("<Q", 11)),
    ("a frame count shorter than the samples", 14, struct.pack("<Q", 9)),
])
def test_an_entry_whose_header_disagrees_with_it_is_stale(tmp_path: Path, what: str, offset: int,
                                                          data: bytes) -> None:
    cache = SpeechCache(tmp_path)
    cache.put(KEY, "Go.", RATE, np.ones(10, np.float32))
    _rewrite(cache.path_for(KEY, "Go."), offset, data)
    assert cache.get(KEY, "Go.", RATE) is None, what


def test_an_entry_shorter_than_its_header_is_stale(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    cache.put(KEY, "Go.", RATE, np.ones(10, np.float32))
    path = cache.path_for(KEY, "Go.")
    path.write_bytes(path.read_bytes()[:25])
    assert cache.get(KEY, "Go.", RATE) is None


def test_an_empty_clip_is_kept_too(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    cache.put(KEY, "", RATE, np.zeros(0, np.float32))
    got = cache.get(KEY, "", RATE)
    assert got is not None and len(got) == 0


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    cache = SpeechCache(blocked)
    cache.put(KEY, "Go.", RATE, np.ones(10, np.float32))   # no error
    assert cache.get(KEY, "Go.", RATE) is None


def test_clear_removes_every_phrase_and_the_folders_it_made_and_counts_the_phrases(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path / "speech")
    assert cache.clear() == 0, "nothing there yet"
    for i in range(3):
        cache.put(KEY, f"phrase {i}", RATE, np.zeros(4, np.float32))
    (tmp_path / "speech" / "notes.txt").write_text("the user's own file")
    (tmp_path / "speech" / "ab" / "old" / "older").mkdir(parents=True)   # folders in folders, emptied inside out
    assert cache.clear() == 3
    assert sorted(p.name for p in (tmp_path / "speech").rglob("*")) == ["notes.txt"]


def test_clear_keeps_the_cache_folder_itself(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path / "speech")
    cache.put(KEY, "Go.", RATE, np.zeros(4, np.float32))
    assert cache.clear() == 1 and (tmp_path / "speech").is_dir()


def test_a_clip_is_kept_as_32_bit_floats_whatever_it_was_made_as(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    cache.put(KEY, "Go.", RATE, np.array([0.5, -0.25], dtype=np.float64))
    got = cache.get(KEY, "Go.", RATE)
    assert got is not None and got.dtype == np.float32 and got.tolist() == [0.5, -0.25]


# ---------------------------------------------------------------- with the phrase bank

def test_cache_round_trip_is_exact(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    clip = FakeSynthesizer().synthesize("Rest 60 seconds.")
    cache.put("k", "Rest 60 seconds.", RATE, clip)
    assert np.array_equal(cache.get("k", "Rest 60 seconds.", RATE), clip)


def test_a_clip_is_never_returned_for_another_phrase_even_when_file_names_collide(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = SpeechCache(tmp_path)
    monkeypatch.setattr(cache, "path_for", lambda key, text: tmp_path / "same.pcm")
    cache.put("k", "Left side.", RATE, np.ones(10, np.float32))
    assert cache.get("k", "Right side.", RATE) is None
    assert cache.get("k", "Left side.", RATE) is not None


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_a_corrupt_or_truncated_entry_is_detected_and_redone(tmp_path: Path, damage: str) -> None:
    cache = SpeechCache(tmp_path)
    synth = FakeSynthesizer()
    cache.put(synth.key, "Next up: Squats.", RATE, synth.synthesize("Next up: Squats."))
    f = cache.path_for(synth.key, "Next up: Squats.")
    raw = bytearray(f.read_bytes())
    if damage == "truncate":
        raw = raw[: len(raw) // 2]
    elif damage == "flip":
        raw[-100] ^= 0xFF
    elif damage == "empty":
        raw = bytearray()
    else:
        raw = bytearray(b"not a clip at all" * 10)
    f.write_bytes(bytes(raw))
    assert cache.get(synth.key, "Next up: Squats.", RATE) is None
    synth.calls.clear()
    bank = PhraseBank(synth, cache)
    bank.prepare(["Next up: Squats."])
    assert synth.calls == ["Next up: Squats."], "the damaged entry was synthesized again"
    assert cache.get(synth.key, "Next up: Squats.", RATE) is not None, "and written back"


def test_cache_writes_are_atomic_and_clear_empties_it(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    for i in range(5):
        cache.put("k", f"phrase {i}", RATE, np.zeros(100, np.float32))
    files = list(tmp_path.rglob("*"))
    assert not [f for f in files if f.name.startswith(".")], "no temporary files left"
    assert cache.clear() == 5 and list(tmp_path.rglob("*.pcm")) == []
