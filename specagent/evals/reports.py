"""The eval reports: Markdown tables of the scores, and report.md / report.json / smells.md / smells.json."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from specagent.evals.chart import write_chart
from specagent.evals.results import EvalReport, Regression
from specagent.events import EventSink, FileWritten, null_sink
from specagent.quality.coverage import CategoryCounts
from specagent.quality.smell_eval import SmellScores
from specagent.spec.model import LIST_SECTIONS

_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("gold_facts", "gold facts", "d"),
    ("coverage", "strict", "%"),
    ("coverage_spread", "spread", "%"),
    ("coverage_loose", "loose", "%"),
    ("truthfulness", "truthful", "%"),
    ("citation_rate", "citations ok", "%"),
    ("smell_rate", "smell rate", "%"),
    ("completeness", "complete", "%"),
    ("filled", "filled", "%"),
    ("words_per_kloc", "words/kloc", "f"),
    ("seconds", "seconds", "s"),
    ("calls", "calls", "d"),
    ("cached_calls", "cached", "d"),
    ("tokens_in", "tokens in", "d"),
    ("tokens_out", "tokens out", "d"),
    ("dropped", "dropped", "d"),
    ("demoted", "demoted", "d"),
)


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "%":
        return f"{100 * value:.1f}%"
    if kind == "f":
        return f"{value:.0f}"
    if kind == "s":
        return f"{value:.2f}"
    return f"{int(value):,}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(r) + " |" for r in rows),
    ]


def eval_table(report: EvalReport) -> list[str]:
    """The per-prototype Markdown table: each set's prototypes, then its totals row."""
    header = ["prototype", *(label for _, label, _ in _COLUMNS)]
    rows = []
    for set_name, set_totals in report.set_totals.items():
        label = f"**{set_name} total**" if len(report.set_totals) > 1 else "**total**"
        rows += [
            [p.name, *(_cell(getattr(p, key), kind) for key, _, kind in _COLUMNS)]
            for p in report.prototypes
            if p.set == set_name
        ]
        rows.append([label, *(_cell(set_totals.get(key), kind) for key, _, kind in _COLUMNS)])
    if len(report.set_totals) > 1:
        rows.append(["**all**", *(_cell(report.totals.get(key), kind) for key, _, kind in _COLUMNS)])
    return _table(header, rows)


def _share(n: int, total: int) -> str:
    return f"{n}/{total} ({100 * n / total:.0f}%)" if total else "-"


def category_table(report: EvalReport) -> list[str]:
    """Strict and spread coverage per gold-fact category, one column pair per set."""
    sets = list(report.categories)
    names = sorted({c for cats in report.categories.values() for c in cats})
    header = ["category", *(f"{s} {reading}" for s in sets for reading in ("strict", "spread"))]
    rows = []
    for name in names:
        row = [name]
        for s in sets:
            c = report.categories[s].get(name, CategoryCounts())
            row += [_share(c.strict, c.total), _share(c.spread, c.total)]
        rows.append(row)
    return _table(header, rows)


def section_table(report: EvalReport) -> list[str]:
    """Items per spec section for every prototype (how much each draft states)."""
    sections = [s for s in LIST_SECTIONS if any(s in p.items_per_section for p in report.prototypes)]
    header = ["prototype", *sections, "words/kloc"]
    rows = [
        [
            f"{p.set}/{p.name}",
            *(str(p.items_per_section.get(s, 0)) for s in sections),
            _cell(p.words_per_kloc, "f"),
        ]
        for p in report.prototypes
    ]
    return _table(header, rows)


def write_eval_reports(report: EvalReport, out: Path, on_event: EventSink = null_sink) -> list[Path]:
    """report.md, report.json and report.png into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    chart = write_chart(report, out / "report.png")
    md = [
        "# specagent eval",
        "",
        f"Drafter: **{report.drafter}**. Corpus: `{report.corpus}` ({len(report.prototypes)} prototypes).",
        "Ratios are shares; totals are micro-averaged over counts (completeness and filled: mean).",
        "",
        *eval_table(report),
        "",
        "## Coverage per category",
        "",
        *category_table(report),
        "",
        "## Items per section",
        "",
        *section_table(report),
        "",
        f"![scores per prototype]({chart.name})" if chart else "(no chart: `pip install 'specagent[eval]'` for one)",
        "",
        "## Baseline",
        "",
    ]
    if report.regressions:
        md += [f"- REGRESSION {r.text()}" for r in report.regressions]
    else:
        md.append("No score dropped beyond its tolerance.")
    md += [*(f"- {n}" for n in report.notes), "", "## Missed gold facts", ""]
    for p in report.prototypes:
        md.append(f"- {p.set}/{p.name}: {', '.join(p.missed) if p.missed else 'none'}")
    md_path = out / "report.md"
    md_path.write_text("\n".join(md) + "\n", encoding="utf-8")
    json_path = out / "report.json"
    json_path.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    paths = [md_path, json_path, *([chart] if chart else [])]
    for written in paths:
        on_event(FileWritten(str(written)))
    return paths


def smell_table(scores: SmellScores) -> list[str]:
    """Per-smell precision / recall / F1 and the micro-averaged overall row."""
    rows = ["| smell | support | tp | fp | fn | precision | recall | F1 |", "|---|---|---|---|---|---|---|---|"]
    for smell, c in [*scores.per_smell.items(), ("**overall (micro)**", scores.overall)]:
        rows.append(
            f"| {smell} | {c.support} | {c.tp} | {c.fp} | {c.fn} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} |"
        )
    return rows


def write_smell_reports(
    scores: dict[str, SmellScores],
    out: Path,
    regressions: Sequence[Regression] = (),
    on_event: EventSink = null_sink,
) -> list[Path]:
    """smells.md (a table per split, and the mistakes) and smells.json into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    md = ["# Smell detector accuracy", ""]
    md.append("| split | sentences | precision | recall | F1 |")
    md.append("|---|---|---|---|---|")
    for split, s in scores.items():
        md.append(
            f"| {split} | {s.sentences} | {s.overall.precision:.3f} | {s.overall.recall:.3f} | {s.overall.f1:.3f} |"
        )
    for split, s in scores.items():
        md += ["", f"## {split}", "", *smell_table(s)]
    md += ["", "## Baseline", ""]
    md += [f"- REGRESSION {r.text()}" for r in regressions] or ["No score dropped beyond its tolerance."]
    md += ["", "## Mistakes (all sentences)", ""]
    for m in scores["all"].mistakes:
        md.append(f"- {m.id}: missed {m.missed or '-'}, spurious {m.spurious or '-'}: {m.text}")
    md_path = out / "smells.md"
    md_path.write_text("\n".join(md) + "\n", encoding="utf-8")
    json_path = out / "smells.json"
    json_path.write_text(
        json.dumps(
            {
                split: {
                    "sentences": s.sentences,
                    "overall": s.overall.as_dict(),
                    "per_smell": {k: c.as_dict() for k, c in s.per_smell.items()},
                    "mistakes": [m.model_dump() for m in s.mistakes],
                }
                for split, s in scores.items()
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    for p in (md_path, json_path):
        on_event(FileWritten(str(p)))
    return [md_path, json_path]
