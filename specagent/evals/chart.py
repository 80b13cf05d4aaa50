"""The eval report's chart; it needs matplotlib, the ``eval`` extra."""

from __future__ import annotations

from pathlib import Path

from specagent.evals.results import EvalReport


def write_chart(report: EvalReport, path: Path) -> Path | None:
    """A grouped bar chart of the ratio scores per prototype (PNG, Agg backend); None, and no
    file, when matplotlib (the ``eval`` extra) is not installed."""
    try:
        import matplotlib
    except ImportError:
        return None

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = [
        "coverage",
        "coverage_spread",
        "coverage_loose",
        "truthfulness",
        "citation_rate",
        "completeness",
        "smell_rate",
    ]
    names = [p.name for p in report.prototypes] + ["total"]
    values = [[getattr(p, m) for p in report.prototypes] + [report.totals.get(m, 0.0)] for m in metrics]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.6 * len(names)), 4.0), dpi=100)
    width = 0.8 / len(metrics)
    for i, (metric, row) in enumerate(zip(metrics, values, strict=True)):
        xs = [j + (i - (len(metrics) - 1) / 2) * width for j in range(len(names))]
        ax.bar(xs, row, width=width, label=metric)
    ax.set_xticks(range(len(names)), names, rotation=15, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share")
    ax.set_title(f"specagent eval ({report.drafter} drafter)")
    ax.legend(fontsize="small", ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
    return path
