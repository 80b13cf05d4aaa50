"""``specagent eval``: score drafts over the corpus, or the smell detector over labelled data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from specagent.cli.app import app
from specagent.cli.output import EventPrinter, err_console, one_line_errors
from specagent.config import load_settings
from specagent.evals.baseline import (
    baseline_data,
    compare,
    compare_smells,
    load_baseline,
    new_prototypes,
    write_baseline,
)
from specagent.evals.harness import run_eval, run_smell_eval
from specagent.evals.reports import category_table, eval_table, write_eval_reports, write_smell_reports
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
    previous = load_baseline(baseline)
    printer = EventPrinter(quiet=quiet)
    if smells:
        scores = run_smell_eval(data)
        regressions = compare_smells(scores, previous) if previous else []
        paths = write_smell_reports(scores, out, regressions)
        typer.echo("| split | sentences | precision | recall | F1 |")
        typer.echo("|---|---|---|---|---|")
        for split, s in scores.items():
            typer.echo(
                f"| {split} | {s.sentences} | {s.overall.precision:.3f} | {s.overall.recall:.3f} | {s.overall.f1:.3f} |"
            )
        if update_baseline and (accept_regression or not regressions):
            write_baseline(baseline, baseline_data(None, scores, previous))
    else:
        settings = load_settings(model=model)
        names = [n.strip() for n in only.split(",") if n.strip()] if only else None
        targets = resolve_sets(eval_set, {"corpus": corpus, "real": real})
        with printer.running():
            report = run_eval(settings=settings, on_event=printer, targets=targets, replay_root=replay, only=names)
        if settings.model:
            # The committed baseline is the offline drafter's: a model run is reported, not gated.
            report.notes = [f"drafted by {report.drafter}; not compared with the offline baseline"]
        elif previous:
            report.regressions = compare(report, previous)
            if names:
                # A subset is gated prototype by prototype: the others and the totals are not in it.
                report.regressions = [r for r in report.regressions if r.scope.split("/")[-1] in names]
            report.notes = [f"{name} is new (not in the baseline)" for name in new_prototypes(report, previous)]
        else:
            report.notes = [f"no baseline at {baseline}; run with --update-baseline to create one"]
        paths = write_eval_reports(report, out)
        for line in eval_table(report):
            typer.echo(line)
        if any(report.categories.values()):
            typer.echo("")
            for line in category_table(report):
                typer.echo(line)
        regressions = report.regressions
        if update_baseline and (accept_regression or not regressions):
            write_baseline(baseline, baseline_data(report, None, previous))
    if not quiet:
        for path in paths:
            err_console.print(f"wrote {escape(str(path))}", highlight=False)
        if update_baseline and (accept_regression or not regressions):
            err_console.print(f"wrote {escape(str(baseline))}", highlight=False)
    for r in regressions:
        err_console.print(f"[bold red]regression[/] {escape(r.text())}", highlight=False)
    if update_baseline and regressions and not accept_regression:
        err_console.print(
            f"baseline not updated: {len(regressions)} score(s) fell; fix them or pass --accept-regression",
            highlight=False,
        )
    if regressions and not (update_baseline and accept_regression):
        raise typer.Exit(1)
