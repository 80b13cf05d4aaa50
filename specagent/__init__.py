"""specagent: draft a grounded production spec from an AI prototype."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
