"""What recorded model runs cost: exchanges, tokens in and out, and repair rounds, per recording.

A replayed eval makes no call, so its usage columns read zero; the recording itself holds what
the run asked and what came back. ``specagent recordings evals/recordings`` prints one row per
recorded prototype.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RecordingSummary:
    """One recording folder: its model and what its exchanges cost."""

    name: str
    model: str = ""
    exchanges: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    repairs: int = 0  # exchanges past a group's first round
    cut: int = 0  # answers stopped at the length limit
    groups: dict[str, int] = field(default_factory=dict)  # group -> exchanges


def summarise(folder: Path) -> RecordingSummary:
    """Sum the exchanges of one recording folder (``*.json`` written by ``--record``)."""
    summary = RecordingSummary(Path(folder).name)
    for path in sorted(Path(folder).glob("*.json")):
        exchange = json.loads(path.read_text(encoding="utf-8"))
        answer, label = exchange["answer"], str(exchange.get("label", ""))
        summary.model = summary.model or str(exchange["request"].get("model", ""))
        summary.exchanges += 1
        summary.tokens_in += int(answer.get("tokens_in") or 0)
        summary.tokens_out += int(answer.get("tokens_out") or 0)
        summary.cut += answer.get("finish_reason") == "length"
        group = label.split(" (", 1)[0]
        summary.groups[group] = summary.groups.get(group, 0) + 1
        summary.repairs += "(round 0)" not in label
    return summary


def table(summaries: list[RecordingSummary]) -> str:
    """The summaries as a markdown table with a total row."""
    rows = [
        "| recording | model | exchanges | repairs | cut | tokens in | tokens out |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in summaries:
        rows.append(
            f"| {s.name} | {s.model} | {s.exchanges} | {s.repairs} | {s.cut} | {s.tokens_in:,} | {s.tokens_out:,} |"
        )
    total = (
        sum(s.exchanges for s in summaries),
        sum(s.repairs for s in summaries),
        sum(s.cut for s in summaries),
        sum(s.tokens_in for s in summaries),
        sum(s.tokens_out for s in summaries),
    )
    rows.append(f"| **total** | | {total[0]} | {total[1]} | {total[2]} | {total[3]:,} | {total[4]:,} |")
    return "\n".join(rows)


def summarise_all(root: Path) -> list[RecordingSummary]:
    """One summary per recording folder directly under ``root`` (empty when there is none)."""
    folders = sorted(p for p in Path(root).iterdir() if p.is_dir()) if Path(root).is_dir() else []
    return [summarise(folder) for folder in folders]
