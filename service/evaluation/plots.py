"""Report plots (matplotlib, Agg): each returns PNG bytes, or None when there is nothing to plot."""

from __future__ import annotations

import io
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _figure(width: float = 6.0, height: float = 3.2) -> tuple[ModuleType, Figure, Axes]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    return plt, fig, ax


def _png(plt: ModuleType, fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def fact_preservation(kinds: dict[str, Any], reference: dict[str, Any] | None = None, label: str = "output") -> bytes | None:
    """Per-kind fact recall (preserved / source facts), the reference's beside it as a control."""
    names = [k for k, v in kinds.items() if v.get("n")]
    if not names:
        return None
    plt, fig, ax = _figure()
    width = 0.4 if reference else 0.8
    xs = range(len(names))
    ax.bar([x - (width / 2 if reference else 0) for x in xs], [kinds[k]["recall"] for k in names], width, label=label)
    if reference:
        ax.bar([x + width / 2 for x in xs], [(reference.get(k) or {}).get("recall") or 0 for k in names], width, label="human reference")
        ax.legend(loc="upper center", ncol=2, fontsize=8)
    ax.set_xticks(list(xs), [f"{k}\n(n={kinds[k]['n']})" for k in names], fontsize=8)
    ax.set_ylim(0, 1.25 if reference else 1.05)
    ax.set_ylabel("facts preserved")
    ax.set_title("Fact preservation per kind")
    return _png(plt, fig)


def chrf_distribution(values: list[float]) -> bytes | None:
    if not values:
        return None
    plt, fig, ax = _figure()
    ax.hist(values, bins=20, range=(0, 100), color="tab:blue", edgecolor="white")
    ax.set_xlabel("chrF++ per row")
    ax.set_ylabel("rows")
    ax.set_title(f"chrF++ distribution (n={len(values)})")
    return _png(plt, fig)


def latency_per_stage(stages: dict[str, Any]) -> bytes | None:
    shown = {k: v for k, v in stages.items() if v}
    if not shown:
        return None
    plt, fig, ax = _figure()
    names = list(shown)
    ax.barh(names, [shown[k]["mean"] for k in names], color="tab:orange", label="mean")
    ax.scatter([shown[k]["p90"] for k in names], names, color="black", marker="|", s=200, label="p90")
    ax.set_xlabel("seconds per unit (article, document or row)")
    ax.set_title("Latency per stage")
    ax.legend(loc="lower right")
    return _png(plt, fig)


def plots_for(metrics: dict[str, Any]) -> dict[str, bytes]:
    """The plots a suite's metrics allow, by file stem."""
    made: dict[str, bytes | None] = {}
    facts = metrics.get("facts")
    if isinstance(facts, dict) and facts.get("kinds"):
        reference = (metrics.get("facts_reference") or {}).get("kinds")
        made["fact_preservation"] = fact_preservation(facts["kinds"], reference, "model output" if reference else "human reference")
    if metrics.get("chrf_rows"):
        made["chrf_distribution"] = chrf_distribution(metrics["chrf_rows"])
    stages = (metrics.get("speed") or {}).get("stages")
    if stages:
        made["latency_per_stage"] = latency_per_stage(stages)
    return {name: png for name, png in made.items() if png}
