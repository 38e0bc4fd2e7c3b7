"""The signature of an eval run: everything that changes its numbers, in the manner of sacrebleu.

Two runs are comparable when their signatures agree (bar `date`); a resumed run must match the
signature of the run it continues.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import BriefError
from ..models.config import load_model_config
from ..prompts import load_prompt
from ..settings import PROJECT_ROOT, Settings
from .data import Dataset

PROMPTS = {
    "translate": ("translate", "translate_hinted", "translate_noted"),
    "write": ("headline", "summary", "headline_hinted", "summary_hinted", "headline_fix"),
}
VOLATILE = ("date",)  # fields that may differ between a run and its resumption


class ResumeError(BriefError):
    code = "eval_resume_mismatch"


def package_versions(names: tuple[str, ...]) -> dict[str, str]:
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def code_hash(folder: Path) -> str:
    """Short hash of a source folder (the fact engine): its rules change the numbers too."""
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml", ".txt", ".json")):
        digest.update(file.relative_to(folder).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def model_entry(settings: Settings, name: str) -> dict[str, str]:
    config = load_model_config(settings.model_configs_dir, name)
    return {"name": config.id, "hash": config.fingerprint(), "backend": config.backend}


def prompt_refs(settings: Settings, names: tuple[str, ...]) -> dict[str, str]:
    refs = {}
    for name in names:
        if (settings.prompts_dir / f"{name}.yaml").is_file():
            refs[name] = load_prompt(settings.prompts_dir, name).ref
    return refs


def build_signature(
    suite: str,
    settings: Settings,
    dataset: Dataset,
    *,
    limit: int | None,
    rows_used: int,
    models: dict[str, str] | None,
    guard: str | None,
    metrics: dict[str, str],
    options: dict[str, Any] | None = None,
    quality: str | None = None,
) -> dict[str, Any]:
    """`models` maps a role (translate, writer) to a config name; None for model-free suites."""
    signature: dict[str, Any] = {"suite": suite}
    if models:
        signature["models"] = {role: model_entry(settings, name) for role, name in models.items()}
        wanted = PROMPTS["translate"] + (PROMPTS["write"] if "writer" in models else ())
        signature["prompts"] = prompt_refs(settings, wanted)
        signature["guard"] = str(guard or settings.guard)
        signature["quality"] = quality or settings.quality
    packages: tuple[str, ...] = ("italian-brief", "sacrebleu", "rouge-score")
    if models:
        packages += ("llama_cpp_python", "transformers", "torch")
    signature["packages"] = package_versions(packages)
    signature["facts_engine"] = code_hash(PROJECT_ROOT / "service" / "facts")
    if models:  # the code between the model and the numbers: cleaning, pipeline, guard
        signature["code"] = {name: code_hash(PROJECT_ROOT / "service" / name) for name in ("text", "pipeline", "guard")}
    signature["dataset"] = {**dataset.describe(), "used": rows_used}
    signature["limit"] = limit
    signature["metrics"] = metrics
    signature["options"] = options or {}
    signature["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    return signature


def differences(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted paths where two signatures disagree (volatile fields ignored)."""
    found = []
    for key in sorted(set(old) | set(new)):
        if not prefix and key in VOLATILE:
            continue
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            found += differences(a, b, f"{prefix}{key}.")
        elif a != b:
            found.append(f"{prefix}{key}: {a!r} -> {b!r}")
    return found


def check_resumable(old: dict[str, Any], new: dict[str, Any], out_dir: Path) -> None:
    changed = differences(old, new)
    if changed:
        raise ResumeError(
            f"{out_dir} holds a run with a different signature, so it cannot be resumed: " + "; ".join(changed[:6]),
            "use a new --out directory, or rerun with the same settings as the interrupted run",
        )


def short(signature: dict[str, Any]) -> str:
    """One line, e.g. `translation|model:qwen…@1a2b3c|prompts:translate@2|data:flores…#9f8e7d(40)|facts:abc…`."""
    parts = [signature["suite"]]
    for role, entry in signature.get("models", {}).items():
        parts.append(f"{role}:{entry['name']}#{entry['hash']}")
    if signature.get("prompts"):
        parts.append("prompts:" + ",".join(signature["prompts"].values()))
    if "guard" in signature:
        parts.append(f"guard:{signature['guard']}")
    if "quality" in signature:
        parts.append(f"quality:{signature['quality']}")
    data = signature["dataset"]
    parts.append(f"data:{data['file']}#{data['sha256'][:12]}({data['used']}/{data['rows']})")
    parts.append(f"facts:{signature['facts_engine']}")
    parts.append(f"version:{signature['packages'].get('italian-brief')}")
    return "|".join(parts)
