"""The command line: every command, its help, and one-line errors with exit statuses."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, run_voicecoach, write_config

import voicecoach
from voicecoach.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_plan_of_the_default_routine_is_a_readable_table() -> None:
    code, out, _ = run("plan")
    assert code == 0
    assert out.splitlines()[0].startswith("Legs and back: ")
    assert re.search(r"^\s+0:\d\d\.\d\d  Squats\s+1\s+Next up: Squats\.$", out, re.MULTILINE)
    assert "[tick]" in out and "Workout complete." in out and out.rstrip().splitlines()[-1].startswith("total ")


def test_plan_json_keeps_the_documented_names() -> None:
    code, out, _ = run("plan", "tabata", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"routine", "sample_rate", "duration_s", "events"} <= set(data)
    assert data["routine"] == "Tabata" and data["sample_rate"] == 48_000
    e = data["events"][0]
    assert {"t", "duration", "kind", "text", "exercise", "set", "side"} <= set(e)
    assert {ev["kind"] for ev in data["events"]} == {"speech", "tone"}
    assert all(ev["text"] is None for ev in data["events"] if ev["kind"] == "tone")
    ts = [ev["t"] for ev in data["events"]]
    assert ts == sorted(ts) and data["duration_s"] > ts[-1]


def test_plan_can_start_mid_session() -> None:
    code, out, _ = run("plan", "--start", "Deadlifts:2")
    assert code == 0 and "Next up: Deadlifts." in out and "Set 2 of 3." in out and "Squats" not in out


def test_plan_refuses_an_unknown_start_in_one_line() -> None:
    code, _, err = run("plan", "--start", "Cartwheels")
    assert code == 2 and err.count("\n") == 1 and "exercises: Squats, Lunges" in err


def test_check_reports_every_mistake_with_position_and_exits_2(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("name: G\nexercises:\n  - {name: A, reps: 5}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: B\nexercises:\n  - name: Squats\n    reps: twelve\n    rset: 60\n")
    code, out, err = run("check", str(good), str(bad))
    assert code == 2
    assert f"{good}: ok" in out
    assert err.splitlines() == [
        f'{bad}:4:11: error: \'reps\' must be a positive whole number, \'amrap\' or at least so many then as many '
        'as you can (5+), got "twelve"',
        f"{bad}:5:5: error: unknown key 'rset' in an exercise; did you mean 'rest'?",
    ]


def test_check_of_good_files_exits_0() -> None:
    code, out, _ = run("check", *map(str, sorted((ROOT / "routines").glob("*.yaml"))))
    assert code == 0 and out.count(": ok (") >= 5


def test_every_command_that_loads_a_routine_gives_the_same_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: B\nexercises:\n  - {name: A, reps: 0}\n")
    expected = f"{bad}:3:21: error: 'reps' must be a positive whole number, got 0\n"
    for cmd in ("plan", "check"):
        code, _, err = run(cmd, str(bad))
        assert (code, err) == (2, expected), cmd
    # play too, even where there is no sound output as well: the routine's mistake is the one told
    env = dict(os.environ, PULSE_SERVER=f"unix:{tmp_path}/no-server", VOICECOACH_CACHE_DIR=str(tmp_path / "c"),
               VOICECOACH_CONFIG_DIR=str(tmp_path / "cf"), VOICECOACH_DATA_DIR=str(tmp_path / "d"))
    played = run_voicecoach(["play", str(bad)], env, timeout_s=60)
    assert (played.returncode, played.stderr) == (2, expected)


def test_missing_routine_names_the_bundled_ones() -> None:
    code, _, err = run("plan", "no-such-routine")
    assert code == 2 and "no such file or bundled routine; bundled: full-body-beginner" in err
    assert "Traceback" not in err


def test_routines_lists_the_bundled_routines() -> None:
    code, out, _ = run("routines")
    names = [line.split()[0] for line in out.splitlines()]
    assert code == 0 and {"legs-and-back", "tabata", "full-body-beginner", "upper-body-supersets"} <= set(names)


def test_new_writes_a_starter_that_checks_clean_and_never_overwrites(tmp_path: Path) -> None:
    f = tmp_path / "mine.yaml"
    assert run("new", str(f))[0] == 0
    assert run("check", str(f))[0] == 0
    before = f.read_text()
    code, _, err = run("new", str(f))
    assert code == 2 and "exists; use --force" in err and f.read_text() == before
    assert run("new", "--force", str(f))[0] == 0
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"], "no temporary file left behind"


def test_schema_is_printed_as_json() -> None:
    code, out, _ = run("schema")
    assert code == 0 and json.loads(out)["title"].startswith("voicecoach routine")


def test_every_command_has_help_and_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name, command in cli.commands.items():
        assert command.help, name
        code, out, _ = run(name, "--help")
        assert code == 0 and "Usage:" in out
        assert f"voicecoach {name}" in readme, f"{name} is not in the README"


def test_bundled_routines_ship_inside_the_installed_package() -> None:
    from voicecoach.routine.library import bundled_routines
    installed = Path(voicecoach.__file__).resolve().parent
    found = bundled_routines()
    assert set(found) == {p.stem for p in (ROOT / "routines").glob("*.yaml")}
    if not installed.is_relative_to(ROOT):  # a regular install, as scripts/test does
        assert all(str(f).startswith(str(installed)) for f in found.values())


def test_the_core_imports_without_sound_speech_database_or_click() -> None:
    code = ("import sys\n"
            "for m in ('sounddevice', 'pyttsx3', 'sqlite3', 'click', 'soundfile', 'rich'): sys.modules[m] = None\n"
            "import voicecoach.routine.model, voicecoach.plan.timeline, voicecoach.plan.wording\n"
            "import voicecoach.routine.quantity\n")
    for extra in ("voicecoach.sound.tones", "voicecoach.sound.mixer"):
        try:
            __import__(extra)
            code += f"import {extra}\n"
        except ImportError:
            pass
    subprocess.run([sys.executable, "-c", code], check=True)


def readme_examples() -> list[str]:
    """Commands in the README's ```console blocks that are quick (no sound)."""
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```console\n(.*?)```", text, re.DOTALL)
    lines = [ln[2:] for b in blocks for ln in b.splitlines() if ln.startswith("$ voicecoach ")]
    quick = ("plan", "check", "routines", "new", "schema", "--help", "voices", "history", "show", "stats", "max", "log")
    return [ln for ln in lines if ln.split()[1] in quick]


