"""voicecoach: a voice-guided, hands-free strength workout player."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("voicecoach")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
