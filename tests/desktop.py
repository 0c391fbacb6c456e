"""A desktop's D-Bus side for tests: private session and "system" buses (real dbus-daemons) and
the fake logind and ScreenSaver of fake_desktop.py on them, started and stopped by the tests."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


@contextmanager
def dbus_daemon() -> Iterator[str]:
    """A private message bus (the session configuration); yields its address."""
    proc = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    address = proc.stdout.readline().decode().strip()
    assert address.startswith("unix:"), "dbus-daemon did not start"
    try:
        yield address
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


@dataclass
class Desktop:
    env: dict[str, str]          # DBUS_SESSION_BUS_ADDRESS, DBUS_SYSTEM_BUS_ADDRESS
    log: Path

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def wait_for(self, event: str, count: int = 1, timeout_s: float = 30) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout_s
        while True:
            found = [e for e in self.events() if e["event"] == event]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"no {event!r} within {timeout_s} s; log: {self.events()}")
            time.sleep(0.02)

    def playerctl(self, *args: str, timeout_s: float = 10) -> str:
        r = subprocess.run(["playerctl", *args], env=self.env, capture_output=True, text=True, timeout=timeout_s)
        return r.stdout.strip()


@contextmanager
def desktop(tmp: Path, fake_services: bool = True) -> Iterator[Desktop]:
    """Two private buses and, on them, the fake logind and ScreenSaver."""
    with dbus_daemon() as session, dbus_daemon() as system:
        env = {"DBUS_SESSION_BUS_ADDRESS": session, "DBUS_SYSTEM_BUS_ADDRESS": system}
        log = tmp / "desktop.log"
        log.write_text("")
        d = Desktop(env, log)
        if not fake_services:
            yield d
            return
        import os
        proc = subprocess.Popen([sys.executable, str(HERE / "fake_desktop.py"), str(log)], env={**os.environ, **env})
        try:
            d.wait_for("ready", timeout_s=20)
            yield d
        finally:
            proc.terminate()
            proc.wait(timeout=10)
