"""``guarded``: an action or handler that fails says so in one line; the app never crashes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from textual.app import App

from specagent.errors import SpecagentError

P = ParamSpec("P")
AppT = TypeVar("AppT", bound=App[Any])


def guarded(func: Callable[Concatenate[AppT, P], None]) -> Callable[Concatenate[AppT, P], None]:
    """Report any error of an action or handler as a notification: the app never crashes."""

    @wraps(func)
    def wrapper(self: AppT, /, *args: P.args, **kwargs: P.kwargs) -> None:
        try:
            func(self, *args, **kwargs)
        except SpecagentError as exc:
            self.notify(str(exc), severity="error")
        except Exception as exc:  # a bug must not cost the person their session
            self.log.error(exc)
            self.notify(f"internal error: {type(exc).__name__}: {exc}", severity="error")

    return wrapper
