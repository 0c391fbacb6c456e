"""A small Language Server Protocol client over stdio, for driving the real YAML language server."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

Message = dict[str, Any]


class LanguageServer:
    """A language server process spoken to in JSON-RPC with Content-Length framing."""

    def __init__(self, command: list[str], settings: Message) -> None:
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.settings = settings
        self.next_id = 0
        self.incoming: queue.Queue[Message] = queue.Queue()
        self.notifications: list[Message] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.incoming.put(json.loads(out.read(length)))

    def _send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Message) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Message, timeout_s: float = 30) -> Any:
        self.next_id += 1
        my_id = self.next_id
        self._send({"id": my_id, "method": method, "params": params})
        reply = self._wait(lambda m: m.get("id") == my_id and "method" not in m, timeout_s)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result")

    def wait_for_notification(self, accept: Callable[[Message], bool], timeout_s: float = 30) -> Message:
        for m in self.notifications:
            if accept(m):
                return m
        return self._wait(lambda m: "id" not in m and accept(m), timeout_s)

    def _wait(self, accept: Callable[[Message], bool], timeout_s: float) -> Message:
        deadline = time.monotonic() + timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the language server did not answer")
            m = self.incoming.get(timeout=left)
            if "method" in m and "id" in m:  # a request from the server: answer it
                self._answer(m)
            elif accept(m):
                return m
            elif "id" not in m:
                self.notifications.append(m)

    def _answer(self, m: Message) -> None:
        result: Any = None
        if m["method"] == "workspace/configuration":
            result = [self.settings.get(item.get("section", ""), None) for item in m["params"]["items"]]
        self._send({"id": m["id"], "result": result})

    def close(self) -> None:
        try:
            self.request("shutdown", {}, timeout_s=5)
            self.notify("exit", {})
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        finally:
            for pipe in (self.proc.stdin, self.proc.stdout):
                if pipe is not None:
                    pipe.close()
