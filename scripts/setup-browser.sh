#!/usr/bin/env bash
# Debian's Chromium for the browser test (Playwright drives it; we never download a browser).
# Needs root (apt). Without it the browser test is skipped with a clear reason.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "note: not root or no apt-get: the browser test will be skipped (install chromium to run it)" >&2
  exit 0
fi
echo "==> installing Debian's chromium for the browser test" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
