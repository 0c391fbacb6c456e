"""Where voicecoach keeps things: the user's config, cache, data and state directories (the XDG
rules on Linux, platformdirs elsewhere), each overridable by a VOICECOACH_*_DIR variable.

Imports: nothing from voicecoach; standard library only (platformdirs lazily, not on Linux).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "voicecoach"


def _user_dir(kind: str) -> Path:
    """The user's config, cache or data directory for voicecoach.

    On Linux the XDG Base Directory rules, read here: platformdirs' Linux module imports
    tempfile, shutil, bz2 and lzma (~13 ms, and first sound counts). Elsewhere platformdirs."""
    if sys.platform.startswith("linux"):
        env, default = _XDG[kind]
        base = os.environ.get(env, "")
        if not os.path.isabs(base):  # unset, empty or relative: the spec says to ignore it
            base = os.path.join(os.path.expanduser("~"), default)
        return Path(base) / APP
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP))


_XDG = {"config": ("XDG_CONFIG_HOME", ".config"), "cache": ("XDG_CACHE_HOME", ".cache"),
        "data": ("XDG_DATA_HOME", ".local/share"), "state": ("XDG_STATE_HOME", ".local/state")}


def config_dir() -> Path:
    """The user's config directory ($VOICECOACH_CONFIG_DIR, else $XDG_CONFIG_HOME/voicecoach or
    ~/.config/voicecoach)."""
    return Path(os.environ.get("VOICECOACH_CONFIG_DIR") or _user_dir("config"))


def cache_dir() -> Path:
    """Synthesized speech lives here ($VOICECOACH_CACHE_DIR, else $XDG_CACHE_HOME/voicecoach or ~/.cache/voicecoach)."""
    return Path(os.environ.get("VOICECOACH_CACHE_DIR") or _user_dir("cache"))


def data_dir() -> Path:
    """The training history lives here ($VOICECOACH_DATA_DIR, else $XDG_DATA_HOME/voicecoach or
    ~/.local/share/voicecoach)."""
    return Path(os.environ.get("VOICECOACH_DATA_DIR") or _user_dir("data"))


def state_dir() -> Path:
    """What must survive a crash to be undone (the journal of lowered music) lives here
    ($VOICECOACH_STATE_DIR, else $XDG_STATE_HOME/voicecoach or ~/.local/state/voicecoach)."""
    return Path(os.environ.get("VOICECOACH_STATE_DIR") or _user_dir("state"))
