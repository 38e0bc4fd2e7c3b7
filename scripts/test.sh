#!/usr/bin/env bash
# Set up (idempotent) and run the whole test suite, slow real-model tests included.
# Extra arguments go to pytest, e.g. `scripts/test.sh -m "not slow"`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/setup-browser.sh || echo "note: chromium install failed; the browser test will skip" >&2
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  # pytest's 5 means no test was collected: for this project that is a broken suite, not a pass.
  echo "error: pytest collected no tests (exit 5); the test suite is missing or mis-selected" >&2
  exit 1
fi
exit "$status"