def test_readme_examples_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       isolated_dirs: Path) -> None:
    import shlex
    monkeypatch.chdir(tmp_path)
    _filled_db(tmp_path / "history.sqlite3")
    monkeypatch.setenv("VOICECOACH_DB", str(tmp_path / "history.sqlite3"))
    examples = readme_examples()
    assert len(examples) >= 5
    for line in examples:
        args = shlex.split(line.split(" #")[0])[1:]
        result = CliRunner().invoke(cli, args)
        expected = 2 if "exits 2" in line else 0
        assert result.exit_code == expected, (line, result.stderr)


# ---------------------------------------------------------------- history commands

def _filled_db(path: Path) -> None:
    from datetime import datetime, timedelta

    from voicecoach.log.history import History
    from voicecoach.session.record import SetRecord
    t = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    with History(path, now=lambda: t) as h:
        sid = h.start_session("Legs and back", "abc", "legs.yaml", "name: Legs and back\n")
        for step, (ex, n, reps, done, skipped) in enumerate([("Squats", 1, 12, 12, False),
                                                             ("Squats", 2, 12, 10, False),
                                                             ("Squats", 3, 12, 0, True)]):
            h.record_set(sid, SetRecord(step, ex, n, 3, None, reps, done, None, None, "60 kg", False, False,
                                        (t + timedelta(minutes=step)).isoformat(),
                                        (t + timedelta(minutes=step, seconds=40)).isoformat(), skipped))
        h.end_session(sid, "quit")


