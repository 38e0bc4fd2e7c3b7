#!/usr/bin/env bash
# Set up (idempotent) and write the English brief of the seed article (or the project's sample).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
article=${1:-../shared/seeds/000_fd4f438c24bf3718.txt}
[ -f "$article" ] || article=samples/articolo_esempio.txt
echo "==> brief run $article" >&2
.venv/bin/brief run "$article" --format markdown
