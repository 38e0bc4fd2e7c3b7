"""Markdown → lines of plain text. Headings, list items and quotes become their own lines."""

import re

# bounded lengths keep these linear on hostile input
_IMAGE = re.compile(r"!\[[^\]]{0,500}\]\([^)]{0,2000}\)|!\[[^\]]{0,500}\]\[[^\]]{0,200}\]")
_LINK = re.compile(r"\[([^\]]{1,500})\]\([^)]{0,2000}\)|\[([^\]]{1,500})\]\[[^\]]{0,200}\]")
_REF_DEFINITION = re.compile(r"\s{0,3}\[[^\]]+\]:\s+\S+.*")
_HEADING = re.compile(r"\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*")
_RULE = re.compile(r"\s{0,3}(?:[-*_]\s*){3,}|\s{0,3}=+\s*")
_BULLET = re.compile(r"\s*(?:[-*+]|\d{1,3}[.)])\s+")
_QUOTE = re.compile(r"\s{0,3}>\s?")
_EMPHASIS = (  # the text inside may not hold the marker: linear time on hostile input
    re.compile(r"\*\*([^*\s](?:[^*]*[^*\s])?)\*\*"),
    re.compile(r"(?<!\w)__([^_\s](?:[^_]*[^_\s])?)__(?!\w)"),
    re.compile(r"\*([^*\s](?:[^*]*[^*\s])?)\*"),
    re.compile(r"(?<!\w)_([^_\s](?:[^_]*[^_\s])?)_(?!\w)"),
    re.compile(r"~~([^~\s](?:[^~]*[^~\s])?)~~"),
    re.compile(r"`([^`]+)`"),
)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")


def markdown_lines(text: str) -> list[str]:
    """Plain-text lines; "" marks a paragraph break. Structural lines are fenced by ""."""
    lines: list[str] = []
    for raw in text.splitlines():
        if _REF_DEFINITION.fullmatch(raw) or raw.strip().startswith("```"):
            continue
        if _RULE.fullmatch(raw):
            lines.append("")
            continue
        heading = _HEADING.fullmatch(raw)
        line, structural = (heading.group(1), True) if heading else (raw, False)
        while True:
            quote = _QUOTE.match(line)
            bullet = _BULLET.match(line)
            if quote:
                line = line[quote.end():]
            elif bullet:
                line, structural = line[bullet.end():], True
            else:
                break
        line = _inline(line)
        if structural:
            lines.extend(["", line, ""])
        else:
            lines.append(line)
    return lines


def _inline(line: str) -> str:
    line = _IMAGE.sub("", line)
    line = _LINK.sub(lambda m: m.group(1) or m.group(2), line)
    for pattern in _EMPHASIS:
        line = pattern.sub(r"\1", line)
    return _ESCAPE.sub(r"\1", line)
