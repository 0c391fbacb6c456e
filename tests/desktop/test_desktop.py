"""The session on a desktop, through real parts: private dbus-daemons, the real `playerctl` as
media keys and headset buttons reach a player (MPRIS2), and a fake logind and ScreenSaver that
record what was inhibited and when it was given back, on every way out."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DATA, voicecoach_command
from desktop import Desktop, desktop
from soundserver import SoundServer, rms_db
from soundserver import sound_server as private_server

from voicecoach.log.history import History

pytestmark = pytest.mark.audio
SHORT = str(DATA / "short.yaml")
RATE = 48_000


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desktop]:
    with desktop(tmp_path) as d:
        yield d


def start_play(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*voicecoach_command(), "play", SHORT, *args], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class Lines:
    """The per-event lines of a running player, collected as they come."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self.heard_at: list[float] = []   # time.monotonic() when each line came
        import threading
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.heard_at.append(time.monotonic())
            self.lines.append(line)

    def first(self, text: str) -> float:
        """When the first line holding `text` came (inf if none)."""
        return next((at for line, at in zip(self.lines, self.heard_at) if text in line), float("inf"))

    def wait_for(self, text: str, timeout_s: float = 60) -> None:
        wait_until(lambda: any(text in line for line in self.lines), timeout_s)

    def close(self) -> None:
        self._thread.join(timeout=10)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()


