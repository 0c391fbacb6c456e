"""voicecoach: a voice-guided, hands-free strength workout player."""

from __future__ import annotations

import os

# voicecoach never multiplies matrices: one BLAS thread makes numpy's import ~25 ms quicker
# (first sound counts) and leaves no idle threads; a user's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def __getattr__(name: str) -> str:
    # read lazily: importlib.metadata costs ~35 ms at start-up, and first sound should be quick
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version
        try:
            return version("voicecoach")
        except PackageNotFoundError:  # a source tree that is not installed
            return "0.0.0"
    raise AttributeError(name)
