"""Command-line front end. Thin: parse flags, call the pipeline, render its events with rich."""

from __future__ import annotations

from specagent.cli import check, diff, draft, evaluate, index  # noqa: F401  (register commands)
from specagent.cli.app import app


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
