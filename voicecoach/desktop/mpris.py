"""MPRIS2 on the D-Bus session bus: media keys, headset buttons, desktop widgets and `playerctl`
see the session as a player and control it. The only D-Bus (jeepney) user for media control.

A source and an observer, nothing more: method calls become the session's own `Key`s (handed
to the live loop through `send_key`), and what is published is read from the same `View` the
screen draws. One thread owns the bus connection: it answers calls and sends PropertiesChanged
whenever status or metadata change (desktop widgets cache properties: a missing signal shows
stale text). Without a session bus, or when it refuses us, nothing happens (a --debug line).

Imports: jeepney (on the thread, after the first sound), voicecoach.session.machine, voicecoach.session.view.
"""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Callable
from typing import Any, NamedTuple

from voicecoach.session.machine import Key
from voicecoach.session.view import View

NAME = "org.mpris.MediaPlayer2.voicecoach"
PATH = "/org/mpris/MediaPlayer2"
ROOT = "org.mpris.MediaPlayer2"
PLAYER = "org.mpris.MediaPlayer2.Player"
PROPERTIES = "org.freedesktop.DBus.Properties"
INTROSPECTABLE = "org.freedesktop.DBus.Introspectable"
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"

# MPRIS methods and what the keys do (space, n, p, q confirmed)
METHOD_KEYS = {"PlayPause": Key.PAUSE, "Play": Key.PLAY, "Pause": Key.HOLD, "Next": Key.NEXT,
               "Previous": Key.BACK, "Stop": Key.STOP}


class MediaState(NamedTuple):
    """What a media player shows of the session."""

    status: str           # "Playing" or "Paused"
    title: str            # "Squats, set 2 of 3"
    album: str            # the routine's name
    track: str            # an object path per set
    position_us: int
    length_us: int


def media_state(view: View) -> MediaState:
    """The session as a media player shows it, read from the screen's `View`. Pure."""
    label = view.set_label[:1].lower() + view.set_label[1:]
    title = f"{view.exercise}, {label}" if view.exercise and label else (view.exercise or view.routine)
    track = f"/org/voicecoach/set/{view.step}" if view.step is not None else NO_TRACK
    return MediaState("Paused" if view.paused else "Playing", title, view.routine, track,
                      round(view.elapsed_s * 1e6), round((view.elapsed_s + view.remaining_s) * 1e6))


def _signalled(state: MediaState) -> tuple[Any, ...]:
    """What PropertiesChanged is sent for: the status and the metadata (never the position)."""
    return state.status, state.title, state.album, state.track, state.length_us


def metadata(state: MediaState) -> dict[str, tuple[str, Any]]:
    """`Metadata` as D-Bus variants: a{sv}."""
    return {"mpris:trackid": ("o", state.track), "mpris:length": ("x", state.length_us),
            "xesam:title": ("s", state.title), "xesam:album": ("s", state.album),
            "xesam:artist": ("as", ["voicecoach"])}


def root_properties() -> dict[str, tuple[str, Any]]:
    return {"Identity": ("s", "voicecoach"), "CanQuit": ("b", False), "CanRaise": ("b", False),
            "HasTrackList": ("b", False), "SupportedUriSchemes": ("as", []), "SupportedMimeTypes": ("as", []),
            "DesktopEntry": ("s", "voicecoach")}


def player_properties(state: MediaState) -> dict[str, tuple[str, Any]]:
    return {"PlaybackStatus": ("s", state.status), "LoopStatus": ("s", "None"), "Rate": ("d", 1.0),
            "Shuffle": ("b", False), "Metadata": ("a{sv}", metadata(state)), "Volume": ("d", 1.0),
            "Position": ("x", state.position_us), "MinimumRate": ("d", 1.0), "MaximumRate": ("d", 1.0),
            "CanGoNext": ("b", True), "CanGoPrevious": ("b", True), "CanPlay": ("b", True),
            "CanPause": ("b", True), "CanSeek": ("b", False), "CanControl": ("b", True)}


