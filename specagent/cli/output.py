"""Rendering pipeline events and errors on stderr with rich. Shared by every command."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Column

from specagent.errors import SpecagentError
from specagent.events import Event, FileWritten, StageFinished, StageProgress, StageStarted, Warned

#: Seconds between progress lines when stderr is not a terminal.
PLAIN_EVERY_S = 5.0

err_console = Console(stderr=True, highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


class EventPrinter:
    """An event sink that shows a progress bar per stage and one line per warning."""

    def __init__(self, console: Console = err_console, quiet: bool = False) -> None:
        self.console = console
        self.quiet = quiet
        self.progress: Progress | None = None
        self.tasks: dict[str, Any] = {}
        self.warnings = 0
        # Not a terminal (piped, CI logs): no bar, but a line per stage and, while a stage runs
        # long, a line every few seconds, so a five-minute index shows it is alive.
        self.plain = False
        self._last_line: dict[str, float] = {}

    def _plain_line(self, event: Event) -> None:
        now = time.monotonic()
        if isinstance(event, StageStarted):
            self._last_line[event.stage] = now
        elif isinstance(event, StageProgress) and now - self._last_line.get(event.stage, now) >= PLAIN_EVERY_S:
            self._last_line[event.stage] = now
            total = f"/{event.total}" if event.total else ""
            self.console.print(f"{escape(event.stage)}: {event.done}{total}", highlight=False)
        elif isinstance(event, StageFinished):
            summary = f", {event.summary}" if event.summary else ""
            self.console.print(
                f"{escape(event.stage)}: done in {event.seconds:.1f} s{escape(summary)}", highlight=False
            )

    def __call__(self, event: Event) -> None:
        if isinstance(event, Warned):
            self.warnings += 1
            if not self.quiet:
                where = f"{event.path}: " if event.path else ""
                self.console.print(f"[yellow]warning[/] {escape(where)}{escape(event.message)}", highlight=False)
            return
        if self.quiet:
            return
        if isinstance(event, FileWritten):
            self.console.print(f"wrote {escape(event.path)}", highlight=False)
            return
        if self.progress is None:
            if self.plain:
                self._plain_line(event)
            return
        if isinstance(event, StageStarted):
            self.tasks[event.stage] = self.progress.add_task(event.stage, total=event.total)
        elif isinstance(event, StageProgress) and event.stage in self.tasks:
            self.progress.update(self.tasks[event.stage], completed=event.done, total=event.total)
        elif isinstance(event, StageFinished) and event.stage in self.tasks:
            task = self.tasks[event.stage]
            total = self.progress.tasks[task].total or 1
            self.progress.update(
                task, completed=total, total=total, description=f"{event.stage} [dim]{event.summary}[/]"
            )

    def columns(self) -> list[ProgressColumn]:
        """The progress bar's columns; commands with richer progress override this."""
        # Sized to fit 80 columns: a long stage summary is cut, never wrapped onto a second line.
        return [
            TextColumn("{task.description}", table_column=Column(max_width=32, no_wrap=True, overflow="ellipsis")),
            BarColumn(bar_width=20),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        ]

    @contextmanager
    def running(self) -> Iterator[EventPrinter]:
        """Show live progress while the body runs (nothing when quiet or not a terminal)."""
        if self.quiet or not self.console.is_terminal:
            self.plain = not self.quiet
            try:
                yield self
            finally:
                self.plain = False
            return
        self.progress = Progress(*self.columns(), console=self.console, transient=False)
        with self.progress:
            yield self
        self.progress = None


def fail(message: str, code: int) -> typer.Exit:
    """Print one error line and return the Exit to raise."""
    err_console.print(f"[bold red]error[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


def one_line_errors(func: F) -> F:
    """Turn SpecagentError into one line on stderr and its exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SpecagentError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise fail("interrupted; nothing half-written was left behind", 130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            # A bug, not bad input: one line by default, the traceback when asked for. The CLI
            # framework's own exceptions (usage errors) pass through to be reported as usual.
            if os.environ.get("SPECAGENT_DEBUG") or type(exc).__module__.startswith(("typer", "click")):
                raise
            raise fail(
                f"internal error: {type(exc).__name__}: {exc} (rerun with SPECAGENT_DEBUG=1 for the traceback)", 70
            ) from None

    return wrapper  # type: ignore[return-value]


def stdout_is_piped() -> bool:
    return not sys.stdout.isatty()
