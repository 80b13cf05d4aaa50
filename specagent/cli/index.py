"""``specagent index`` and ``specagent search``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from specagent.cli.app import app
from specagent.cli.output import EventPrinter, err_console, one_line_errors
from specagent.config import load_settings
from specagent.errors import UsageError
from specagent.events import Event, StageStarted
from specagent.pipeline.indexing import (
    LOCK_TIMEOUT_S,
    SCORE_HELP,
    IndexProgress,
    index_repository,
    search_repository,
)

out_console = Console(highlight=False, soft_wrap=True)


class RateColumn(ProgressColumn):
    """Units per second of a task (chunks/s while embedding)."""

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit", "")
        if not unit or task.speed is None:
            return Text("")
        return Text(f"{task.speed:.1f} {unit}/s", style="progress.data.speed")


class IndexPrinter(EventPrinter):
    """The shared event printer, with a bar that shows files, chunks, chunks/s and ETA."""

    def __call__(self, event: Event) -> None:
        if isinstance(event, StageStarted) and self.progress is not None and not self.quiet:
            unit = "chunks" if event.stage == "index" else "files"
            self.tasks[event.stage] = self.progress.add_task(event.stage, total=event.total, unit=unit, files="")
            return
        super().__call__(event)
        if isinstance(event, IndexProgress) and self.progress is not None:
            task = self.tasks.get(event.stage)
            if task is not None:
                self.progress.update(task, files=f"{event.files_done}/{event.files_total} files")

    def columns(self) -> list[ProgressColumn]:
        return [
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[unit]}"),
            TextColumn("{task.fields[files]}"),
            RateColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TimeElapsedColumn(),
        ]


PathArg = Annotated[Path, typer.Argument(help="The prototype's folder.", show_default=False, file_okay=False)]
IndexDirOpt = Annotated[
    Path | None,
    typer.Option("--index-dir", help="Where the index lives (default: PATH/.specagent/index).", file_okay=False),
]
IndexUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--index-url",
        help="A Chroma server (http://host:port) instead of the embedded store (env SPECAGENT_INDEX_URL).",
    ),
]
EmbedderOpt = Annotated[
    str | None,
    typer.Option("--embedder", help="'minilm' (offline, default) or 'openai:<model>'."),
]


@app.command("index")
@one_line_errors
def index_command(
    path: PathArg,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Drop the index and build it from scratch.")] = False,
    index_dir: IndexDirOpt = None,
    index_url: IndexUrlOpt = None,
    embedder: EmbedderOpt = None,
    threads: Annotated[int | None, typer.Option("--threads", help="Embedding threads (0 = all cores).", min=0)] = None,
    lock_timeout: Annotated[
        float,
        typer.Option("--lock-timeout", help="Seconds to wait for another index run.", min=0),
    ] = LOCK_TIMEOUT_S,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was done as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
) -> None:
    """Index a prototype for search: only new or changed files are embedded.

    Exit codes: 0 done, 1 usage, 2 bad input path, 4 index unusable (locked, other embedder).
    """
    settings = load_settings(path, index_dir=index_dir, index_url=index_url, embedder=embedder, embed_threads=threads)
    printer = IndexPrinter(quiet=quiet)
    with printer.running():
        report = index_repository(path, settings=settings, rebuild=rebuild, lock_timeout=lock_timeout, on_event=printer)
    stats = report.stats
    if as_json:
        typer.echo(json.dumps({"index": report.where, **stats.model_dump()}))
    if quiet:
        return
    if stats.noop:
        err_console.print(
            f"index is up to date ({stats.files} files, {stats.seconds:.2f} s): {escape(str(report.where))}"
        )
        return
    rate = stats.chunks_embedded / stats.embed_seconds if stats.embed_seconds else 0.0
    err_console.print(
        f"indexed {stats.files} files ({stats.files_changed} changed, {stats.files_removed} "
        f"removed): {stats.chunks} chunks, {stats.chunks_embedded} embedded"
        + (f" at {rate:.1f} chunks/s" if rate else "")
        + f", {stats.chunks_removed} removed in {stats.seconds:.1f} s"
        + (" (rebuilt)" if stats.rebuilt else "")
        + f": {escape(str(report.where))}"
    )


SEARCH_HELP = f"""Search an indexed prototype. Run `specagent index PATH` first.

Hits cite distinct places: of two overlapping chunks of a file, only the better one is shown.

Scores by --mode: {SCORE_HELP}

Exit codes: 0 done, 1 usage, 2 bad input path, 4 no usable index.
"""


@app.command("search", help=SEARCH_HELP)
@one_line_errors
def search_command(
    path: PathArg,
    query: Annotated[str, typer.Argument(help="What to look for.", show_default=False)],
    k: Annotated[int, typer.Option("-k", "--top", help="How many hits.", min=1)] = 8,
    mode: Annotated[str, typer.Option("--mode", help="hybrid (dense + BM25, fused), dense or lexical.")] = "hybrid",
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="Only chunks of this kind (code, cell, section, ...)."),
    ] = None,
    under: Annotated[str | None, typer.Option("--path", help="Only files under this path prefix.")] = None,
    index_dir: IndexDirOpt = None,
    index_url: IndexUrlOpt = None,
    embedder: EmbedderOpt = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print hits as JSON, best first: path, start_line, end_line, kind, score, score_kind "
            "(fused, cosine or bm25_relative: what score is), text.",
        ),
    ] = False,
) -> None:
    """Search an indexed prototype (help text: ``SEARCH_HELP``)."""
    if mode not in ("hybrid", "dense", "lexical"):
        raise UsageError(f"--mode {mode!r}: use hybrid, dense or lexical")
    settings = load_settings(path, index_dir=index_dir, index_url=index_url, embedder=embedder)
    printer = EventPrinter()
    hits = search_repository(
        path,
        query,
        k=k,
        mode=mode,  # type: ignore[arg-type]
        kinds=kind or None,
        path_prefix=under,
        settings=settings,
        on_event=printer,
    )
    if as_json:
        typer.echo(json.dumps([hit.public() for hit in hits], ensure_ascii=False))
        return
    if not hits:
        err_console.print("no hits")
        return
    for rank, hit in enumerate(hits, start=1):
        where = f"{hit.path}#L{hit.start_line}-L{hit.end_line}"
        if hit.cell is not None:
            where = f"{hit.path} cell {hit.cell} L{hit.start_line}-L{hit.end_line}"
        out_console.print(f"[bold]{rank}. {escape(where)}[/]  [dim]{hit.kind} {hit.score_kind} {hit.score:.3f}[/]")
        lines = hit.text.strip("\n").splitlines()
        for line in lines[:4]:
            out_console.print(f"   {line[:120]}", markup=False)
        if len(lines) > 4:
            out_console.print(f"   [dim]… {len(lines) - 4} more lines[/]")
