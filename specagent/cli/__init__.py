"""Command-line front end. Thin: parse flags, call the pipeline, render its events with rich."""

from __future__ import annotations

import sys

from typer import Abort

from specagent.cli import check, diff, draft, drift, evaluate, export, index, tui  # noqa: F401  (register commands)
from specagent.cli.app import app

try:  # typer >= 0.20 vendors click and does not re-export its exceptions
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover - older typer on the real click
    from click.exceptions import ClickException, NoArgsIsHelpError, UsageError  # type: ignore[assignment]


def main() -> None:
    """Console-script entry point.

    Click reports usage errors with exit code 2; specagent keeps 2 for a bad input path, so a
    usage error (unknown flag, missing argument) exits 1, as every command's help says.
    """
    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError:
        sys.exit(0)  # the help was shown: asking for it is not an error
    except UsageError as exc:
        exc.show()
        sys.exit(1)
    except ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Abort:
        print("aborted", file=sys.stderr)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["app", "main"]
