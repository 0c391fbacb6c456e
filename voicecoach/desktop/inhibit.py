"""No sleep and no screen lock while a session plays: logind's inhibitor lock on the system bus and
the desktop's ScreenSaver inhibition on the session bus. The only user of those two services.

logind's `Inhibit("sleep:idle", ...)` returns a file descriptor: the lock lasts while it is open,
so it dies with the process whatever kills it. ScreenSaver's `Inhibit` returns a cookie given
back with `UnInhibit` (and its services forget a client that leaves the bus). A service that is
missing, or refuses (polkit), is not an error: the session plays as before (a --debug line).

Imports: jeepney (on the thread that takes the locks, after the first sound).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

WHY = "A workout is playing"
WHO = "voicecoach"
SCREENSAVER_PATHS = ("/org/freedesktop/ScreenSaver", "/ScreenSaver")
SCREENSAVER = "org.freedesktop.ScreenSaver"  # its bus name and its interface


class Inhibitor:
    """Holds the locks from `start` to `release` (idempotent; call it on every way out)."""

    def __init__(self, debug: Callable[[str], None] = lambda text: None) -> None:
        self.debug = debug
        self.sleep_fd: int | None = None          # logind's lock
        self.cookie: int | None = None            # ScreenSaver's
        self._session: Any = None                 # the connection the cookie belongs to
        self._screensaver_path: str | None = None
        self._lock = threading.Lock()
        self._released = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Take both locks on a thread (a slow bus never delays the session)."""
        self._thread = threading.Thread(target=self._take, name="voicecoach-inhibit", daemon=True)
        self._thread.start()

    def _take(self) -> None:
        from jeepney import DBusAddress, MessageType, new_method_call
        from jeepney.io.blocking import open_dbus_connection
        try:
            system = open_dbus_connection(bus="SYSTEM", enable_fds=True)
        except Exception as exc:
            self.debug(f"inhibit: no system bus ({exc})")
        else:
            try:
                logind = DBusAddress("/org/freedesktop/login1", bus_name="org.freedesktop.login1",
                                     interface="org.freedesktop.login1.Manager")
                reply = system.send_and_get_reply(new_method_call(logind, "Inhibit", "ssss",
                                                                  ("sleep:idle", WHO, WHY, "block")), timeout=5.0)
                if reply.header.message_type is MessageType.method_return:
                    with self._lock:
                        fd = reply.body[0].to_raw_fd()
                        if self._released:
                            os.close(fd)
                        else:
                            self.sleep_fd = fd
                    self.debug("inhibit: logind holds sleep and idle")
                else:
                    self.debug(f"inhibit: logind refused ({reply.body})")
            except Exception as exc:
                self.debug(f"inhibit: logind failed ({exc})")
            finally:
                system.close()
        try:
            session = open_dbus_connection(bus="SESSION")
        except Exception as exc:
            self.debug(f"inhibit: no session bus ({exc})")
            return
        try:
            for path in SCREENSAVER_PATHS:
                saver = DBusAddress(path, bus_name=SCREENSAVER, interface=SCREENSAVER)
                reply = session.send_and_get_reply(new_method_call(saver, "Inhibit", "ss", (WHO, WHY)), timeout=5.0)
                if reply.header.message_type is MessageType.method_return:
                    with self._lock:
                        if not self._released:
                            self.cookie, self._session, self._screensaver_path = int(reply.body[0]), session, path
                            self.debug("inhibit: the screen saver is held")
                            return
                    break
            self.debug("inhibit: no screen saver service")
        except Exception as exc:
            self.debug(f"inhibit: the screen saver failed ({exc})")
        session.close()

    def release(self) -> None:
        """Give both locks back (idempotent)."""
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5.0)  # a lock on its way is taken, then given back
        with self._lock:
            if self._released:
                return
            self._released = True
            fd, self.sleep_fd = self.sleep_fd, None
            cookie, session, path = self.cookie, self._session, self._screensaver_path
        if fd is not None:
            os.close(fd)
        if session is not None and cookie is not None and path is not None:
            from jeepney import DBusAddress, new_method_call
            saver = DBusAddress(path, bus_name=SCREENSAVER, interface=SCREENSAVER)
            try:
                session.send_and_get_reply(new_method_call(saver, "UnInhibit", "u", (cookie,)), timeout=2.0)
            except Exception as exc:
                self.debug(f"inhibit: UnInhibit failed ({exc}); leaving the bus releases it")
            finally:
                session.close()
