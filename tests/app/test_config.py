"""Where voicecoach keeps things: the XDG directories (as platformdirs gives them on Linux), and
routine and config files remembered as parsed so that a warm start skips YAML."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest
from conftest import write_config

from voicecoach.routine import library
from voicecoach.app.settings import load_settings
from voicecoach.places import cache_dir, config_dir, data_dir
from voicecoach.routine.library import PARSED_DIR, clear_parsed, resolve_routine
from voicecoach.errors import RoutineError, UsageError

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rules are Linux's")


@linux_only
@pytest.mark.parametrize("xdg", ["set", "unset", "empty", "relative"])
def test_user_directories_follow_the_xdg_rules_as_platformdirs_does(xdg: str, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("VOICECOACH_CONFIG_DIR", "VOICECOACH_CACHE_DIR", "VOICECOACH_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    for var, sub in (("XDG_CONFIG_HOME", "cfg"), ("XDG_CACHE_HOME", "cch"), ("XDG_DATA_HOME", "dat")):
        if xdg == "unset":
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, {"set": str(tmp_path / sub), "empty": "", "relative": sub}[xdg])
    assert config_dir() == Path(platformdirs.user_config_dir("voicecoach"))
    assert cache_dir() == Path(platformdirs.user_cache_dir("voicecoach"))
    assert data_dir() == Path(platformdirs.user_data_dir("voicecoach"))
    if xdg == "set":
        assert cache_dir() == tmp_path / "cch" / "voicecoach"
    else:
        assert cache_dir() == tmp_path / "home" / ".cache" / "voicecoach"


def test_voicecoach_variables_beat_the_xdg_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("VOICECOACH_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"


# ---------------------------------------------------------------- files remembered as parsed

ROUTINE = "name: Mine\nexercises:\n  - {name: Squats, sets: 2, reps: 5}\n"


def _refuse_to_parse(*args: object) -> None:
    raise AssertionError("parsed again")


def test_a_routine_read_before_is_not_parsed_again(isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = isolated_dirs / "mine.yaml"
    path.write_text(ROUTINE)
    first = resolve_routine(str(path))
    monkeypatch.setattr(library, "parse_routine", _refuse_to_parse)
    again = resolve_routine(str(path))
    assert again == first and again.source == str(path)


def test_the_same_text_elsewhere_is_named_as_where_it_is_now(isolated_dirs: Path) -> None:
    (isolated_dirs / "a.yaml").write_text(ROUTINE)
    (isolated_dirs / "b.yaml").write_text(ROUTINE)
    resolve_routine(str(isolated_dirs / "a.yaml"))
    assert resolve_routine(str(isolated_dirs / "b.yaml")).source == str(isolated_dirs / "b.yaml")


def test_a_changed_routine_is_parsed_afresh(isolated_dirs: Path) -> None:
    path = isolated_dirs / "mine.yaml"
    path.write_text(ROUTINE)
    resolve_routine(str(path))
    path.write_text(ROUTINE.replace("reps: 5", "reps: 8"))
    assert resolve_routine(str(path)).exercises[0].sets[0].reps == 8  # type: ignore[union-attr]


def test_an_invalid_routine_is_reported_every_time_and_never_remembered(isolated_dirs: Path) -> None:
    path = isolated_dirs / "bad.yaml"
    path.write_text(ROUTINE.replace("reps: 5", "reps: lots"))
    for _ in range(2):
        with pytest.raises(RoutineError, match=r"bad\.yaml:3:"):
            resolve_routine(str(path))
    assert not list((isolated_dirs / "cache" / PARSED_DIR).glob("*"))


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_entry_is_parsed_again_and_rewritten(isolated_dirs: Path, damage: bytes) -> None:
    path = isolated_dirs / "mine.yaml"
    path.write_text(ROUTINE)
    first = resolve_routine(str(path))
    (entry,) = (isolated_dirs / "cache" / PARSED_DIR).glob("routine-*.pickle")
    entry.write_bytes(damage)
    assert resolve_routine(str(path)) == first
    assert entry.read_bytes() != damage


def test_an_entry_made_by_other_reading_code_is_not_trusted(isolated_dirs: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = isolated_dirs / "mine.yaml"
    path.write_text(ROUTINE)
    resolve_routine(str(path))
    monkeypatch.setattr(library, "_readers_stamp", lambda: [(1, 2)])  # as after an upgrade
    calls = []
    real = library.parse_routine
    monkeypatch.setattr(library, "parse_routine", lambda *a: calls.append(a) or real(*a))
    resolve_routine(str(path))
    assert len(calls) == 1


def test_a_warm_start_does_not_import_yaml(isolated_dirs: Path) -> None:
    code = ("import sys\n"
            "from voicecoach.app.settings import load_settings\n"
            "from voicecoach.routine.library import resolve_routine\n"
            "resolve_routine('tabata'); load_settings()\n"
            "print('yaml' in sys.modules)\n")
    write_config(isolated_dirs, "rate: 160\n")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
            for _ in range(2)]
    assert runs == ["True", "False"]


def test_settings_are_remembered_too_and_a_bad_file_still_fails(isolated_dirs: Path) -> None:
    cfg = write_config(isolated_dirs, "rate: 160\n")
    assert load_settings().rate_wpm == load_settings().rate_wpm == 160
    cfg.write_text("rate: fast\n")
    with pytest.raises(UsageError, match="config.yaml:1:7: error: 'rate' must be a number from 80 to 450"):
        load_settings()


def test_cache_clear_forgets_what_was_parsed(isolated_dirs: Path) -> None:
    resolve_routine("tabata")
    assert clear_parsed() == 1
    assert clear_parsed() == 0


# ---------------------------------------------------------------- atomic writes

def test_an_atomic_write_follows_the_umask_and_keeps_an_existing_files_mode(tmp_path: Path) -> None:
    import os

    from voicecoach.fileio import write_atomic
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.txt", b"x")
        kept = tmp_path / "kept.txt"
        kept.write_bytes(b"old")
        kept.chmod(0o604)
        write_atomic(kept, b"new")
    finally:
        os.umask(old)
    assert ((tmp_path / "new.txt").stat().st_mode & 0o777, kept.stat().st_mode & 0o777) == (0o640, 0o604)
    assert kept.read_bytes() == b"new"


def test_an_atomic_write_into_a_missing_folder_is_refused_unless_asked_to_make_it(tmp_path: Path) -> None:
    from voicecoach.errors import UsageError
    from voicecoach.fileio import write_atomic
    with pytest.raises(UsageError, match="the folder .* does not exist"):
        write_atomic(tmp_path / "a" / "b.txt", b"x")
    assert not (tmp_path / "a").exists()
    write_atomic(tmp_path / "a" / "b.txt", b"x", make_dirs=True)
    assert (tmp_path / "a" / "b.txt").read_bytes() == b"x"


def test_the_config_file_turns_inhibiting_off_and_chooses_how_far_music_is_ducked(isolated_dirs: Path) -> None:
    cfg = isolated_dirs / "config" / "config.yaml"
    cfg.parent.mkdir()
    assert (load_settings().inhibit, load_settings().duck_db) == (True, None)
    cfg.write_text("inhibit: false\nduck: 18\n")
    assert (load_settings().inhibit, load_settings().duck_db) == (False, 18.0)
    cfg.write_text("inhibit: maybe\nduck: 90\n")
    with pytest.raises(UsageError) as info:
        load_settings()
    assert str(info.value).splitlines() == [f"{cfg}:1:10: error: 'inhibit' must be true or false, got " + '"maybe"',
                                            f"{cfg}:2:7: error: 'duck' must be a number from 0 to 60, got 90"]


def test_the_config_file_turns_listening_on_and_chooses_the_microphone(isolated_dirs: Path) -> None:
    cfg = write_config(isolated_dirs, "")
    assert (load_settings().listen, load_settings().mic) == (False, None)
    cfg.write_text("listen: true\nmic: USB headset\n")
    assert (load_settings().listen, load_settings().mic) == (True, "USB headset")
    cfg.write_text("listen: often\n")
    with pytest.raises(UsageError) as info:
        load_settings()
    assert str(info.value) == f"{cfg}:1:9: error: 'listen' must be true or false, got " + '"often"'


def test_the_config_file_is_read_setting_by_setting_with_where_each_value_is() -> None:
    from voicecoach.routine.reader import parse_settings
    text = "rate: 200\nvolume: 0.5\nengine: piper\nlisten: true\nduck: 12\nvoice: en-us\nmic: pulse\n"
    assert parse_settings(text, "config.yaml") == {
        "rate": (200, (1, 7)), "volume": (0.5, (2, 9)), "engine": ("piper", (3, 9)), "listen": (True, (4, 9)),
        "duck": (12, (5, 7)), "voice": ("en-us", (6, 8)), "mic": ("pulse", (7, 6))}
    assert parse_settings("", "config.yaml") == {} and parse_settings("~\n", "config.yaml") == {}, "empty: nothing set"


def test_every_mistake_in_the_config_file_is_reported_where_it_is() -> None:
    from voicecoach.errors import RoutineError
    from voicecoach.routine.reader import parse_settings
    with pytest.raises(RoutineError) as e:
        parse_settings("engine: nosuch\nrate: 90.5\nfoo: 1\nvolume: 2\nlisten: maybe\n", "config.yaml")
    assert str(e.value).splitlines() == [
        "config.yaml:1:9: error: 'engine' must be one of espeak, piper, got \"nosuch\"",
        "config.yaml:2:7: error: 'rate' must be whole words per minute, got 90.5",
        "config.yaml:3:1: error: unknown key 'foo' in the config file; expected one of: engine, voice, rate, volume, "
        "device, inhibit, duck, listen, mic, rounding, barbell, dumbbells, kettlebells",
        "config.yaml:4:9: error: 'volume' must be a number from 0 to 1, got 2",
        "config.yaml:5:9: error: 'listen' must be true or false, got \"maybe\""]
    with pytest.raises(RoutineError, match=r"^config\.yaml:1:1: error: the config file must be a mapping of keys to "
                                           r"values, got a list$"):
        parse_settings("- a\n", "config.yaml")


@pytest.mark.parametrize("text, expected", [
    ("hello\n", "config.yaml:1:1: error: the config file must be a mapping of keys to values, got \"hello\""),
    ("rate: [200\n", "config.yaml:2:1: error: YAML syntax: did not find expected ',' or ']' while parsing a flow "
                     "sequence"),
    ("voice: ''\n", "config.yaml:1:8: error: 'voice' must not be empty"),
    ("device: [1]\n", "config.yaml:1:9: error: 'device' must be text, got a list"),
])
def test_a_config_file_that_is_not_settings_is_one_located_mistake(text: str, expected: str) -> None:
    from voicecoach.routine.reader import parse_settings
    with pytest.raises(RoutineError) as e:
        parse_settings(text, "config.yaml")
    assert str(e.value).splitlines() == [expected]


def test_the_config_file_describes_the_equipment_owned(isolated_dirs: Path) -> None:
    from voicecoach.plan.loads import Gear
    from voicecoach.plan.plates import Equipment
    assert load_settings().gear == Gear()
    write_config(isolated_dirs, "rounding: down\n"
                                "barbell:\n  kg: {bar: 15, plates: {20: 4, 10: 2, 2.5: 1, 5: 2}}\n"
                                "dumbbells: {kg: [12.5, 10, 15]}\nkettlebells: {lb: [35, 18]}\n")
    assert load_settings().gear == Gear(barbell=(Equipment("kg", 15.0, ((20.0, 4), (10.0, 2), (5.0, 2),
                                                                         (2.5, 1))),),
                                        dumbbells=(Equipment("kg", fixed=(10.0, 12.5, 15.0)),),
                                        kettlebell=(Equipment("lb", fixed=(18.0, 35.0)),), rounding="down")


def test_every_mistake_in_the_equipment_is_reported_where_it_is(isolated_dirs: Path) -> None:
    write_config(isolated_dirs, "rounding: sideways\nbarbell:\n  kg: {bar: 15, plates: {20: 4, 10: x, 500: 1}}\n"
                                "  lb: {bar: 45}\ndumbbells:\n  kg: [10, 12.5, x]\nkettlebells: {stone: [1]}\n")
    with pytest.raises(UsageError) as e:
        load_settings()
    path = isolated_dirs / "config" / "config.yaml"
    assert str(e.value).splitlines() == [f"{path}:{line}" for line in (
        "1:11: error: 'rounding' must be one of down, nearest, up, got \"sideways\"",
        "3:37: error: 'pairs of 10 kg plates' must be a positive whole number, got \"x\"",
        "3:40: error: a plate weighs more than 0 and at most 100 kg, got '500'",
        "4:7: error: the lb barbell is missing 'plates'",
        "6:18: error: 'dumbbells' must be a number from 0.1 to 1000, got \"x\"",
        "7:15: error: unknown key 'stone' in 'kettlebells'; expected one of: kg, lb")]
