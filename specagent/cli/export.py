"""``specagent export``: carry a spec into OpenSpec or Spec Kit."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from specagent.cli.app import app
from specagent.cli.output import err_console, one_line_errors
from specagent.spec.export import FORMATS
from specagent.spec.reader import read_spec_ref
from specagent.spec.store import atomic_write


class Format(StrEnum):
    openspec = "openspec"
    speckit = "speckit"


@app.command()
@one_line_errors
def export(
    spec: Annotated[
        str, typer.Argument(help="The SPEC.md or spec.json to export (or REV:PATH from git).", show_default=False)
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Target layout.")] = Format.openspec,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write into.")] = Path("."),
    as_json: Annotated[bool, typer.Option("--json", help="Print the files written as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
) -> None:
    """Write the spec as OpenSpec (openspec/specs/<capability>/spec.md) or Spec Kit (specs/001-*/spec.md).

    Item IDs and cited source lines travel as references. Existing files at those paths are replaced.
    Exit codes: 0 done, 2 unreadable spec or unwritable folder.
    """
    files = FORMATS[fmt.value](read_spec_ref(spec))
    written = []
    for rel, text in sorted(files.items()):
        atomic_write(out / rel, text)
        written.append(str(out / rel))
    if as_json:
        typer.echo(json.dumps({"format": fmt.value, "files": written}, indent=2))
    elif not quiet:
        for path in written:
            err_console.print(f"wrote {path}", highlight=False, markup=False)
