"""A small progress bar on stderr (results stay on stdout)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, label: str, total: int, done: int = 0, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = total
        self.done = done
        self.start_done = done
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.tty = self.stream.isatty()
        self.last_shown = 0.0
        if done and enabled:
            self.stream.write(f"[{label}] resuming: {done}/{total} rows already done\n")

    def update(self, rows: int = 1) -> None:
        self.done += rows
        if not self.enabled:
            return
        now = time.perf_counter()
        finished = self.done >= self.total
        # a terminal redraws in place; a log gets a line at most every 10 s (and the last one)
        if not finished and now - self.last_shown < (0.2 if self.tty else 10.0):
            return
        self.last_shown = now
        elapsed = now - self.started
        rate = (self.done - self.start_done) / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        filled = int(24 * self.done / self.total) if self.total else 24
        bar = "#" * filled + "." * (24 - filled)
        line = f"[{self.label}] |{bar}| {self.done}/{self.total} rows  {elapsed:5.0f}s  eta {eta:4.0f}s"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if finished else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
