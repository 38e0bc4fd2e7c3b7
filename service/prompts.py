"""Versioned prompt files in `prompts/`.

A prompt file is YAML: `name`, `version`, `system`, `user` (a `str.format` template) and an
optional `description`. Its identity in results is `name@version`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from .errors import ConfigError


class PromptTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: str
    description: str = ""
    system: str
    user: str

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    def messages(self, **values: str) -> list[dict[str, str]]:
        try:
            user = self.user.format(**values)
        except KeyError as exc:
            raise ConfigError(f"prompt {self.ref} needs the value {exc}", "check the prompt file's placeholders") from exc
        return [{"role": "system", "content": self.system.strip()}, {"role": "user", "content": user.strip()}]


@lru_cache
def load_prompt(prompts_dir: Path, name: str) -> PromptTemplate:
    path = prompts_dir / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in prompts_dir.glob("*.yaml"))) or "none"
        raise ConfigError(f"no prompt file {path}", f"known prompts: {known}")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        return PromptTemplate(**data)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"prompt file {path} is invalid: {exc}", "see prompts/README.md for the format") from exc
