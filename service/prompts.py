"""Versioned prompt files in `prompts/`.

A prompt file is YAML: `name`, `version`, `system`, `user` (a `str.format` template) and an
optional `description`. Its identity in results is `name@version`. `system: "@system"` means the
shared system prompt of `prompts/system.yaml` (one for every task, so its KV state is computed once);
such a prompt's identity names both: `translate@2+system@1`.
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
    user: str = ""
    shared_system: str | None = None  # the ref of the shared system prompt, when `system` came from it

    @property
    def ref(self) -> str:
        own = f"{self.name}@{self.version}"
        return f"{own}+{self.shared_system}" if self.shared_system else own

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
        prompt = PromptTemplate(**data)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"prompt file {path} is invalid: {exc}", "see prompts/README.md for the format") from exc
    if prompt.system.strip().startswith("@"):
        shared = load_prompt(prompts_dir, prompt.system.strip()[1:])
        prompt = prompt.model_copy(update={"system": shared.system, "shared_system": shared.ref})
    return prompt
