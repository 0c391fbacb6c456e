"""voicecoach: a voice-guided, hands-free strength workout player."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # read lazily: importlib.metadata costs ~35 ms at start-up, and first sound should be quick
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version
        try:
            return version("voicecoach")
        except PackageNotFoundError:  # a source tree that is not installed
            return "0.0.0"
    raise AttributeError(name)
