"""``specagent eval``: score drafts over the corpus, or the smell detector over labelled data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from specagent.cli.app import app
from specagent.cli.output import EventPrinter, err_console, one_line_errors
from specagent.config import load_settings
from specagent.errors import UsageError
from specagent.evals.baseline import (
    baseline_data,
    compare,
    compare_smells,
    load_baseline,
    new_prototypes,
    write_baseline,
)
from specagent.evals.harness import run_eval, run_smell_eval
from specagent.evals.recordings import summarise_all, table
from specagent.evals.reports import category_table, eval_table, write_eval_reports, write_smell_reports
from specagent.evals.results import EvalReport, Regression
from specagent.evals.sets import resolve_sets


@app.command("eval")
@one_line_errors
def eval_command(
    eval_set: Annotated[
        str,
        typer.Option(
            "--set",
            help="Which prototypes: corpus (written here, a regression gate), real (evals/real/, nobody here "
            "wrote them) or all.",
        ),
    ] = "corpus",
    corpus: Annotated[
        Path, typer.Option("--corpus", help="Folder of corpus prototypes, each with an expected.yaml.")
    ] = Path("corpus"),
    real: Annotated[
        Path, typer.Option("--real", help="Folder of real prototypes: NAME/repo/ and NAME/expected.yaml.")
    ] = Path("evals/real"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Where report.md, report.json, report.png go.")] = Path(
        "evals/out"
    ),
    smells: Annotated[
        bool, typer.Option("--smells", help="Score the smell detector on labelled sentences instead.")
    ] = False,
    data: Annotated[Path, typer.Option("--data", help="Labelled sentences for --smells.")] = Path(
        "evals/data/requirements.jsonl"
    ),
    baseline: Annotated[Path, typer.Option("--baseline", help="Committed scores to compare with.")] = Path(
        "evals/baseline.json"
    ),
    update_baseline: Annotated[
        bool,
        typer.Option("--update-baseline", help="Write this run's scores as the new baseline."),
    ] = False,
    accept_regression: Annotated[
        bool,
        typer.Option(
            "--accept-regression", help="Let --update-baseline write a baseline with a score lower than before."
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
    model: Annotated[
        str | None,
        typer.Option("--model", "-m", help="Draft with this model (default: SPECAGENT_MODEL, else offline)."),
    ] = None,
    replay: Annotated[
        Path | None,
        typer.Option(
            "--replay", help="Folder of recordings, one subfolder per prototype (no model call).", file_okay=False
        ),
    ] = None,
    only: Annotated[
        str | None, typer.Option("--only", help="Comma-separated prototype names to evaluate (default: all).")
    ] = None,
) -> None:
    """Evaluate drafts over corpus/ (or, with --smells, the smell detector) against a baseline.

    Exit codes: 0 no regression, 1 a score fell beyond its tolerance in the baseline (with
    --update-baseline: the baseline was not written, unless --accept-regression), 2 bad input.
    """
    if eval_set not in ("corpus", "real", "all"):
        raise typer.BadParameter(f"{eval_set!r}: use corpus, real or all", param_hint="--set")
    base = _Baseline(baseline, load_baseline(baseline), update_baseline, accept_regression)
    if smells:
        paths, regressions = _eval_smells(data, out, base)
    else:
        names = [n.strip() for n in only.split(",") if n.strip()] if only else None
        dirs = {"corpus": corpus, "real": real}
        paths, regressions = _eval_drafts(eval_set, dirs, names, model, replay, out, base, EventPrinter(quiet=quiet))
    _report_outcome(paths, regressions, base, quiet)


@dataclass(frozen=True)
class _Baseline:
    """The committed baseline (None when there is none yet) and what this run may do to it."""

    path: Path
    previous: dict[str, Any] | None
    update: bool
    accept_regression: bool

    def writes(self, regressions: Sequence[Regression]) -> bool:
        """Whether this run's scores become the baseline: not when a score fell, unless that is accepted."""
        return self.update and (self.accept_regression or not regressions)


