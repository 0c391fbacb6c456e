"""The head start: a command's first words kept from its last run, played before the rest loads,
and handed over to the player at the frame they reached."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import pytest

from voicecoach.sound import head
from voicecoach.sound.head import CHANNELS, FRAME_BYTES, HeadStart, key_of, read, write


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"VOICECOACH_CACHE_DIR": str(tmp_path / "cache"), "VOICECOACH_CONFIG_DIR": str(tmp_path / "config"),
            "HOME": str(tmp_path), "PATH": "/usr/bin", "LANG": "C.UTF-8"}


def stereo(*samples: float) -> bytes:
    return np.repeat(np.array(samples, dtype=np.float32), CHANNELS).tobytes()


def test_the_same_command_in_the_same_place_has_the_same_key(tmp_path: Path, env: dict[str, str]) -> None:
    assert key_of(["play", "tabata"], str(tmp_path), env) == key_of(["play", "tabata"], str(tmp_path), dict(env))


@pytest.mark.parametrize("change", ["argv", "cwd", "voicecoach variable", "home"])
def test_another_command_place_or_setting_has_another_key(tmp_path: Path, env: dict[str, str], change: str) -> None:
    before = key_of(["play", "tabata"], str(tmp_path), env)
    argv, cwd, other = ["play", "tabata"], str(tmp_path), dict(env)
    if change == "argv":
        argv = ["play", "tabata", "--volume", "0.5"]
    elif change == "cwd":
        cwd = str(tmp_path / "elsewhere")
    elif change == "voicecoach variable":
        other["VOICECOACH_DATA_DIR"] = "/somewhere"
    else:
        other["HOME"] = "/home/other"
    assert key_of(argv, cwd, other) != before


def test_variables_that_do_not_concern_voicecoach_leave_the_key_alone(tmp_path: Path, env: dict[str, str]) -> None:
    assert key_of(["play"], str(tmp_path), env) == key_of(["play"], str(tmp_path), {**env, "PATH": "/bin",
                                                                                     "LANG": "de_DE.UTF-8x"})


def test_an_edited_routine_or_config_file_changes_the_key(tmp_path: Path, env: dict[str, str]) -> None:
    routine = tmp_path / "mine.yaml"
    routine.write_text("name: Mine\n")
    first = key_of(["play", "mine.yaml"], str(tmp_path), env)
    routine.write_text("name: Mine, longer\n")
    second = key_of(["play", "mine.yaml"], str(tmp_path), env)
    config = tmp_path / "config" / "config.yaml"
    config.parent.mkdir()
    config.write_text("volume: 0.5\n")
    third = key_of(["play", "mine.yaml"], str(tmp_path), env)
    assert len({first, second, third}) == 3


def test_the_training_log_named_on_the_command_line_does_not_change_the_key(tmp_path: Path,
                                                                               env: dict[str, str]) -> None:
    db = tmp_path / "h.db"
    db.write_bytes(b"x")
    first = key_of(["--db", "h.db", "play"], str(tmp_path), env)
    db.write_bytes(b"after a session, the log has grown")
    assert key_of(["--db", "h.db", "play"], str(tmp_path), env) == first


def test_kept_frames_are_read_back_exactly_for_their_command_only(tmp_path: Path, env: dict[str, str]) -> None:
    frames = stereo(0.0, 0.25, -0.5)
    write("key one", env, frames)
    assert read("key one", env) == frames
    assert read("key two", env) is None


def test_kept_frames_are_named_by_two_checksums_of_the_key(env: dict[str, str]) -> None:
    import zlib
    name = f"{zlib.crc32(b'k'):08x}{zlib.adler32(b'k'):08x}.head"
    assert head.path_of("k", env) == os.path.join(env["VOICECOACH_CACHE_DIR"], "start", name)


@pytest.mark.parametrize("damage", ["truncated", "another format", "another key", "empty"])
def test_a_damaged_or_foreign_head_is_not_played(env: dict[str, str], damage: str) -> None:
    write("k", env, stereo(0.5, 0.5, 0.5, 0.5))
    path = Path(head.path_of("k", env))
    raw = bytearray(path.read_bytes())
    if damage == "truncated":
        raw = raw[:-3]
    elif damage == "another format":
        raw[:8] = b"VCHEAD0\n"
    elif damage == "another key":
        raw[struct.calcsize("<8sIQ")] = ord("j")
    else:
        raw = bytearray()
    path.write_bytes(bytes(raw))
    assert read("k", env) is None


def test_a_head_that_did_not_agree_is_forgotten(env: dict[str, str]) -> None:
    write("k", env, stereo(0.5))
    head.forget("k", env)
    assert read("k", env) is None
    head.forget("k", env)   # twice is fine


def play_blocks(early: HeadStart, *sizes: int) -> list[bytes]:
    out = []
    for n in sizes:
        buf = bytearray(b"\xff" * (n * FRAME_BYTES))
        early._callback(memoryview(buf), n, None, None)
        out.append(bytes(buf))
    return out


def test_the_head_plays_its_frames_then_silence_while_the_clock_waits() -> None:
    early = HeadStart("k", stereo(0.1, 0.2, 0.3, 0.4, 0.5))
    blocks = play_blocks(early, 2, 2, 2, 2)
    assert blocks == [stereo(0.1, 0.2), stereo(0.3, 0.4), stereo(0.5, 0.0), stereo(0.0, 0.0)]
    assert early.pos == 5, "silence after the head is not counted: the session's clock waits"


def test_the_player_takes_over_at_the_next_block_with_the_frame_the_head_reached() -> None:
    early = HeadStart("k", stereo(0.1, 0.2, 0.3, 0.4, 0.5))
    play_blocks(early, 2)
    took: list[int] = []
    calls: list[int] = []

    def player(outdata: object, frames: int, time_info: object, status: object) -> None:
        calls.append(frames)
    early.take_over(player, took.append)
    assert not early.taken.is_set()
    play_blocks(early, 3, 3)
    assert took == [2] and calls == [3, 3] and early.taken.is_set()
    assert early.pos == 2, "the head played no more once taken over"
