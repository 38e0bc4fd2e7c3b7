"""Start a server in a subprocess on a free loopback port and wait until it is ready."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`Server.fake(...)` runs tests/api/serve_fake.py; `Server.brief(...)` runs `brief serve` (the real model)."""

    def __init__(self, command: list[str], port: int, env: dict[str, str] | None = None, log: Path | None = None) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        out = log.open("ab") if log else subprocess.DEVNULL
        self.process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)

    @classmethod
    def fake(cls, tmp: Path, db: Path, delay: float = 0.0, calls: Path | None = None, port: int | None = None,
             env: dict[str, str] | None = None) -> Server:
        port = port or free_port()
        command = [sys.executable, str(HERE / "serve_fake.py"), "--port", str(port), "--db", str(db),
                   "--configs", str(tmp / "configs"), "--delay", str(delay)]
        if calls is not None:
            command += ["--log", str(calls)]
        return cls(command, port, env, tmp / "server.log")

    @classmethod
    def brief(cls, tmp: Path, env: dict[str, str] | None = None) -> Server:
        port = free_port()
        command = [sys.executable, "-c", "from service.cli import main; main()", "serve", "--host", "127.0.0.1", "--port", str(port)]
        return cls(command, port, {"BRIEF_DATABASE_PATH": str(tmp / "jobs.sqlite3"), **(env or {})}, tmp / "server.log")

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.tail()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"server not ready after {timeout} s: {self.tail()}")

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log and self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers run (a crash)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
