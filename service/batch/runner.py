"""`brief batch` on Ray Data: checked rows → `map_batches(BriefWorker)` (one model per actor) → rows streamed to DIR.

The driver reads and checks the input (milliseconds a row), so it knows the total for the ETA, each
row's line number for errors, and which keys an earlier run finished. The model work (seconds a
row) runs in a pool of Ray actors, each loading the model once; on a cluster they spread over its
machines. Finished rows come back in input order and are appended to `briefs.jsonl` at once, so
a killed run loses only the rows in flight; rerunning with the same `--out` skips the rest.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, cast

from ..errors import BriefError
from ..guard import Guard
from ..pipeline.brief import BriefPipeline
from ..pipeline.options import Article, Kind, RunOptions
from ..settings import Settings
from .rows import InputRow, OutputFiles, brief_record, error_record, read_rows

log = logging.getLogger("service.batch")

PipelineFactory = Callable[[Settings], BriefPipeline]
MAX_ACTOR_RESTARTS = 2


class BatchWorkerError(BriefError):
    code = "worker_crashed"


class BriefWorker:
    """A Ray Data actor: builds and loads the pipeline once, then briefs one batch of rows per call."""

    def __init__(self, settings: Settings, guard: str | None, write: tuple[str, ...],
                 pipeline_factory: PipelineFactory | None = None) -> None:
        self.pipeline = (pipeline_factory or BriefPipeline.from_settings)(settings)
        self.pipeline.load()
        self.options = RunOptions(guard=Guard(guard) if guard is not None else None, write=tuple(cast(Kind, kind) for kind in write))

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        out = []
        for article, title in zip(batch["article"], batch["title"], strict=True):
            out.append(json.dumps(self.brief(str(article), title if isinstance(title, str) else None), ensure_ascii=False))
        return {"row": np.asarray(batch["row"]), "out": np.asarray(out, dtype=object)}

    def brief(self, article: str, title: str | None) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            result = self.pipeline.run(Article(article, title), self.options)
        except BriefError as error:
            return {"error": {"code": error.code, "message": error.message, "hint": error.hint}}
        except Exception as exc:  # one bad article must not stop the batch
            log.exception("brief failed")
            return {"error": {"code": "internal_error", "message": f"the model run failed ({type(exc).__name__}: {exc})",
                              "hint": "rerun the batch to retry it; if it persists, report it"}}
        return {"result": result.model_dump(mode="json"), "seconds": time.perf_counter() - started}


@dataclass
class BatchSummary:
    rows: int  # in the input
    skipped: int  # finished by an earlier run
    done: int  # briefed by this run
    failed: int  # error rows written by this run (bad input or a failed brief)
    fact_issues: int  # in this run's briefs
    seconds: float  # this run, start-up included
    briefs_per_second: float  # this run's rows / seconds
    out: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        return (f"{self.rows} rows: {self.done} briefed, {self.failed} failed, {self.skipped} already done; "
                f"{self.fact_issues} fact issue(s); {self.seconds:.1f} s, {self.briefs_per_second:.3f} rows/s → {self.out}")


class Progress:
    """`[  12/100]  12% · 0.21 rows/s · ETA 7m 10s · 1 failed` on stderr (redrawn on a terminal, a line every few seconds in logs)."""

    def __init__(self, total: int, already: int, stream: IO[str] | None = None, quiet: bool = False, every_s: float = 5.0) -> None:
        self.total, self.count, self.failed = total, already, 0
        self.already = already
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.every_s = every_s
        self.started = time.perf_counter()
        self.shown = 0.0
        self.tty = self.stream.isatty()

    def step(self, failed: bool) -> None:
        self.count += 1
        self.failed += failed
        now = time.perf_counter()
        if self.tty or now - self.shown >= self.every_s or self.count == self.total:
            self.shown = now
            self.show()

    def line(self) -> str:
        elapsed = time.perf_counter() - self.started
        processed = self.count - self.already
        rate = processed / elapsed if elapsed > 0 else 0.0
        remaining = self.total - self.count
        eta = _duration(remaining / rate) if rate > 0 else "?"
        width = len(str(self.total))
        percent = 100 * self.count // self.total if self.total else 100
        return (f"[{self.count:>{width}}/{self.total}] {percent:3d}% · {rate:.2f} rows/s · ETA {eta} · "
                f"{self.failed} failed")

    def show(self) -> None:
        if self.quiet:
            return
        if self.tty:
            self.stream.write("\r" + self.line() + ("\n" if self.count == self.total else ""))
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m {seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def plan_workers(local: bool, cpus: int, workers: int | None, cpus_per_worker: int | None) -> tuple[int, int]:
    """(actors, CPUs each). Local default: one actor using every core (llama.cpp threads scale within one engine
    better than engines share 2 cores). Cluster default: 2 CPUs an actor, as many actors as fit."""
    if cpus_per_worker is None:
        cpus_per_worker = max(1, cpus // (workers or 1)) if local else 2
    if workers is None:
        workers = 1 if local else max(1, cpus // cpus_per_worker)
    return workers, cpus_per_worker


def run_batch(
    input_path: Path,
    out_dir: Path,
    settings: Settings,
    *,
    guard: str | None = None,
    write: tuple[str, ...] = ("headline", "summary"),
    address: str | None = None,
    workers: int | None = None,
    cpus_per_worker: int | None = None,
    pipeline_factory: PipelineFactory | None = None,
    progress: IO[str] | None = None,
    quiet: bool = False,
) -> BatchSummary:
    """Brief every row of INPUT not yet in OUT_DIR; returns the summary (the files are in OUT_DIR)."""
    started = time.perf_counter()
    rows = read_rows(input_path)
    files = OutputFiles.open(out_dir)
    todo = [row for row in rows if row.key not in files.done]
    skipped = len(rows) - len(todo)
    bad_input = sum(1 for row in todo if row.error is not None)
    meter = Progress(len(rows), skipped + bad_input, progress, quiet)  # instant rows do not count towards the rate
    meter.failed = bad_input
    done = failed = issues = 0

    def record(row: InputRow, value: dict[str, Any], step: bool = True) -> None:
        nonlocal done, failed, issues
        files.append(value)
        if value["status"] == "done":
            done += 1
            issues += value["fact_issues"]
        else:
            failed += 1
        if step:
            meter.step(value["status"] != "done")

    for row in todo:
        if row.error is not None:
            record(row, error_record(row, row.error), step=False)
    runnable = [row for row in todo if row.error is None]
    if runnable:
        by_row = {row.row: row for row in runnable}
        for number, outcome in _briefs_on_ray(runnable, settings, guard, write, address, workers, cpus_per_worker, pipeline_factory):
            row = by_row[number]
            if "error" in outcome:
                record(row, error_record(row, outcome["error"]))
            else:
                record(row, brief_record(row, outcome["result"], outcome["seconds"]))
    files.finish()
    seconds = time.perf_counter() - started
    processed = done + failed
    return BatchSummary(len(rows), skipped, done, failed, issues, round(seconds, 2),
                        round(processed / seconds, 4) if seconds > 0 else 0.0, str(out_dir))


def _briefs_on_ray(rows: list[InputRow], settings: Settings, guard: str | None, write: tuple[str, ...], address: str | None,
                   workers: int | None, cpus_per_worker: int | None,
                   pipeline_factory: PipelineFactory | None) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yields (row number, outcome) in input order as the actors finish them."""
    from ..deploy.ray_cluster import cluster_cpus, connect

    started_here = connect(address)
    try:
        import ray
        from ray.data import DataContext

        logging.getLogger("ray.data").setLevel(logging.ERROR)  # our progress line replaces Ray Data's
        context = DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        local = not _remote(ray)
        actors, cpus = plan_workers(local, cluster_cpus(), workers, cpus_per_worker)
        actor_settings = settings if settings.threads else settings.model_copy(update={"threads": cpus})
        items = [{"row": r.row, "article": r.article, "title": r.title} for r in rows]
        dataset = ray.data.from_items(items, override_num_blocks=min(len(items), 1000))
        with warnings.catch_warnings():  # restarts have no named parameter yet in Ray 2.60 (pinned)
            warnings.filterwarnings("ignore", message=".*ray_remote_args.*is deprecated")
            briefs = dataset.map_batches(
                BriefWorker,
                fn_constructor_kwargs={"settings": actor_settings, "guard": guard, "write": write, "pipeline_factory": pipeline_factory},
                batch_size=1,
                batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=actors),
                num_cpus=cpus,
                max_restarts=MAX_ACTOR_RESTARTS,  # an actor that keeps dying (a crashing model) ends the run, not loops
                max_task_retries=MAX_ACTOR_RESTARTS,
            )
        try:
            for item in briefs.iter_rows():
                yield int(item["row"]), json.loads(item["out"])
        except ray.exceptions.RayError as exc:
            raise BatchWorkerError(
                f"a model worker died and did not recover ({type(exc).__name__}); the rows finished so far are kept",
                "rerun the same command to resume; if it dies again, check the Ray worker logs (/tmp/ray/session_latest/logs)",
            ) from exc
    finally:
        if started_here:
            import ray

            ray.shutdown()


def _remote(ray: Any) -> bool:
    """Whether the cluster has more than this machine (then the cluster default sizing applies)."""
    return len([node for node in ray.nodes() if node.get("Alive")]) > 1
