"""Run `run_batch` on the test session's Ray with a fake backend that can be slow and log its calls.

    python tests/batch/slow_batch.py INPUT OUT --address GCS --configs DIR [--delay 0.3] [--log calls.txt]

The fake backend is built by a pipeline factory shipped to the Ray actors by value (they cannot
import the tests package). Each call appends 'pid<TAB>last user block' to --log.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from service.batch import run_batch
from service.models.base import Generation, GenerationRequest
from service.models.config import load_model_config
from service.models.fake import FakeBackend
from service.pipeline.brief import BriefPipeline
from service.settings import Settings


def slow_factory(delay: float, log: str | None):  # type: ignore[no-untyped-def]
    class SlowFakeBackend(FakeBackend):
        def generate(self, request: GenerationRequest) -> Generation:
            if log is not None:
                content = (request.messages or [{"content": request.text or ""}])[-1]["content"].strip().split("\n\n")[-1]
                with open(log, "a", encoding="utf-8") as file:
                    file.write(f"{os.getpid()}\t{' '.join(content.split())}\n")
            time.sleep(delay)
            return super().generate(request)

    def factory(settings: Settings) -> BriefPipeline:
        backend = SlowFakeBackend(load_model_config(settings.model_configs_dir, "fake"), settings)
        return BriefPipeline(settings, backend, backend)

    return factory


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("input", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--address", required=True)
    parser.add_argument("--configs", type=Path, required=True)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--log")
    args = parser.parse_args()
    from ray import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    settings = Settings(translate_config="fake", model_configs_dir=args.configs, guard="off", _env_file=None)
    summary = run_batch(args.input, args.out, settings, address=args.address, workers=1, cpus_per_worker=1,
                        pipeline_factory=slow_factory(args.delay, args.log))
    print(summary.describe())


if __name__ == "__main__":
    main()
