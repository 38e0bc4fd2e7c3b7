"""Saved KV states of earlier prompts, so a prompt that shares a long prefix with any of them
skips recomputing that prefix.

llama.cpp keeps one live KV state per sequence; llama-cpp-python reuses the longest prefix the next
prompt shares with it. That is enough while calls follow one another on the same prefix, but a
pipeline interleaves prefixes (a guard retry without context, the headline after the translation,
the next article): each detour would throw the live state away. This store keeps the states that
would be lost, copied out of the context (llama.cpp's per-sequence state API: KV cells only, about
28 KB per token for a 1.5B model), and hands back the one that covers most of a new prompt.

Pure bookkeeping: what a state holds (`payload`) and how it is copied in and out is the backend's
business, so the policy is tested without a model.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Restoring a saved state costs a memory copy; below this many extra reused tokens it does not pay.
MIN_GAIN_TOKENS = 16
# A live state shorter than this is not worth keeping when a prompt is about to overwrite it.
MIN_SAVE_TOKENS = 48


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):  # the shorter sequence bounds the common prefix
        if x != y:
            break
        n += 1
    return n


@dataclass
class SavedState:
    tokens: tuple[int, ...]
    payload: Any
    nbytes: int


class PrefixStates:
    """Up to `max_states` saved states within `max_bytes`, least recently used dropped first."""

    def __init__(self, max_states: int = 8, max_bytes: int = 512 * 2**20) -> None:
        self.max_states = max_states
        self.max_bytes = max_bytes
        self._states: OrderedDict[tuple[int, ...], SavedState] = OrderedDict()
        self.restores = 0
        self.saves = 0

    def __len__(self) -> int:
        return len(self._states)

    @property
    def nbytes(self) -> int:
        return sum(s.nbytes for s in self._states.values())

    def best(self, tokens: Sequence[int]) -> tuple[SavedState | None, int]:
        """The saved state sharing the longest prefix with `tokens`, and that length."""
        best, length = None, 0
        for state in self._states.values():
            n = common_prefix(state.tokens, tokens)
            if n > length:
                best, length = state, n
        if best is not None:
            self._states.move_to_end(best.tokens)
        return best, length

    def should_save(self, live: Sequence[int], prompt: Sequence[int]) -> bool:
        """Keep the live state before `prompt` overwrites most of it, unless a saved one covers it."""
        if len(live) < MIN_SAVE_TOKENS or self.max_states == 0:
            return False
        if common_prefix(live, prompt) >= len(live) // 2:
            return False  # the prompt extends (most of) it: the live state lives on
        live_t = tuple(live)
        return not any(state.tokens[: len(live_t)] == live_t for state in self._states.values())

    def should_restore(self, live_reuse: int, saved_reuse: int) -> bool:
        return saved_reuse >= live_reuse + MIN_GAIN_TOKENS

    def add(self, tokens: Sequence[int], payload: Any, nbytes: int) -> None:
        key = tuple(tokens)
        # A saved state that is a prefix of the new one is redundant: the new one covers it.
        for old in [k for k in self._states if key[: len(k)] == k]:
            del self._states[old]
        self._states[key] = SavedState(key, payload, nbytes)
        self.saves += 1
        while self._states and (len(self._states) > self.max_states or self.nbytes > self.max_bytes):
            self._states.popitem(last=False)

    def clear(self) -> None:
        self._states.clear()
