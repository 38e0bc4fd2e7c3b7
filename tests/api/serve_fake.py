"""Run the real app under uvicorn with a fake backend that can be slow and log its calls (for subprocess tests).

    python tests/api/serve_fake.py --port 8123 --db /tmp/jobs.sqlite3 --configs /tmp/configs [--delay 0.2] [--log calls.txt]

Writes `<configs>/slow_fake.yaml` and serves it; other settings come from BRIEF_* variables as usual.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import uvicorn

from service.api import create_app
from service.models.base import Generation, GenerationRequest
from service.models.fake import FakeBackend
from service.models.registry import register_backend
from service.settings import Settings

CONFIG = """\
id: slow_fake
licence: none (test double)
roles: [translate, headline, summary]
backend: slow_fake
weights: {source: local, path: /nonexistent}
context_length: 4096
chunk_tokens: 320
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--configs", type=Path, required=True)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds per model call")
    parser.add_argument("--log", type=Path, help="append 'pid<TAB>last user block' per model call")
    args = parser.parse_args()

    class SlowFakeBackend(FakeBackend):
        name = "slow_fake"

        def generate(self, request: GenerationRequest) -> Generation:
            if args.log is not None:
                content = (request.messages or [{"content": request.text or ""}])[-1]["content"].strip().split("\n\n")[-1]
                with args.log.open("a", encoding="utf-8") as log:
                    log.write(f"{os.getpid()}\t{' '.join(content.split())}\n")
            time.sleep(args.delay)
            return super().generate(request)

    register_backend("slow_fake", SlowFakeBackend)
    args.configs.mkdir(parents=True, exist_ok=True)
    (args.configs / "slow_fake.yaml").write_text(CONFIG, encoding="utf-8")
    guard = os.environ.get("BRIEF_GUARD", "off")  # the echo is no translation: hints would be echoed back
    settings = Settings(translate_config="slow_fake", model_configs_dir=args.configs, database_path=args.db, guard=guard)
    uvicorn.run(create_app(settings), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
