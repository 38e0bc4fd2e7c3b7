"""A backend that returns queued outputs: fast tests of everything around the model.

Never used unless a config or a test asks for `backend: fake`; its output is not a translation.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

from ..interrupt import check_interrupt
from .base import Backend, Generation, GenerationRequest

Responder = Callable[[GenerationRequest], str]


class FakeBackend(Backend):
    name = "fake"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue: deque[str] = deque()
        self.responder: Responder | None = None
        self.requests: list[GenerationRequest] = []
        self.token_seconds = 0.0  # > 0: "generate" word by word at this pace, like a slow real model

    def load(self) -> None:
        pass

    def enqueue(self, *outputs: str) -> None:
        self.queue.extend(outputs)

    def generate(self, request: GenerationRequest) -> Generation:
        self.ensure_loaded()
        check_interrupt()
        self.requests.append(request)
        if self.queue:
            text = self.queue.popleft()
        elif self.responder is not None:
            text = self.responder(request)
        else:
            text = _echo(request)
        if self.token_seconds > 0:
            for _ in text.split():  # checked after each "token", as the real backends' stopping criteria do
                time.sleep(self.token_seconds)
                check_interrupt()
        prompt = request.text or " ".join(m["content"] for m in request.messages or [])
        return Generation(text=text, prompt_tokens=self.count_tokens(prompt), completion_tokens=self.count_tokens(text), seconds=0.001)

    def count_tokens(self, text: str) -> int:
        return len(text.split())


def _echo(request: GenerationRequest) -> str:
    """Default: return the last block of the user's message (or the text) unchanged."""
    if request.text is not None:
        return request.text
    content = (request.messages or [{"content": ""}])[-1]["content"]
    return content.strip().split("\n\n")[-1]
