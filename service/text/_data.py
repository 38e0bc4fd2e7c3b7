"""Loads the text layer's data files (one entry per line, `#` comments)."""

from functools import cache
from importlib import resources


@cache
def data_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of `service/text/<name>`, right-stripped."""
    text = resources.files("service.text").joinpath(name).read_text(encoding="utf-8")
    lines = (line.rstrip() for line in text.splitlines())
    return tuple(line for line in lines if line.strip() and not line.lstrip().startswith("#"))
