"""``specagent tui``: the interactive session (the Textual app lives in specagent.tui)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from specagent.cli.app import app
from specagent.cli.output import one_line_errors
from specagent.config import load_settings


@app.command()
@one_line_errors
def tui(
    path: Annotated[
        Path, typer.Argument(help="The prototype's folder (default: the current one).", metavar="PATH")
    ] = Path("."),
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder of SPEC.md and spec.json (default: PATH/spec)."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option("--model", "-m", help="Chat model for refine (default: SPECAGENT_MODEL; none = offline)."),
    ] = None,
    no_index: Annotated[
        bool, typer.Option("--no-index", help="Do not index at start (search builds nothing until you press i).")
    ] = False,
) -> None:
    """Open the interactive spec session: browse the draft with its evidence, edit, lock, answer
    open questions, check, search and save.

    Exit codes: 0 done, 1 usage, 2 bad input path.
    """
    # Textual loads only for this command: the other commands start without it.
    from specagent.tui import make_app

    settings = load_settings(path, model=model)
    make_app(path, settings, out_dir=out, index=not no_index).run()