INTROSPECTION = """<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
 <interface name="org.freedesktop.DBus.Introspectable"><method name="Introspect">
  <arg name="xml" type="s" direction="out"/></method></interface>
 <interface name="org.freedesktop.DBus.Properties">
  <method name="Get"><arg type="s" direction="in"/><arg type="s" direction="in"/>
   <arg type="v" direction="out"/></method>
  <method name="GetAll"><arg type="s" direction="in"/><arg type="a{sv}" direction="out"/></method>
  <method name="Set"><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="v" direction="in"/></method>
  <signal name="PropertiesChanged"><arg type="s"/><arg type="a{sv}"/><arg type="as"/></signal>
 </interface>
 <interface name="org.mpris.MediaPlayer2">
  <method name="Raise"/><method name="Quit"/>
  <property name="CanQuit" type="b" access="read"/><property name="CanRaise" type="b" access="read"/>
  <property name="HasTrackList" type="b" access="read"/><property name="Identity" type="s" access="read"/>
  <property name="DesktopEntry" type="s" access="read"/>
  <property name="SupportedUriSchemes" type="as" access="read"/>
  <property name="SupportedMimeTypes" type="as" access="read"/>
 </interface>
 <interface name="org.mpris.MediaPlayer2.Player">
  <method name="Next"/><method name="Previous"/><method name="Pause"/><method name="PlayPause"/>
  <method name="Stop"/><method name="Play"/>
  <method name="Seek"><arg name="Offset" type="x" direction="in"/></method>
  <method name="SetPosition"><arg name="TrackId" type="o" direction="in"/>
   <arg name="Position" type="x" direction="in"/></method>
  <method name="OpenUri"><arg name="Uri" type="s" direction="in"/></method>
  <signal name="Seeked"><arg name="Position" type="x"/></signal>
  <property name="PlaybackStatus" type="s" access="read"/><property name="LoopStatus" type="s" access="readwrite"/>
  <property name="Rate" type="d" access="readwrite"/><property name="Shuffle" type="b" access="readwrite"/>
  <property name="Metadata" type="a{sv}" access="read"/><property name="Volume" type="d" access="readwrite"/>
  <property name="Position" type="x" access="read"/><property name="MinimumRate" type="d" access="read"/>
  <property name="MaximumRate" type="d" access="read"/><property name="CanGoNext" type="b" access="read"/>
  <property name="CanGoPrevious" type="b" access="read"/><property name="CanPlay" type="b" access="read"/>
  <property name="CanPause" type="b" access="read"/><property name="CanSeek" type="b" access="read"/>
  <property name="CanControl" type="b" access="read"/>
 </interface>
</node>
"""