def wait_until(check: object, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


# ---------------------------------------------------------------- MPRIS2 with playerctl

def test_playerctl_sees_and_controls_the_session(sound_server: SoundServer, audio_env: dict[str, str],
                                                 desk: Desktop, tmp_path: Path) -> None:
    env = {**audio_env, **desk.env, "VOICECOACH_DB": str(tmp_path / "h.db")}
    with sound_server.recording() as rec:
        proc = start_play(env)
        lines = Lines(proc)
        try:
            wait_until(lambda: desk.playerctl("-l") == "voicecoach")
            follow = subprocess.Popen(["playerctl", "-p", "voicecoach", "--follow", "metadata", "title"],
                                      env=env, stdout=subprocess.PIPE, text=True)
            assert desk.playerctl("-p", "voicecoach", "status") == "Playing"
            assert desk.playerctl("-p", "voicecoach", "metadata", "album") == "Short"
            wait_until(lambda: desk.playerctl("-p", "voicecoach", "metadata", "title") == "Squats, set 1 of 2")
            assert desk.playerctl("-p", "voicecoach", "metadata", "artist") == "voicecoach"
            desk.playerctl("-p", "voicecoach", "pause")
            wait_until(lambda: desk.playerctl("-p", "voicecoach", "status") == "Paused", 2)
            paused_at = time.monotonic()
            time.sleep(3)
            resumed_at = time.monotonic()
            desk.playerctl("-p", "voicecoach", "play")
            wait_until(lambda: desk.playerctl("-p", "voicecoach", "status") == "Playing", 2)
            wait_until(lambda: desk.playerctl("-p", "voicecoach", "metadata", "title") == "Squats, set 1 of 2")
            lines.wait_for("[go] Squats, set 1")
            desk.playerctl("-p", "voicecoach", "next")      # skip set 1: its rest leads to the last set
            wait_until(lambda: desk.playerctl("-p", "voicecoach", "metadata", "title") == "Squats, last set", 3)
            desk.playerctl("-p", "voicecoach", "next")      # skip the rest: straight to the last set
            lines.wait_for("[go] Squats, set 2")
            desk.playerctl("-p", "voicecoach", "next")      # skip the last set: on to the plank
            wait_until(lambda: desk.playerctl("-p", "voicecoach", "metadata", "title").startswith("Plank"), 3)
            desk.playerctl("-p", "voicecoach", "previous")  # in the rest: back to the set just done
            wait_until(lambda: desk.playerctl("-p", "voicecoach", "metadata", "title") == "Squats, last set", 3)
            stopped_at = time.monotonic()
            desk.playerctl("-p", "voicecoach", "stop")
            code = proc.wait(timeout=10)
            assert time.monotonic() - stopped_at < 2.0, "Stop ends the session within 2 s"
        finally:
            proc.kill()
            proc.wait()
            lines.close()
    assert code == 0
    follow.terminate()
    titles = [t for t in follow.communicate()[0].splitlines() if t]
    # each change seen as it happened: the skip, the plank, and back to the set before it
    assert titles == ["Squats, set 1 of 2", "Squats, last set", "Plank, set 1 of 1", "Squats, last set"]
    with History(tmp_path / "h.db") as h:
        assert [s.outcome for s in h.sessions()] == ["quit"]
    quiet = rec.samples[round((paused_at + 1.5 - rec.started) * RATE): round((resumed_at - rec.started) * RATE)]
    assert len(quiet) > RATE and rms_db(quiet) < -80, "silence while paused from the desktop"


THREE_SETS = """name: Three
defaults: {get_ready: 0s, rest: 6s, rest_after: 4s, tempo: 1-0-1-0}
exercises:
  - {name: Squats, sets: 3, reps: 3}
  - {name: Plank, hold: 4s}
"""


def test_a_following_client_is_told_each_new_title_before_its_set_begins(
        sound_server: SoundServer, audio_env: dict[str, str], desk: Desktop, tmp_path: Path) -> None:
    """What `playerctl --follow` shows (a widget, a watch) is told by PropertiesChanged alone: after
    Next in a set, after Previous in a rest, and when a set ends by itself."""
    routine = tmp_path / "three.yaml"
    routine.write_text(THREE_SETS)
    env = {**audio_env, **desk.env, "VOICECOACH_DB": str(tmp_path / "h.db")}
    proc = subprocess.Popen([*voicecoach_command(), "play", str(routine)], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = Lines(proc)
    follow = subprocess.Popen(["playerctl", "-p", "voicecoach", "--follow", "metadata", "title"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    titles = Lines(follow)
    try:
        wait_until(lambda: desk.playerctl("-l") == "voicecoach")
        lines.wait_for("[go] Squats, set 1")
        desk.playerctl("-p", "voicecoach", "next")        # in set 1: to the rest before set 2
        lines.wait_for("[go] Squats, set 2")
        lines.wait_for("Last set.")                       # set 2 ended by itself: the rest before set 3
        desk.playerctl("-p", "voicecoach", "previous")    # in that rest: back to set 2
        lines.wait_for("[go] Squats, set 2", 30)
        wait_until(lambda: sum("[go] Squats, set 2" in line for line in lines.lines) == 2, 30)
        lines.wait_for("[go] Squats, set 3", 60)
        desk.playerctl("-p", "voicecoach", "stop")
        assert proc.wait(timeout=10) == 0
    finally:
        proc.kill()
        proc.wait()
        lines.close()
        follow.terminate()
        follow.wait()
        titles.close()
    said = [line.strip() for line in titles.lines if line.strip()]
    assert said == ["Squats, set 1 of 3", "Squats, set 2 of 3", "Squats, last set", "Squats, set 2 of 3",
                    "Squats, last set"], said
    go = [at for line, at in zip(lines.lines, lines.heard_at) if "[go] Squats" in line]
    told = [at for line, at in zip(titles.lines, titles.heard_at) if line.strip()]
    assert told[1] < go[1], "after Next in set 1, set 2's title came before set 2 began"
    assert told[2] < go[2], "set 2 ended by itself: the last set's title came in the rest"
    assert told[3] < go[3], "after Previous in the rest, set 2's title came before set 2 began again"


def test_a_second_player_gets_an_instance_name(audio_env: dict[str, str], desk: Desktop) -> None:
    env = {**audio_env, **desk.env}
    first = start_play(env, "--start", "Plank")
    try:
        wait_until(lambda: desk.playerctl("-l") == "voicecoach")
        second = start_play(env, "--start", "Plank")
        try:
            wait_until(lambda: len(desk.playerctl("-l").split()) == 2)
            assert desk.playerctl("-l").split() == ["voicecoach", f"voicecoach.instance{second.pid}"]
        finally:
            second.kill()
            second.communicate()
    finally:
        first.kill()
        first.communicate()


def test_without_a_session_bus_it_plays_as_before_without_a_word(audio_env: dict[str, str], tmp_path: Path) -> None:
    env = {**audio_env, "DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus-here",
           "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus-here"}
    r = subprocess.run([*voicecoach_command(), "--debug", "play", SHORT, "--start", "Plank:1:left"], env=env,
                       capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert r.returncode == 0 and "debug: MPRIS: no session bus" in r.stderr
    assert [line for line in r.stderr.splitlines() if not line.startswith("debug: ")] == [], \
        "only --debug says why (one run: it plays the same with or without it)"


# ---------------------------------------------------------------- no sleep, no screen lock

def released_both(desk: Desktop) -> None:
    desk.wait_for("sleep released", timeout_s=10)
    desk.wait_for("screensaver released", timeout_s=10)


@pytest.mark.parametrize("how, status", [("Stop over MPRIS", 0), ("Ctrl-C", 130), ("SIGTERM", 143),
                                         ("SIGHUP", 129), ("SIGKILL", -9)])
def test_sleep_and_the_screen_saver_are_held_until_every_way_out(audio_env: dict[str, str], desk: Desktop,
                                                                 how: str, status: int) -> None:
    proc = start_play({**audio_env, **desk.env})
    try:
        (asked,) = desk.wait_for("sleep inhibited")
        assert (asked["what"], asked["who"], asked["why"], asked["mode"]) == \
            ("sleep:idle", "voicecoach", "A workout is playing", "block")
        assert desk.wait_for("screensaver inhibited")[0]["app"] == "voicecoach"
        assert not [e for e in desk.events() if "released" in e["event"]], "held while it plays"
        if how == "Stop over MPRIS":
            wait_until(lambda: desk.playerctl("-l") == "voicecoach")
            desk.playerctl("-p", "voicecoach", "stop")
        else:
            proc.send_signal({"Ctrl-C": signal.SIGINT, "SIGTERM": signal.SIGTERM, "SIGHUP": signal.SIGHUP,
                              "SIGKILL": signal.SIGKILL}[how])
        assert proc.wait(timeout=20) == status
        released_both(desk)
    finally:
        proc.kill()
        proc.communicate()
    released = [e for e in desk.events() if e["event"] == "screensaver released"][0]
    assert released["how"] == ("the caller left the bus" if how == "SIGKILL" else "UnInhibit")


def test_held_to_the_end_and_given_back(audio_env: dict[str, str], desk: Desktop) -> None:
    proc = start_play({**audio_env, **desk.env}, "--start", "Plank:1:left")
    desk.wait_for("sleep inhibited")
    proc.communicate(timeout=120)
    assert proc.returncode == 0
    released_both(desk)
    end = [e["t"] for e in desk.events() if "released" in e["event"]]
    assert len(end) == 2


def test_given_back_when_a_lost_output_is_given_up_on(audio_env: dict[str, str], desk: Desktop) -> None:
    with private_server() as server:
        env = {**audio_env, **desk.env,
               **{k: v for k, v in server.env.items() if k.startswith(("PULSE", "XDG_RUNTIME"))}}
        proc = start_play(env, "--device-wait", "1")
        try:
            desk.wait_for("screensaver inhibited")
            server.proc.send_signal(signal.SIGKILL)
            assert proc.wait(timeout=60) == 1
            out, err = proc.communicate()
            assert "The sound output went away" in out and "did not come back" in err
            assert err.rstrip().endswith("then go on with: voicecoach resume"), err
            released_both(desk)
        finally:
            proc.kill()


def test_no_inhibit_asks_for_nothing(audio_env: dict[str, str], desk: Desktop) -> None:
    r = subprocess.run([*voicecoach_command(), "play", SHORT, "--start", "Plank:1:left", "--no-inhibit"],
                       env={**audio_env, **desk.env}, capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 0
    assert [e["event"] for e in desk.events()] == ["ready"]


def test_given_back_when_q_quits_in_a_terminal(audio_env: dict[str, str], desk: Desktop) -> None:
    from test_live_pty import finish, in_pty
    with in_pty(["play", SHORT], {**audio_env, **desk.env}) as p:
        desk.wait_for("screensaver inhibited")
        p.wait_for("Rest")
        p.press(b"q")
        assert finish(p, 30) == 0
    released_both(desk)
