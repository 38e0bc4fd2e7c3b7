"""A brief run's signature and cache key: everything that changes its result.

The key is content-addressed: the cleaned article (title, paragraphs, captions, what was removed)
plus every field of the run's signature — model configs (fingerprints), prompt files (content),
guard mode, the parts written, and the code between the model and the result (service version and
a hash of the text, facts, guard, pipeline and models packages). Change any of them and the key
changes, so a cached result is only ever served for the run that would have produced it.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..prompts import load_prompt
from ..settings import PROJECT_ROOT

if TYPE_CHECKING:
    from ..models.base import Backend
    from ..text.clean import CleanedArticle

CODE_PACKAGES = ("text", "facts", "guard", "pipeline", "models")


class ResultCache(Protocol):
    """Where finished results are kept (the API keeps them in its job database)."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, kind: str, result: dict[str, Any]) -> None: ...


@lru_cache
def code_hash() -> str:
    """Short hash of the packages whose code shapes a result (fixed for the life of the process)."""
    digest = hashlib.sha256()
    for name in CODE_PACKAGES:
        folder = PROJECT_ROOT / "service" / name
        for file in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml", ".txt", ".json")):
            digest.update(file.relative_to(folder.parent).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _prompt_hashes(prompts_dir: Path) -> dict[str, str]:
    """Every prompt file (any of them may be used by a run), by name: its ref and a hash of its content."""
    out = {}
    for path in sorted(prompts_dir.glob("*.yaml")):
        prompt = load_prompt(prompts_dir, path.stem)
        out[path.stem] = f"{prompt.ref}#{hashlib.sha256(prompt.model_dump_json().encode()).hexdigest()[:12]}"
    return out


def run_signature(translate: Backend, writer: Backend | None, prompts_dir: Path, guard: str, quality: str,
                  write: tuple[str, ...]) -> dict[str, Any]:
    """Every field that changes a run's result (the writer only when something is written)."""
    writer = writer if write else None
    return {
        "version": _version("italian-brief"),
        "code": code_hash(),
        "translate": f"{translate.config.id}#{translate.config.fingerprint()}",
        "writer": f"{writer.config.id}#{writer.config.fingerprint()}" if writer is not None else None,
        "prompts": _prompt_hashes(prompts_dir),
        "guard": str(guard),
        "quality": str(quality),
        "write": sorted(write),
        "engine": {"llama_cpp_python": _version("llama_cpp_python"), "transformers": _version("transformers")},
    }


def cache_key(cleaned: CleanedArticle, signature: dict[str, Any]) -> str:
    content = {
        "title": cleaned.title,
        "paragraphs": cleaned.paragraphs,
        "captions": cleaned.captions,
        "removed": cleaned.removed,
        "signature": signature,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
