"""Where voicecoach keeps things: the XDG directories, as platformdirs would give them on Linux."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from voicecoach.config import cache_dir, config_dir, data_dir

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rules are Linux's")


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
