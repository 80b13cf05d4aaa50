"""The Textual app behind ``specagent tui``: :func:`make_app` builds it for the CLI and the tests."""

from specagent.tui.app import SpecApp, make_app

__all__ = ["SpecApp", "make_app"]
