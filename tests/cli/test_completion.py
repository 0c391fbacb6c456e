"""Shell completion through click's protocol: routines, voices and devices complete as a user expects."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import voicecoach_command

from voicecoach.cli import cli


def complete(words: str, env: dict[str, str] | None = None) -> list[str]:
    """What `voicecoach` offers for the last word of `words` (bash's protocol: "type,value" lines)."""
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    result = CliRunner().invoke(cli, [], prog_name="voicecoach", env={
        "_VOICECOACH_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword), **(env or {})})
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.output.splitlines() if line]


def test_a_routine_completes_to_the_bundled_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert complete("voicecoach play ta") == ["tabata"]
    assert complete("voicecoach plan st") == ["strength-pyramid", "stronglifts-5x5"]
    assert complete("voicecoach plan stre") == ["strength-pyramid"]
    assert {"legs-and-back", "tabata"} <= set(complete("voicecoach render "))


def test_a_routine_completes_to_yaml_files_and_folders_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mine.yaml").write_text("x")
    (tmp_path / "mixed.yml").write_text("x")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "more").mkdir()
    (tmp_path / ".hidden.yaml").write_text("x")
    monkeypatch.chdir(tmp_path)
    assert complete("voicecoach check m") == ["mine.yaml", "mixed.yml", "more/"]
    assert complete(f"voicecoach play {tmp_path}/") == [f"{tmp_path}/mine.yaml", f"{tmp_path}/mixed.yml",
                                                          f"{tmp_path}/more/"]
    assert complete("voicecoach play n") == []


@pytest.mark.audio  # asks the real speech engine
def test_voice_completes_to_the_engines_voices() -> None:
    offered = complete("voicecoach play --voice gmw/en-")
    assert "gmw/en-us" in offered and "gmw/en-gb-x-rp" in offered
    assert all(v.startswith("gmw/en-") for v in offered)


@pytest.mark.audio
def test_device_completes_to_the_sound_outputs(audio_env: dict[str, str]) -> None:
    env = {**os.environ, **audio_env, "_VOICECOACH_COMPLETE": "bash_complete",
           "COMP_WORDS": "voicecoach play --device pu", "COMP_CWORD": "3"}
    out = subprocess.run(voicecoach_command(), env=env, capture_output=True, text=True, timeout=60).stdout
    assert "plain,pulse" in out.splitlines()


def test_bash_really_completes_with_the_script_voicecoach_prints() -> None:
    """The README's line for ~/.bashrc, in a real bash."""
    bash = shutil.which("bash")
    assert bash
    script = subprocess.run([*voicecoach_command()], env={**os.environ, "_VOICECOACH_COMPLETE": "bash_source"},
                            capture_output=True, text=True, timeout=60, check=True).stdout
    shown = subprocess.run([bash, "-c", script + "\nCOMP_WORDS=(voicecoach play tab); COMP_CWORD=2; "
                            "_voicecoach_completion voicecoach; echo \"${COMPREPLY[@]}\""],
                           env={**os.environ, "PATH": f"{Path(voicecoach_command()[0]).parent}:{os.environ['PATH']}"},
                           capture_output=True, text=True, timeout=60).stdout
    assert shown.strip() == "tabata"


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_are_printed(shell: str) -> None:
    out = subprocess.run([*voicecoach_command()], env={**os.environ, "_VOICECOACH_COMPLETE": f"{shell}_source"},
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert "_VOICECOACH_COMPLETE" in out and f"{shell}_complete" in out