class MprisServer:
    """The session as an MPRIS2 player, on a thread of its own (see the module's docstring)."""

    def __init__(self, send_key: Callable[[Key], None], debug: Callable[[str], None] = lambda text: None,
                 position_s: Callable[[], float] | None = None) -> None:
        """`position_s`: the session's time now, read when a client asks for Position."""
        self.send_key = send_key
        self.position_s = position_s
        self.debug = debug
        self.name: str | None = None          # the bus name we own, once registered
        self._state: MediaState | None = None  # what the bus was last told
        self._latest: MediaState | None = None  # what the session is now
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = os.pipe()  # wakes the thread for a change or the end
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, view: View) -> None:
        """Register on the session bus (on the thread, so it costs the caller nothing)."""
        self._state = self._latest = media_state(view)
        self._thread = threading.Thread(target=self._run, name="voicecoach-mpris", daemon=True)
        self._thread.start()

    def update(self, view: View) -> None:
        """Publish the session as it is now: the thread is woken only when status or metadata
        changed (the position is read when asked for); at rest it sleeps."""
        state = media_state(view)
        with self._lock:
            before, self._latest = self._latest, state
        if before is None or _signalled(state) != _signalled(before):
            os.write(self._wake_w, b"!")

    def close(self) -> None:
        """Leave the bus (the name is released with the connection)."""
        self._stop.set()
        os.write(self._wake_w, b"!")
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2.0)
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)

    # --- the bus thread
    def _run(self) -> None:
        try:
            from jeepney.io.blocking import open_dbus_connection
            conn = open_dbus_connection(bus="SESSION")
        except Exception as exc:  # no bus, no address, refused: play on as before
            self.debug(f"MPRIS: no session bus ({exc})")
            return
        try:
            if not self._register(conn):
                return
            while not self._stop.is_set():
                ready, _, _ = select.select([conn.sock, self._wake_r], [], [])
                if self._wake_r in ready:
                    os.read(self._wake_r, 4096)
                    self._publish(conn)
                while True:  # every message already read, not only the first
                    try:
                        msg = conn.receive(timeout=0)
                    except TimeoutError:
                        break
                    self._handle(conn, msg)
        except Exception as exc:  # the bus went away: the session plays on
            self.debug(f"MPRIS: stopped ({exc})")
        finally:
            conn.close()

    def _register(self, conn: Any) -> bool:
        from jeepney.bus_messages import message_bus
        for name in (NAME, f"{NAME}.instance{os.getpid()}"):
            reply = conn.send_and_get_reply(message_bus.RequestName(name, 4), timeout=2.0)  # DO_NOT_QUEUE
            if reply.body and reply.body[0] in (1, 4):  # primary owner, or already ours
                self.name = name
                self.debug(f"MPRIS: registered as {name}")
                return True
        self.debug("MPRIS: the bus refused our names")
        return False

    def _publish(self, conn: Any) -> None:
        """Send PropertiesChanged for what changed since the last time (Position is never signalled)."""
        with self._lock:
            latest = self._latest
        if latest is None or self._state is None:
            return
        before, self._state = self._state, latest
        changed: dict[str, tuple[str, Any]] = {}
        if latest.status != before.status:
            changed["PlaybackStatus"] = ("s", latest.status)
        if (latest.title, latest.album, latest.track, latest.length_us) != \
                (before.title, before.album, before.track, before.length_us):
            changed["Metadata"] = ("a{sv}", metadata(latest))
        if changed:
            from jeepney import DBusAddress, new_signal
            emitter = DBusAddress(PATH, interface=PROPERTIES)
            conn.send(new_signal(emitter, "PropertiesChanged", "sa{sv}as", (PLAYER, changed, [])))

    def _handle(self, conn: Any, msg: Any) -> None:
        from jeepney import HeaderFields, MessageType, new_error, new_method_return
        header = msg.header
        if header.message_type is not MessageType.method_call:
            return
        member = header.fields.get(HeaderFields.member)
        interface = header.fields.get(HeaderFields.interface)
        if header.fields.get(HeaderFields.path) != PATH:
            conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownObject"))
            return
        with self._lock:
            state = self._latest
        assert state is not None
        if self.position_s is not None:
            state = state._replace(position_us=round(self.position_s() * 1e6))
        if interface == INTROSPECTABLE and member == "Introspect":
            conn.send(new_method_return(msg, "s", (INTROSPECTION,)))
        elif interface == PROPERTIES and member in ("Get", "GetAll"):
            which = msg.body[0]
            props = root_properties() if which == ROOT else player_properties(state) if which == PLAYER else None
            if props is None:
                conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownInterface", "s", (str(which),)))
            elif member == "GetAll":
                conn.send(new_method_return(msg, "a{sv}", (props,)))
            elif msg.body[1] in props:
                conn.send(new_method_return(msg, "v", (props[msg.body[1]],)))
            else:
                conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownProperty", "s", (str(msg.body[1]),)))
        elif interface == PROPERTIES and member == "Set":  # Rate, Volume, Shuffle, LoopStatus: fixed
            conn.send(new_method_return(msg))
        elif interface in (PLAYER, None) and member in METHOD_KEYS:
            self.send_key(METHOD_KEYS[member])
            conn.send(new_method_return(msg))
        elif interface in (PLAYER, ROOT, None) and member in ("Seek", "SetPosition", "OpenUri", "Raise", "Quit"):
            conn.send(new_method_return(msg))  # CanSeek, CanRaise and CanQuit are false: nothing to do
        else:
            conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (str(member),)))
