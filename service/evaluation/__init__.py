"""The eval suite behind `brief eval`: the same pipeline the API calls, scored and signed.

    results = run_suite("translation", settings, EvalOptions(data=path, out=out_dir, limit=40))
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..settings import Settings
from .compare import compare_runs, write_comparison
from .data import DataError, Dataset, load_dataset
from .signature import ResumeError
from .suites import SUITES, EvalOptions, Suite, fitting


def run_suite(name: str, settings: Settings, options: EvalOptions) -> dict[str, Any]:
    """Run one suite (or `all`: each suite that fits the data, in `OUT/<suite>/`)."""
    if name != "all":
        if name not in SUITES:
            raise DataError(f"unknown suite '{name}'", f"choose one of: {', '.join([*SUITES, 'all'])}")
        return SUITES[name](settings, options).run()
    dataset = load_dataset(options.data)
    names = fitting(dataset, options.limit)
    if not names:
        raise DataError(f"no suite fits the rows of {dataset.name}", "see eval/README.md for the row formats each suite takes")
    runs = {n: SUITES[n](settings, replace(options, out=options.out / n), dataset).run() for n in names}
    return {"suite": "all", "suites": names, "runs": runs, "headline": {"suite": "all", "suites": {n: r["headline"] for n, r in runs.items()}}}


__all__ = [
    "SUITES",
    "DataError",
    "Dataset",
    "EvalOptions",
    "ResumeError",
    "Suite",
    "compare_runs",
    "fitting",
    "load_dataset",
    "run_suite",
    "write_comparison",
]
