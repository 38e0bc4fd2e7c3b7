"""`report.md` and `report.html` for a run: headline numbers, signature, tables, plots.

Both are rendered from one list of blocks; the Markdown links the PNGs in `plots/`, the HTML
embeds them as base64 so the file stands alone.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

from .plots import plots_for

Block = tuple[str, Any]  # ("h2", text) | ("p", text) | ("table", (headers, rows)) | ("code", text) | ("img", (name, png))


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:.2f}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items())
    return str(value)


def _kind_table(kinds: dict[str, Any], reference: dict[str, Any] | None) -> tuple[list[str], list[list[Any]]]:
    headers = ["kind", "n", "preserved", "missing", "altered", "unverified", "recall"] + (["reference recall"] if reference else [])
    rows = []
    for kind, block in kinds.items():
        row = [kind, block["n"], block["preserved"], block["missing"], block["altered"], block.get("unverified", 0), block["recall"]]
        if reference:
            row.append((reference.get(kind) or {}).get("recall"))
        rows.append(row)
    return headers, rows


def blocks_for(results: dict[str, Any], records: list[dict[str, Any]]) -> list[Block]:
    metrics = results["metrics"]
    headline = results["headline"]
    blocks: list[Block] = [
        ("h1", f"brief eval {results['suite']} — {results['signature']['dataset']['file']}"),
        ("p", f"{results['n']} rows; finished {results['finished']}. Per-row outputs: `rows.jsonl` (each line carries the row `id`)."),
        ("code", results["signature_line"]),
        ("h2", "Headline"),
        ("table", (["metric", "value"], [[k, _fmt(v)] for k, v in headline.items()])),
    ]
    for name in ("bleu", "chrf"):
        if isinstance(metrics.get(name), dict):
            blocks.append(("p", f"{name}: `{metrics[name]['detail']}` — signature `{metrics[name]['signature']}`"))
    facts = metrics.get("facts")
    if isinstance(facts, dict) and facts.get("kinds"):
        blocks += [("h2", "Facts per kind"), ("table", _kind_table(facts["kinds"], (metrics.get("facts_reference") or {}).get("kinds")))]
    for kind in ("headline", "summary"):
        block = metrics.get(kind)
        if isinstance(block, dict):
            blocks.append(("h2", f"{kind.capitalize()}"))
            rows = [["ROUGE (vs English reference)", _fmt({k: v for k, v in (block["rouge"] or {}).items() if k != "signature"})],
                    ["fact support", _fmt({k: v for k, v in block["support"].items() if k != "kinds"})],
                    ["words", _fmt(block["words"])], ["reference words", _fmt(block["reference_words"])], ["empty outputs", block["empty"]]]
            blocks.append(("table", (["", ""], rows)))
            if block["rouge"]:
                blocks.append(("p", f"ROUGE signature `{block['rouge']['signature']}`"))
    speed = metrics.get("speed")
    if speed:
        rows = [[k, _fmt(v)] for k, v in speed.items() if k != "stages"]
        rows += [[f"stage {k} (s)", _fmt(v)] for k, v in (speed.get("stages") or {}).items()]
        blocks += [("h2", "Speed"), ("table", (["", ""], rows))]
    if metrics.get("benchmark"):
        blocks += [("h2", "Fact engine benchmark"), ("code", json.dumps(metrics["benchmark"], indent=2, ensure_ascii=False)[:20000])]
    worst = sorted((r for r in records if "chrf" in r), key=lambda r: r["chrf"])[:10]
    if worst:
        rows = [[r["id"], r["chrf"], r["hypothesis"][:120]] for r in worst]
        blocks += [("h2", "Lowest chrF++ rows"), ("table", (["id", "chrF++", "hypothesis"], rows))]
    plots = plots_for(metrics)
    if plots:
        blocks.append(("h2", "Plots"))
        blocks += [("img", (name, png)) for name, png in plots.items()]
    blocks += [("h2", "Signature"), ("code", json.dumps(results["signature"], indent=2, ensure_ascii=False))]
    return blocks


def to_markdown(blocks: list[Block]) -> str:
    lines: list[str] = []
    for kind, content in blocks:
        if kind == "h1":
            lines += [f"# {content}", ""]
        elif kind == "h2":
            lines += [f"## {content}", ""]
        elif kind == "p":
            lines += [content, ""]
        elif kind == "code":
            lines += ["```", content, "```", ""]
        elif kind == "table":
            headers, rows = content
            lines.append("| " + " | ".join(headers) + " |")
            lines.append("|" + "---|" * len(headers))
            lines += ["| " + " | ".join(_fmt(c).replace("|", "\\|").replace("\n", " ") for c in row) + " |" for row in rows]
            lines.append("")
        elif kind == "img":
            lines += [f"![{content[0]}](plots/{content[0]}.png)", ""]
    return "\n".join(lines)


_STYLE = (
    "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}"
    "pre{background:#f4f4f4;padding:.5rem;overflow-x:auto}</style></head><body>"
)


def to_html(blocks: list[Block], title: str) -> str:
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>", _STYLE]
    for kind, content in blocks:
        if kind in ("h1", "h2", "p"):
            parts.append(f"<{kind}>{html.escape(content)}</{kind}>")
        elif kind == "code":
            parts.append(f"<pre>{html.escape(content)}</pre>")
        elif kind == "table":
            headers, rows = content
            parts.append("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr>")
            parts += ["<tr>" + "".join(f"<td>{html.escape(_fmt(c))}</td>" for c in row) + "</tr>" for row in rows]
            parts.append("</table>")
        elif kind == "img":
            data = base64.b64encode(content[1]).decode()
            parts.append(f"<figure><img alt='{content[0]}' src='data:image/png;base64,{data}'><figcaption>{content[0]}</figcaption></figure>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(out_dir: Path, results: dict[str, Any], records: list[dict[str, Any]]) -> None:
    blocks = blocks_for(results, records)
    plots_dir = out_dir / "plots"
    for kind, content in blocks:
        if kind == "img":
            plots_dir.mkdir(exist_ok=True)
            (plots_dir / f"{content[0]}.png").write_bytes(content[1])
    (out_dir / "report.md").write_text(to_markdown(blocks), encoding="utf-8")
    (out_dir / "report.html").write_text(to_html(blocks, f"brief eval {results['suite']}"), encoding="utf-8")
