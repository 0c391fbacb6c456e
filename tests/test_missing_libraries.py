"""When PortAudio or espeak-ng is not installed: one line naming the Debian package, never a traceback.

The libraries are hidden from a real `voicecoach` process by a `sitecustomize` that makes
their lookups fail, as on a machine without libportaudio2 or libespeak-ng1.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import DATA, run_voicecoach

HIDE = '''
import ctypes, ctypes.util
hidden = {hidden!r}
_find, _load = ctypes.util.find_library, ctypes.cdll.LoadLibrary
ctypes.util.find_library = lambda name: None if any(h in name for h in hidden) else _find(name)
def _refuse(name, *a, **k):
    if any(h in str(name) for h in hidden):
        raise OSError(f"{{name}}: cannot open shared object file: No such file or directory")
    return _load(name, *a, **k)
ctypes.cdll.LoadLibrary = _refuse
'''


def without(hidden: str, tmp_path: Path, isolated_dirs: Path) -> dict[str, str]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(HIDE.format(hidden=[hidden]))
    return dict(os.environ, PYTHONPATH=str(site))


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


@pytest.mark.parametrize("command", [["devices"], ["play", str(DATA / "short.yaml")]])
def test_without_portaudio_the_message_names_libportaudio2(command: list[str], tmp_path: Path,
                                                           isolated_dirs: Path) -> None:
    r = run_voicecoach(command, without("portaudio", tmp_path, isolated_dirs), timeout_s=60)
    assert r.returncode == 1
    assert "apt-get install libportaudio2" in one_line(r.stderr)


def test_without_espeak_ng_the_message_names_espeak_ng(tmp_path: Path, isolated_dirs: Path) -> None:
    # a cold cache: the first phrase needs the engine
    r = run_voicecoach(["render", str(DATA / "short.yaml"), "-o", str(tmp_path / "x.wav")],
                       without("espeak", tmp_path, isolated_dirs), timeout_s=60)
    assert r.returncode == 1
    assert "apt-get install espeak-ng" in one_line(r.stderr)
    assert not (tmp_path / "x.wav").exists()


@pytest.mark.audio   # the slow tier: twelve cold plays
def test_without_portaudio_play_never_aborts_while_speech_is_still_being_rendered(tmp_path: Path,
                                                                                  isolated_dirs: Path) -> None:
    """The error comes while the speech worker still renders the rest of a long routine (a cold
    cache): run many times, it must always be the one line and exit status 1, never an abort."""
    import shutil
    env = without("portaudio", tmp_path, isolated_dirs)
    outcomes = []
    for _ in range(12):
        shutil.rmtree(isolated_dirs / "cache", ignore_errors=True)
        r = run_voicecoach(["play", "legs-and-back"], env, timeout_s=60)
        outcomes.append((r.returncode, len(r.stderr.strip().splitlines()), "terminate called" in r.stderr))
    assert outcomes == [(1, 1, False)] * 12


def test_a_failed_play_leaves_no_speech_worker_running(isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from click.testing import CliRunner

    from voicecoach.cli import cli
    monkeypatch.setenv("PULSE_SERVER", f"unix:{isolated_dirs}/no-server-here")
    result = CliRunner().invoke(cli, ["play", "legs-and-back", "--device", "no-such-device"])
    assert result.exit_code in (1, 2), result.output
    assert [t.name for t in threading.enumerate() if t.name == "voicecoach-speech"] == []