def test_history_lists_sessions_as_a_table_json_and_csv(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    _filled_db(db)
    code, out, _ = run("--db", str(db), "history")
    assert code == 0 and "Legs and back" in out and " quit " in out and "   22 " in out
    code, out, _ = run("--db", str(db), "history", "--json")
    (s,) = json.loads(out)
    assert (s["routine"], s["outcome"], s["sets"], s["skipped"], s["reps"]) == ("Legs and back", "quit", 3, 1, 22)
    code, out, _ = run("--db", str(db), "history", "--csv")
    assert out.splitlines()[0].startswith("id,routine,") and len(out.splitlines()) == 2


def test_show_lists_every_set_of_a_session(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    _filled_db(db)
    code, out, _ = run("--db", str(db), "show", "1")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 4 and "skipped" in lines[3] and "done 10" in lines[2]
    code, _, err = run("--db", str(db), "show", "7")
    assert code == 2 and "no session 7" in err


def test_stats_draws_weekly_bars(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "h.db"
    _filled_db(db)
    monkeypatch.setenv("VOICECOACH_DB", str(db))
    code, out, _ = run("stats", "--weeks", "520", "--png", str(tmp_path / "s.png"))
    assert code == 0 and out.startswith("Squats") and "22 reps  1,320 kg" in out
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"


def test_a_damaged_history_is_one_line_and_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    db.write_bytes(b"garbage" * 1000)
    code, _, err = run("--db", str(db), "history")
    assert code == 1 and err.count("\n") == 1 and "left untouched" in err


def test_resume_with_nothing_to_resume_says_so(tmp_path: Path) -> None:
    code, _, err = run("--db", str(tmp_path / "h.db"), "resume")
    assert code == 2 and "no interrupted session to resume" in err


def test_plan_does_not_create_a_history_database(isolated_dirs: Path) -> None:
    code, _, _ = run("plan", "tabata", "--estimate")
    assert code == 0 and not (isolated_dirs / "data").exists()


def test_plan_announces_the_load_that_progression_gives(tmp_path: Path) -> None:
    from voicecoach.log.history import History
    from voicecoach.session.record import SetRecord
    routine = tmp_path / "r.yaml"
    routine.write_text("name: Strength\nexercises:\n  - {name: Deadlifts, sets: 1, reps: 5, load: 60 kg, "
                       "progression: {add: 2.5 kg}}\n")
    db = tmp_path / "h.db"
    with History(db) as h:
        sid = h.start_session("Strength", "old", str(routine), routine.read_text())
        h.record_set(sid, SetRecord(0, "Deadlifts", 1, 1, None, 5, 5, None, None, "60 kg", False, False,
                                    "2026-11-20T07:00:00+00:00", "2026-11-20T07:01:00+00:00"))
        h.end_session(sid, "finished")
    code, out, _ = run("--db", str(db), "plan", str(routine), "--estimate")
    assert code == 0 and "62.5 kilograms." in out


def test_options_beat_the_routine_which_beats_the_config_file(isolated_dirs: Path) -> None:
    from voicecoach.app.choices import Speech, voice_settings
    from conftest import routine_from
    write_config(isolated_dirs, "voice: gmw/en-gb-x-rp\nrate: 150\nvolume: 0.5\n")
    plain = routine_from("name: P\nexercises:\n  - {name: A, reps: 5}\n")
    with_defaults = routine_from("name: P\ndefaults: {rate: 200}\nexercises:\n  - {name: A, reps: 5}\n")
    settings, gain = voice_settings(plain, Speech(None, None, None, None))
    assert (settings.voice, settings.rate_wpm, gain) == ("gmw/en-gb-x-rp", 150, 0.5)
    settings, _ = voice_settings(with_defaults, Speech(None, None, None, None))
    assert settings.rate_wpm == 200
    settings, gain = voice_settings(with_defaults, Speech(None, "gmw/en-us", 300, 0.9))
    assert (settings.voice, settings.rate_wpm, gain) == ("gmw/en-us", 300, 0.9)


def test_a_bad_config_file_is_one_line_with_its_place(isolated_dirs: Path) -> None:
    cfg = write_config(isolated_dirs, "rate: fast\n")
    code, _, err = run("plan", "tabata", "--rate", "160")
    assert code == 2 and err == f'{cfg}:1:7: error: \'rate\' must be a number from 80 to 450, got "fast"\n'
    cfg.write_text("volume: 2\ncolour: blue\nrate: 100.5\n")
    code, _, err = run("plan", "tabata")
    assert code == 2 and err.splitlines() == [
        f"{cfg}:1:9: error: 'volume' must be a number from 0 to 1, got 2",
        f"{cfg}:2:1: error: unknown key 'colour' in the config file; expected one of: engine, voice, rate, volume, "
        "device, inhibit, duck, listen, mic, rounding, barbell, dumbbells, kettlebells",
        f"{cfg}:3:7: error: 'rate' must be whole words per minute, got 100.5"]


@pytest.mark.audio  # asks the real speech engine
def test_a_voice_the_engine_does_not_have_is_found_by_check_at_its_line(tmp_path: Path) -> None:
    f = tmp_path / "mine.yaml"
    f.write_text("name: Mine\ndefaults:\n  voice: nosuch-voice\nexercises:\n  - {name: A, reps: 5}\n")
    expected = f"{f}:3:10: error: unknown voice 'nosuch-voice'; list them with: voicecoach voices\n"
    code, out, err = run("check", str(f))
    assert (code, out, err) == (2, "", expected)
    code, out, err = run("plan", str(f))
    assert (code, err) == (2, expected)


@pytest.mark.audio
def test_a_voice_option_or_config_setting_that_does_not_exist_is_a_usage_mistake(isolated_dirs: Path) -> None:
    code, _, err = run("plan", "tabata", "--voice", "nosuch-voice")
    assert (code, err) == (2, "voicecoach: error: unknown voice 'nosuch-voice'; list them with: voicecoach voices\n")
    cfg = write_config(isolated_dirs, "rate: 160\nvoice: nosuch-voice\n")
    code, _, err = run("plan", "tabata")
    assert (code, err) == (2, f"{cfg}:2:8: error: unknown voice 'nosuch-voice'; list them with: voicecoach voices\n")


def test_check_counts_one_exercise_and_a_short_routine_in_words(tmp_path: Path) -> None:
    f = tmp_path / "one.yaml"
    f.write_text("name: One\ndefaults: {get_ready: 0s}\nexercises:\n  - {name: A, reps: 1, tempo: 0-0-1-0}\n")
    code, out, _ = run("check", str(f))
    assert (code, out) == (0, f"{f}: ok (One: 1 exercise, under a minute)\n")


def test_the_plan_says_how_many_phrases_gave_way_in_plain_words(tmp_path: Path) -> None:
    f = tmp_path / "tight.yaml"
    f.write_text("name: Tight\nexercises:\n  - {name: A, sets: 2, reps: 12, tempo: 0-0-1-0, rest: 5s,\n"
                 "     cues: [Keep your chest up and your back straight the whole time]}\n")
    code, out, _ = run("plan", str(f), "--estimate")
    assert code == 0
    footnote = out.splitlines()[-2]
    assert re.fullmatch(r"\((1 phrase gave way, as it|\d+ phrases gave way, as they) did not fit: .+\)", footnote), \
        footnote


def test_warm_up_sets_are_shown_as_warm_up_in_the_plan(tmp_path: Path) -> None:
    f = tmp_path / "warm.yaml"
    f.write_text("name: Warm\nexercises:\n  - {name: Squats, sets: 2, reps: 5, warmup_sets: [{reps: 10}]}\n")
    code, out, _ = run("plan", str(f), "--estimate")
    assert code == 0
    assert re.search(r"Squats\s+warm-up\s+1 warm-up set, then 2 sets of 5 reps\.$", out, re.MULTILINE), out
    assert not re.search(r"Squats\s+0\s", out), "no set 0"


# ---------------------------------------------------------------- README promises, one by one

def _sessions_db(path: Path, routines: list[str]) -> None:
    """One finished session per name, a day apart, each with one set of 5 Squats and one of 8 Rows."""
    from datetime import datetime, timedelta

    from voicecoach.log.history import History
    from voicecoach.session.record import SetRecord
    for day, name in enumerate(routines):
        t = datetime(2026, 11, 2 + day, 7, 0, tzinfo=UTC)
        with History(path, now=lambda t=t: t) as h:  # type: ignore[misc]
            sid = h.start_session(name, f"{day:064d}", f"{name}.yaml", f"name: {name}\n")
            for step, (ex, reps) in enumerate([("Squats", 5), ("Rows", 8)]):
                h.record_set(sid, SetRecord(step, ex, 1, 1, None, reps, reps, None, None, "50 kg", False, False,
                                            t.isoformat(), (t + timedelta(seconds=30)).isoformat(), False))
            h.end_session(sid, "finished")


def test_history_limit_shows_only_the_newest_sessions(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    _sessions_db(db, ["First", "Second", "Third"])
    code, out, _ = run("--db", str(db), "history", "--json", "--limit", "2")
    assert code == 0 and [s["routine"] for s in json.loads(out)] == ["Third", "Second"]


def test_show_json_gives_the_session_and_its_sets(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    _sessions_db(db, ["Legs"])
    code, out, _ = run("--db", str(db), "show", "1", "--json")
    shown = json.loads(out)
    assert code == 0 and (shown["session"]["routine"], shown["session"]["outcome"]) == ("Legs", "finished")
    assert [(s["exercise"], s["done_reps"], s["load"]) for s in shown["sets"]] == [("Squats", 5, "50 kg"),
                                                                                  ("Rows", 8, "50 kg")]


def test_stats_exercise_charts_that_exercise_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    class Today(dt.date):
        @classmethod
        def today(cls) -> Today:
            return cls(2026, 11, 5)
    monkeypatch.setattr(dt, "date", Today)
    db = tmp_path / "h.db"
    _sessions_db(db, ["Legs"])
    code, out, _ = run("--db", str(db), "stats", "--exercise", "Rows", "--weeks", "2")
    assert code == 0 and out.splitlines()[0] == "Rows" and "Squats" not in out and "8 reps" in out


def test_debug_shows_the_traceback_instead_of_one_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("name: X\nexercises: []\n")
    plain = CliRunner().invoke(cli, ["check", str(f)])
    assert plain.exit_code == 2 and type(plain.exception).__name__ != "RoutineError"
    debug = CliRunner().invoke(cli, ["--debug", "plan", str(f), "--estimate"])
    assert type(debug.exception).__name__ == "RoutineError", "re-raised for its traceback"


def test_cache_path_prints_where_speech_is_cached(isolated_dirs: Path) -> None:
    code, out, _ = run("cache", "path")
    assert (code, out) == (0, f"{isolated_dirs / 'cache' / 'speech'}\n")


@pytest.mark.audio  # asks the real speech engine
def test_check_reports_an_unknown_voice_and_a_46_day_session_with_every_other_mistake(tmp_path: Path) -> None:
    f = tmp_path / "all.yaml"
    f.write_text("name: All\ndefaults:\n  voice: nosuch-voice\nexercises:\n"
                 "  - {name: A, reps: 5, sets: 1000000000000}\n"
                 "  - {name: B, sets: 100, hold: 4h}\n")
    code, out, err = run("check", str(f))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{f}:3:10: error: unknown voice 'nosuch-voice'; list them with: voicecoach voices",
        f"{f}:5:30: error: 'sets' must be at most 100, got 1000000000000",
        f"{f}:6:5: error: the session would last about 17 days by the end of this exercise; a session is at most "
        "24 hours (fewer sets, reps or rounds?)"]


def test_check_takes_a_bundled_routine_by_name_as_play_does() -> None:
    code, out, err = run("check", "tabata")
    assert (code, err) == (0, "") and out.startswith("tabata: ok (Tabata: 2 exercises, about 4 min)"), out


def test_a_negative_load_is_refused_at_its_line(tmp_path: Path) -> None:
    f = tmp_path / "neg.yaml"
    f.write_text("name: N\nexercises:\n  - name: Dips\n    reps: 5\n    load: -20 kg\n")
    code, _, err = run("check", str(f))
    assert (code, err) == (2, f"{f}:5:11: error: 'load' cannot be negative, got -20 kg; an assisted lift says "
                              "so in words, e.g. load: 20 kg of assistance\n")


def test_a_file_that_cannot_be_written_is_one_line_before_any_speech_is_made(isolated_dirs: Path) -> None:
    folder = isolated_dirs / "d.wav"
    folder.mkdir()
    a_file = isolated_dirs / "notes.txt"
    a_file.write_text("x")
    for target, why in [(folder, "it is a folder; give a file name in it"),
                        (isolated_dirs / "nowhere" / "x.wav", f"the folder {isolated_dirs / 'nowhere'} does not exist"),
                        (a_file / "x.wav", f"{a_file} is a file, not a folder"),
                        (Path("/proc/x.wav"), "no file can be made in that folder"),
                        (isolated_dirs / "x.mp3", "the extension must be .wav, .flac or .ogg")]:
        code, out, err = run("render", "tabata", "-o", str(target))
        assert (code, out, err) == (2, "", f"voicecoach: error: cannot write {target}: {why}\n")
    assert not (isolated_dirs / "cache" / "speech").exists(), "checked before a phrase was synthesized"
    code, _, err = run("new", "/proc/x.yaml")
    assert (code, err) == (2, "voicecoach: error: cannot write /proc/x.yaml: no file can be made in that folder\n")
    code, _, err = run("stats", "--png", str(folder))
    assert code in (0, 2) and "Traceback" not in err


def test_printed_counts_of_one_are_singular() -> None:
    from voicecoach.app.playing import Played
    assert Played(True, 48_000 * 61, 1, 48_000).summary() == "played 1:01, 1 underrun"
    assert Played(False, 48_000 * 5, 0, 48_000).summary() == "stopped after 0:05, 0 underruns"


def test_history_delete_asks_or_needs_yes_and_then_the_session_is_gone(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "h.db"
    _filled_db(db)
    code, _, err = run("--db", str(db), "history", "delete", "1")
    assert (code, err) == (2, "voicecoach: error: deleting session 1 needs --yes (there is no terminal to ask on)\n")
    import voicecoach.cli.log as log_commands
    monkeypatch.setattr(log_commands, "_can_ask", lambda: True)
    said_no = CliRunner().invoke(cli, ["--db", str(db), "history", "delete", "1"], input="n\n")
    assert said_no.exit_code == 0 and "Delete session 1 and its 3 sets? [y/N]" in said_no.output
    assert said_no.output.endswith("nothing deleted\n")
    said_yes = CliRunner().invoke(cli, ["--db", str(db), "history", "delete", "1"], input="y\n")
    assert said_yes.exit_code == 0 and "deleted session 1 (Legs and back, 2026-11-20 07:00 UTC)" in said_yes.output
    assert run("--db", str(db), "history")[1] == "no sessions yet: play one with `voicecoach play`\n"
    code, _, err = run("--db", str(db), "history", "delete", "1", "--yes")
    assert (code, err) == (2, "voicecoach: error: no session 1 (see: voicecoach history)\n")
