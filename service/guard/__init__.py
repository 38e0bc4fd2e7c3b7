"""Fact-guarded generation: hints before, verification after, bounded repair in between.

Modes (`Guard`; setting `guard`, option `--guard`): `off` (plain prompt, report only), `verify`
(facts as hints in the prompt, each chunk checked and flagged), `repair` (as verify, then
bounded retries keeping the candidate with the fewest fact issues).

The pipeline hands its one-call `attempt` functions to a `GuardPolicy` (guard/policy.py), the
way httpx hands requests to a transport: imports run pipeline → guard, never back.
"""

from enum import StrEnum


class Guard(StrEnum):
    """How hard the pipeline works to keep every fact: `off`, `verify` or `repair`."""

    OFF = "off"
    VERIFY = "verify"
    REPAIR = "repair"


__all__ = ["Guard"]
