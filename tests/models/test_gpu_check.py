"""scripts/gpu_check.py runs its tiny CPU mode with nothing of the project but the batching leaf module."""

from __future__ import annotations

import json
import subprocess
import sys

from service.settings import PROJECT_ROOT

# What the GPU machine lacks: the project's other modules and its web/config dependencies.
BLOCK_IMPORTS = """
import runpy, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        allowed = {"service", "service.models", "service.models.continuous_batching"}
        if name.split(".")[0] in {"pydantic", "fastapi", "starlette"} or (name.startswith("service") and name not in allowed):
            raise ImportError(f"blocked on the GPU machine: {name}")
sys.meta_path.insert(0, Block())
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_gpu_check_tiny_on_cpu(tmp_path):
    out = tmp_path / "gpu_check.json"
    run = subprocess.run(
        [sys.executable, "-c", BLOCK_IMPORTS, str(PROJECT_ROOT / "scripts" / "gpu_check.py"), "--device", "cpu", "--tiny", str(out)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    env = report["environment"]
    assert env["device"] == "cpu" and env["dtype"] == "float32" and env["tiny"] is True
    assert {"torch", "transformers", "python", "device_name", "continuous_batching_api"} <= set(env)
    rows = {(r["model"], r["engine"], r["batch"]): r for r in report["results"]}
    expected = {
        (model, engine, batch)
        for model, engine in (("qwen2-tiny", "generate"), ("qwen2-tiny", "continuous"), ("marian-tiny", "generate"))
        for batch in (1, 2, 4)
    }
    assert set(rows) == expected
    for (_, _, batch), row in rows.items():
        assert row["generated_tokens"] == batch * 8  # EOS off: every request runs to --new-tokens
        assert row["tok_s"] > 0
        assert batch == 1 or row["ratio_to_batch_1"] > 0
    assert report["continuous_vs_generate_same_leading_tokens"] == "8/8"  # greedy: the engine decodes what generate does
    assert "tok/s" in run.stderr  # the human-readable table


def test_gpu_check_says_when_there_is_no_gpu(tmp_path):
    import torch

    if torch.cuda.is_available():
        return
    run = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "gpu_check.py"), "--tiny"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode != 0 and "no CUDA device: run with --device cpu" in run.stderr
