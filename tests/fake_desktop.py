"""A stand-in for logind (on the system bus) and the desktop's ScreenSaver service (on the session
bus), for tests: it answers Inhibit as they do and writes what was asked and when it was given
back to a log, one JSON object a line. logind's lock is a pipe whose other end goes to the
caller: when every copy of it is closed (a release, or the process dying) the lock is gone.

Run: python fake_desktop.py LOG   (with DBUS_SYSTEM_BUS_ADDRESS and DBUS_SESSION_BUS_ADDRESS set)
"""

from __future__ import annotations

import json
import os
import select
import sys
import time
from typing import Any

from jeepney import HeaderFields, MessageType, new_error, new_method_call, new_method_return
from jeepney.bus_messages import MatchRule, message_bus
from jeepney.io.blocking import open_dbus_connection

LOG = open(sys.argv[1], "a", buffering=1)  # noqa: SIM115


def log(event: str, **more: Any) -> None:
    LOG.write(json.dumps({"event": event, "t": time.monotonic(), **more}) + "\n")


def own(conn: Any, name: str) -> None:
    reply = conn.send_and_get_reply(message_bus.RequestName(name, 4), timeout=5)
    assert reply.body[0] == 1, f"{name} is taken"


system = open_dbus_connection(bus="SYSTEM", enable_fds=True)
session = open_dbus_connection(bus="SESSION")
own(system, "org.freedesktop.login1")
own(session, "org.freedesktop.ScreenSaver")
rule = MatchRule(type="signal", sender="org.freedesktop.DBus", interface="org.freedesktop.DBus",
                 member="NameOwnerChanged")
session.send_and_get_reply(new_method_call(message_bus, "AddMatch", "s", (rule.serialise(),)), timeout=5)
locks: dict[int, str] = {}        # the read end of each logind lock -> who took it
cookies: dict[int, str] = {}      # ScreenSaver cookie -> the caller's bus name
next_cookie = 1
log("ready")


def handle_system(msg: Any) -> None:
    fields = msg.header.fields
    if msg.header.message_type is not MessageType.method_call:
        return
    if fields.get(HeaderFields.member) == "Inhibit":
        what, who, why, mode = msg.body
        read_end, write_end = os.pipe()
        locks[read_end] = who
        system.send(new_method_return(msg, "h", (write_end,)))
        os.close(write_end)
        log("sleep inhibited", what=what, who=who, why=why, mode=mode)
    else:
        system.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod"))


def handle_session(msg: Any) -> None:
    global next_cookie
    fields = msg.header.fields
    member = fields.get(HeaderFields.member)
    if msg.header.message_type is MessageType.signal and member == "NameOwnerChanged":
        name, _, new_owner = msg.body
        for cookie, owner in list(cookies.items()):
            if owner == name and not new_owner:
                del cookies[cookie]
                log("screensaver released", cookie=cookie, how="the caller left the bus")
        return
    if msg.header.message_type is not MessageType.method_call:
        return
    if member == "Inhibit":
        cookies[next_cookie] = fields.get(HeaderFields.sender)
        session.send(new_method_return(msg, "u", (next_cookie,)))
        log("screensaver inhibited", cookie=next_cookie, app=msg.body[0], why=msg.body[1])
        next_cookie += 1
    elif member == "UnInhibit":
        cookie = msg.body[0]
        if cookies.pop(cookie, None) is not None:
            log("screensaver released", cookie=cookie, how="UnInhibit")
        session.send(new_method_return(msg))
    else:
        session.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod"))


while True:
    ready, _, _ = select.select([system.sock, session.sock, *locks], [], [], 1.0)
    for r in ready:
        if r is system.sock or r is session.sock:
            conn, handle = (system, handle_system) if r is system.sock else (session, handle_session)
            while True:  # every message already read, not only the first
                try:
                    handle(conn.receive(timeout=0))
                except TimeoutError:
                    break
        elif not os.read(r, 1):  # every copy of the lock's other end is closed
            log("sleep released", who=locks.pop(r))
            os.close(r)
