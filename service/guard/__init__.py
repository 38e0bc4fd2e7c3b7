"""Fact-guarded generation: hints before, verification after, bounded repair in between.

Modes (setting `guard`, option `--guard`): `off` (plain prompt, report only), `verify` (facts as
hints in the prompt, each chunk checked and flagged), `repair` (as verify, then bounded retries
keeping the candidate with the fewest fact issues).
"""

MAX_TRANSLATION_ATTEMPTS = 6
MAX_WRITING_CANDIDATES = 3