def _eval_smells(data: Path, out: Path, base: _Baseline) -> tuple[list[Path], list[Regression]]:
    """Score the smell detector, write its reports and print the table of splits."""
    scores = run_smell_eval(data)
    regressions = compare_smells(scores, base.previous) if base.previous else []
    paths = write_smell_reports(scores, out, regressions)
    typer.echo("| split | sentences | precision | recall | F1 |")
    typer.echo("|---|---|---|---|---|")
    for split, s in scores.items():
        typer.echo(
            f"| {split} | {s.sentences} | {s.overall.precision:.3f} | {s.overall.recall:.3f} | {s.overall.f1:.3f} |"
        )
    if base.writes(regressions):
        write_baseline(base.path, baseline_data(None, scores, base.previous))
    return paths, regressions


def _eval_drafts(
    eval_set: str,
    dirs: dict[str, Path],
    names: list[str] | None,
    model: str | None,
    replay: Path | None,
    out: Path,
    base: _Baseline,
    printer: EventPrinter,
) -> tuple[list[Path], list[Regression]]:
    """Draft and score the prototypes, gate them on the baseline, write the reports and print the tables."""
    settings = load_settings(model=model)
    targets = resolve_sets(eval_set, dirs)
    with printer.running():
        report = run_eval(settings=settings, on_event=printer, targets=targets, replay_root=replay, only=names)
    _gate(report, bool(settings.model), names, base)
    paths = write_eval_reports(report, out)
    for line in eval_table(report):
        typer.echo(line)
    if any(report.categories.values()):
        typer.echo("")
        for line in category_table(report):
            typer.echo(line)
    if base.writes(report.regressions):
        write_baseline(base.path, baseline_data(report, None, base.previous))
    return paths, report.regressions


def _gate(report: EvalReport, by_model: bool, names: list[str] | None, base: _Baseline) -> None:
    """Set the report's regressions against the baseline, and its notes."""
    if by_model:
        # The committed baseline is the offline drafter's: a model run is reported, not gated.
        report.notes = [f"drafted by {report.drafter}; not compared with the offline baseline"]
    elif base.previous:
        report.regressions = compare(report, base.previous)
        if names:
            # A subset is gated prototype by prototype: the others and the totals are not in it.
            report.regressions = [r for r in report.regressions if r.scope.split("/")[-1] in names]
        report.notes = [f"{name} is new (not in the baseline)" for name in new_prototypes(report, base.previous)]
    else:
        report.notes = [f"no baseline at {base.path}; run with --update-baseline to create one"]


def _report_outcome(paths: list[Path], regressions: list[Regression], base: _Baseline, quiet: bool) -> None:
    """Say what was written and which scores fell; exit 1 when one fell and that was not accepted."""
    if not quiet:
        for path in paths:
            err_console.print(f"wrote {escape(str(path))}", highlight=False)
        if base.writes(regressions):
            err_console.print(f"wrote {escape(str(base.path))}", highlight=False)
    for r in regressions:
        err_console.print(f"[bold red]regression[/] {escape(r.text())}", highlight=False)
    if base.update and regressions and not base.accept_regression:
        err_console.print(
            f"baseline not updated: {len(regressions)} score(s) fell; fix them or pass --accept-regression",
            highlight=False,
        )
    if regressions and not (base.update and base.accept_regression):
        raise typer.Exit(1)


@app.command("recordings")
@one_line_errors
def recordings_command(
    folder: Annotated[
        Path, typer.Argument(help="Folder of recordings, one per prototype (made by draft --record).")
    ] = Path("evals/recordings"),
) -> None:
    """What recorded model runs cost: exchanges, repairs, cut answers, tokens in and out."""
    summaries = summarise_all(folder)
    if not summaries:
        raise UsageError(
            f"{folder}: no recording folders (make one with `specagent draft PATH --model M --record DIR`)"
        )
    typer.echo(table(summaries))
