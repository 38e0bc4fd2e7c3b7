"""Cooperative interruption of a run: a deadline or a cancel is acted on inside the work, not after it.

Whoever runs work that may have to stop (the API's model worker) wraps it in `interruptible(check)`,
where `check()` raises once the work must end (timed out, cancelled, shutting down). Model backends
call `check_interrupt()` before every generation and after every generated token (llama.cpp and
transformers through a stopping criterion), so a stop takes effect within one token, not after the
whole article. Outside `interruptible` (the CLI, the eval suite) `check_interrupt()` does nothing.

A leaf module: it imports nothing from the project, so every layer may use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Check = Callable[[], None]

_current: ContextVar[Check | None] = ContextVar("brief_interrupt_check", default=None)


@contextmanager
def interruptible(check: Check) -> Iterator[None]:
    """Within this block, `check_interrupt()` calls `check` (which raises to stop the work)."""
    token = _current.set(check)
    try:
        yield
    finally:
        _current.reset(token)


def interrupt_active() -> bool:
    """Whether the current run can be interrupted (backends add their per-token hook only then)."""
    return _current.get() is not None


def check_interrupt() -> None:
    """Raise if the current run must stop; a no-op outside `interruptible`."""
    check = _current.get()
    if check is not None:
        check()
