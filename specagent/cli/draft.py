"""``specagent draft`` and ``specagent schema``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from specagent.cli.app import app, plural
from specagent.cli.output import EventPrinter, err_console, one_line_errors
from specagent.config import load_settings
from specagent.pipeline.draft import DraftResult, default_out_dir, run_draft
from specagent.spec.model import Spec, json_schema

# The model options, named once: they make the command's signature long, not its logic.
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="Draft with this model (any name the endpoint serves; 'local' runs the packaged one). "
        "Default: SPECAGENT_MODEL, else offline.",
    ),
]
ReviewOption = Annotated[
    bool | None,
    typer.Option(
        "--review/--no-review",
        help="Let the model propose dropping or merging inferred items (one more call). "
        "Default: on for hosted models, off for the packaged local ones.",
        show_default=False,
    ),
]


@app.command()
@one_line_errors
def draft(
    path: Annotated[Path, typer.Argument(help="The prototype's folder.", show_default=False, metavar="PATH")],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder for SPEC.md and spec.json (default: PATH/spec)."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite a SPEC.md edited since specagent wrote it (locked items are kept)."),
    ] = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            "-u",
            help="Re-draft an existing spec: matched items keep their IDs, your edits and locked items stay.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was drafted as JSON (files, item counts, warnings).")
    ] = False,
    model: ModelOption = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Sections drafted at once (default 1).")
    ] = None,
    record: Annotated[
        Path | None, typer.Option("--record", help="Record every model exchange into this folder.", file_okay=False)
    ] = None,
    replay: Annotated[
        Path | None,
        typer.Option(
            "--replay", help="Answer from a recording; makes no model call, fails on a miss.", file_okay=False
        ),
    ] = None,
    max_calls: Annotated[
        int | None, typer.Option("--max-calls", min=0, help="Stop after this many model calls.")
    ] = None,
    max_cost: Annotated[
        float | None, typer.Option("--max-cost", min=0.0, help="Stop after this estimated cost in USD.")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ask the model even when an answer is cached.")] = False,
    review: ReviewOption = None,
) -> None:
    """Draft SPEC.md and spec.json from a prototype. Offline unless a model is configured.

    Exit codes: 0 done, 1 usage, 2 bad input path, 3 would overwrite a person's edits,
    5 the model failed (one line says why).
    """
    settings = load_settings(
        path,
        model=model,
        jobs=jobs,
        record_dir=record,
        replay_dir=replay,
        max_calls=max_calls,
        max_cost=max_cost,
        cache=False if no_cache else None,
        review=review,
    )
    printer = EventPrinter(quiet=quiet)
    out_dir = out if out is not None else default_out_dir(path)
    with printer.running():
        result, written = run_draft(
            path, out_dir=out_dir, force=force, update=update, settings=settings, on_event=printer
        )
    if as_json:
        typer.echo(_json_summary(result.spec, written))
    if not quiet:
        _print_summary(result, printer)


def _json_summary(spec: Spec, written: list[Path]) -> str:
    """What was drafted, for ``--json``: the files written, item counts, retired IDs and warnings."""
    return json.dumps(
        {
            "project": spec.meta.project,
            "files": [str(p) for p in written],
            "items": {name: len(items) for name, items in spec.item_lists()},
            "retired_ids": spec.meta.retired_ids,
            "git_commit": spec.meta.git_commit,
            "git_dirty": spec.meta.git_dirty,
            "warnings": spec.meta.warnings,
        },
        indent=2,
    )


#: The sections the one-line summary counts, with the noun for one item.
_SUMMARY_NOUNS = {
    "requirements": "requirement",
    "interfaces": "interface",
    "data_contracts": "data contract",
    "metrics": "metric",
    "risks": "risk",
    "open_questions": "open question",
}


def _print_summary(result: DraftResult, printer: EventPrinter) -> None:
    """One line on what was drafted, the model's usage, and how many warnings there were."""
    spec = result.spec
    counts = ", ".join(
        plural(len(items), _SUMMARY_NOUNS[name])
        for name, items in spec.item_lists()
        if items and name in _SUMMARY_NOUNS
    )
    err_console.print(
        f"drafted [bold]{escape(spec.meta.project)}[/] from {plural(spec.meta.files, 'file')}: {counts}",
        highlight=False,
    )
    if result.agent is not None:
        err_console.print(
            f"model {escape(result.agent.model)}: {escape(result.agent.usage.summary())}", highlight=False
        )
    if printer.warnings:
        err_console.print(f"{plural(printer.warnings, 'warning')}; all are listed in spec.json under meta.warnings")


@app.command()
def schema() -> None:
    """Print the JSON Schema that spec.json validates against."""
    typer.echo(json.dumps(json_schema(), indent=2))


@app.command("serve-local")
@one_line_errors
def serve_local(
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1 (0: a free one).")] = 8080,
    model: Annotated[
        str, typer.Option("--model", help="local (1.5B if installed, else 0.5B), local:1.5b or local:0.5b.")
    ] = "local",
) -> None:
    """Serve the packaged local model on 127.0.0.1 (OpenAI protocol) until Ctrl-C or SIGTERM."""
    import signal
    import time

    from specagent.llm.local import LocalServer, local_model

    def stop(signum: int, frame: object) -> None:
        # A service manager stops with SIGTERM: leave through the `with` so the server goes too.
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    printer = EventPrinter()
    chosen = local_model(model)
    with LocalServer(chosen, port=port, on_event=printer) as server:
        err_console.print(
            f"serving {chosen.alias} at {server.base_url} (OPENAI_BASE_URL={server.base_url} "
            f"SPECAGENT_MODEL={chosen.alias}); Ctrl-C stops it",
            highlight=False,
        )
        try:
            while server.process is not None and server.process.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
