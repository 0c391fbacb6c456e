"""Running the suite never touches the person's own files: their config, speech cache and training log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.mark.audio   # the slow tier: it runs a part of the suite again
def test_a_run_of_the_suite_leaves_the_persons_home_untouched(tmp_path: Path) -> None:
    """The tests that plan, play back history and write files, run as a person would run them: with
    HOME and no XDG variables set. Their home must be exactly as it was: empty."""
    home = tmp_path / "a-person"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "VOICECOACH_", "MPLCONFIGDIR"))}
    env["HOME"] = str(home)
    r = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-m", "not audio",
                        "-k", "not hermetic", "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"),
                        str(ROOT / "tests/cli/test_cli.py"), str(ROOT / "tests/app/test_config.py"),
                        str(ROOT / "tests/log/test_stats.py")],
                       env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert sorted(str(p.relative_to(home)) for p in home.rglob("*")) == []
