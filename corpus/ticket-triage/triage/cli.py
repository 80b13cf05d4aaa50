"""Command line: `triage classify FILE` and `triage evaluate`."""
from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from triage.classifier import TriageClassifier
from triage.config import load_settings
from triage.metrics import per_class, summarise
from triage.models import LabelledTicket, Ticket
from triage.rules import classify_rules

app = typer.Typer(help="Triage support tickets into billing / bug_report / account_access / "
                       "feature_request / how_to.")
logging.basicConfig(level=os.getenv("LOG_LEVEL", "INFO"))


def _read_jsonl(path: Path, cls):
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(cls.model_validate_json(line))
        except Exception as exc:  # noqa: BLE001 - skip bad rows, report them
            typer.echo(f"skipping line {n}: {exc}", err=True)
    return rows


@app.command()
def classify(
    file: Path = typer.Argument(..., exists=True, help="JSONL file of tickets (id, subject, body)"),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="OpenAI model; default from config"),
    batch_size: int = typer.Option(20, "--batch-size", help="Tickets per progress step"),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="Min model confidence before rule fallback"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write TriageResult JSONL here (default stdout)"),
    rules_only: bool = typer.Option(False, "--rules-only", help="Skip the model, use keyword rules"),
    config: Path = typer.Option(Path("config/triage.yaml"), "--config", help="YAML config file"),
):
    """Classify every ticket in FILE and print one TriageResult per line."""
    settings = load_settings(config)
    tickets = _read_jsonl(file, Ticket)
    if rules_only:
        results = [classify_rules(t) for t in tickets]
    else:
        clf = TriageClassifier(settings, model=model, threshold=threshold)
        results = clf.classify_batch(tickets, batch_size=batch_size)
    sink = out.open("w") if out else sys.stdout
    for r in results:
        sink.write(r.model_dump_json() + "\n")
    if out:
        sink.close()
        typer.echo(f"wrote {len(results)} results to {out}", err=True)


@app.command()
def evaluate(
    data: Path = typer.Option(Path("data/labelled_sample.jsonl"), "--data", help="Labelled JSONL"),
    model: Optional[str] = typer.Option(None, "--model", "-m"),
    threshold: Optional[float] = typer.Option(None, "--threshold"),
    batch_size: int = typer.Option(20, "--batch-size"),
    rules_only: bool = typer.Option(False, "--rules-only"),
    report: Optional[Path] = typer.Option(None, "--report", help="Write metrics as JSON"),
    min_macro_f1: float = typer.Option(0.0, "--min-macro-f1", help="Exit 1 if macro-F1 is below this"),
    config: Path = typer.Option(Path("config/triage.yaml"), "--config"),
):
    """Score the classifier against a labelled JSONL file: accuracy, macro-F1, latency, cost."""
    settings = load_settings(config)
    tickets = _read_jsonl(data, LabelledTicket)
    if rules_only:
        results = [classify_rules(t) for t in tickets]
    else:
        clf = TriageClassifier(settings, model=model, threshold=threshold)
        results = clf.classify_batch(tickets, batch_size=batch_size)
    gold = [t.label for t in tickets]
    summary = summarise(gold, results)
    classes = per_class(gold, [r.label for r in results])
    typer.echo(
        f"n={summary['n']} accuracy={summary['accuracy']:.3f} macro_f1={summary['macro_f1']:.3f} "
        f"p50={summary['p50_ms']:.0f}ms p95={summary['p95_ms']:.0f}ms "
        f"cost/1k=${summary['cost_per_1k_usd']:.2f} fallback={summary['fallback_rate']:.1%}"
    )
    for name, m in classes.items():
        typer.echo(f"  {name:16s} recall={m['recall']:.2f} f1={m['f1']:.2f} n={m['support']}")
    if report:
        report.write_text(json.dumps({"summary": summary, "per_class": classes}, indent=2))
    if summary["macro_f1"] < min_macro_f1:
        raise typer.Exit(code=1)


if __name__ == "__main__":
    app()
