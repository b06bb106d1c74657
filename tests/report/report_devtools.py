"""Drive headless Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe): load
a page, then click and type in it as a person would, and read the page back. No extra package:
messages are NUL-terminated JSON on file descriptors 3 (to Chromium) and 4 (from it)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

from report_browser import _FLAGS, chromium


class Browser:
    def __init__(self, workdir: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        binary = chromium()
        assert binary, "chromium is not installed"
        cmd = [binary, *_FLAGS, "--remote-debugging-pipe", f"--user-data-dir={workdir / 'cdp'}"]
        cmd.append("about:blank")

        def fds() -> None:  # the pipe ends Chromium expects as fds 3 and 4
            # copies first, so that placing one end cannot overwrite the other
            reads, writes = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(reads, 3)
            os.dup2(writes, 4)

        self._proc = subprocess.Popen(
            cmd, preexec_fn=fds, pass_fds=(3, 4),  # 3 and 4 hold the pipe ends by then
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._id = 0
        self.console: list[str] = []
        self.session = ""

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session or self.session:
            message["sessionId"] = session or self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            reply = self._read()
            if reply.get("id") == self._id:
                assert "error" not in reply, reply
                return reply.get("result", {})
        raise TimeoutError(method)

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_child, 65536)
            assert chunk, "chromium closed the pipe"
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        event = json.loads(raw)
        if event.get("method") == "Runtime.consoleAPICalled":
            self.console.append(json.dumps(event["params"].get("args")))
        if event.get("method") == "Runtime.exceptionThrown":
            self.console.append(json.dumps(event["params"]["exceptionDetails"]))
        if event.get("method") == "Log.entryAdded":
            self.console.append(event["params"]["entry"].get("text", ""))
        return event

    def open(self, url: str) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send("Page.navigate", {"url": url})
        ready = "document.body && document.body.getAttribute('data-ready') === '1'"
        assert self.wait_for(ready, timeout=60), "the page never became ready"

    def evaluate(self, expression: str):
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                 "awaitPromise": True, "userGesture": True},
        )  # fmt: skip
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 10.0):
        """Poll ``expression`` until it is truthy (or ``timeout`` passes); an evaluation cut off
        by the page navigating away is tried again."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(expression)
            except AssertionError as exc:
                if "navigated or closed" not in str(exc):
                    raise
                value = None
            if value or time.monotonic() >= deadline:
                return value
            time.sleep(0.1)

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element (scrolled into view first)."""
        box = self.evaluate(
            f"(function(){{var el=document.querySelector({json.dumps(selector)});"
            "el.scrollIntoView({block:'center'});var r=el.getBoundingClientRect();"
            "return [r.left+r.width/2, r.top+r.height/2];})()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1],
                                                   "button": "left", "clickCount": 1})  # fmt: skip

    def type(self, text: str) -> None:
        self.send("Input.insertText", {"text": text})

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._proc.pid, signal.SIGKILL)
        self._proc.wait(timeout=30)
        os.close(self._to_child)
        os.close(self._from_child)
