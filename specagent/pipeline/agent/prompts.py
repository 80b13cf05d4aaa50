"""Prompt files: found in the wheel (``specagent/_prompts``) or the source tree (``prompts/``),
versioned by their first line, rendered by ``string.Template`` that fails on a missing name."""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from specagent.errors import SpecagentError

_PACKAGE = Path(__file__).resolve().parents[2]


def prompts_dir() -> Path:
    """Where the prompt files are: inside the installed package, else the repository's prompts/."""
    for candidate in (_PACKAGE / "_prompts", _PACKAGE.parent / "prompts"):
        if (candidate / "system.md").is_file():
            return candidate
    raise SpecagentError("specagent's prompt files are missing from this installation (reinstall specagent)")


@dataclass(frozen=True)
class Prompt:
    """One prompt file: its name, version and template."""

    name: str
    version: str
    template: str

    def render(self, **values: object) -> str:
        """The text with every ``$name`` filled; a missing one raises (never rendered blank)."""
        try:
            return string.Template(self.template).substitute({k: str(v) for k, v in values.items()})
        except KeyError as exc:
            raise SpecagentError(f"prompt {self.name}: no value for ${exc.args[0]}") from None


@cache
def load_prompt(name: str) -> Prompt:
    """The prompt ``prompts/<name>.md``; its first line must be ``version: N``."""
    path = prompts_dir() / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise SpecagentError(f"prompt file {path} is missing") from None
    first, _, rest = text.partition("\n")
    if not first.startswith("version:"):
        raise SpecagentError(f"prompt file {path} must start with a 'version: N' line")
    return Prompt(name=name, version=first.removeprefix("version:").strip(), template=rest.strip() + "\n")
