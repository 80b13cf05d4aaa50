"""The redaction machinery: the character ranges found to hold secrets, merged where they overlap
and replaced by ``[REDACTED]`` line by line, so the text keeps its line count, and one
:class:`SecretFinding` per secret.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

REDACTED = "[REDACTED]"


@dataclass(frozen=True, slots=True)
class SecretFinding:
    """A secret found on ``line`` (1-based); the value itself is never kept."""

    line: int
    secret_type: str
    variable: str | None = None


@dataclass(slots=True)
class Redacted:
    """The text with every secret value replaced, and what was found."""

    text: str
    findings: list[SecretFinding] = field(default_factory=list)


class SecretSpans:
    """Character ranges to redact, each with a finding; overlapping ranges merge."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0]
        self.line_starts.extend(m.end() for m in re.finditer("\n", text))
        # (start, end, secret_type, variable, replacement, line reported or None for own line)
        self.ranges: list[tuple[int, int, str, str | None, str, int | None]] = []

    def line_of(self, pos: int) -> int:
        """The 1-based line of character offset ``pos``."""
        return bisect.bisect_right(self.line_starts, pos)

    def add(
        self,
        start: int,
        end: int,
        secret_type: str,
        variable: str | None = None,
        replacement: str = REDACTED,
        report_line: int | None = None,
    ) -> None:
        """A range to redact; ``report_line`` reports its finding on another line than its own."""
        if end > start:
            self.ranges.append((start, end, secret_type, variable, replacement, report_line))

    def apply(self) -> Redacted:
        """The text with every range replaced (overlapping ones merged) and one finding per secret."""
        if not self.ranges:
            return Redacted(self.text, [])
        # Earlier start first; for one start, the range added first (a plugin's) wins.
        ordered = sorted(self.ranges, key=lambda r: r[0])
        merged: list[list[Any]] = []
        for start, end, stype, var, repl, line in ordered:
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
                merged[-1][4] = REDACTED  # a merged range is no longer one bare YAML value
                if merged[-1][3] is None:
                    merged[-1][3] = var
                continue
            merged.append([start, end, stype, var, repl, line])
        out: list[str] = []
        findings: list[SecretFinding] = []
        seen: set[tuple[int, str, str | None]] = set()
        pos = 0
        for start, end, stype, var, repl, line in merged:
            out.append(self.text[pos:start])
            # A range never swallows a newline: redact each line's part, keep the line count.
            pieces = self.text[start:end].split("\n")
            out.append("\n".join(repl if piece else "" for piece in pieces))
            pos = end
            key = (line or self.line_of(start), stype, var)
            if key not in seen:
                seen.add(key)
                findings.append(SecretFinding(*key))
        out.append(self.text[pos:])
        findings.sort(key=lambda f: f.line)
        return Redacted("".join(out), findings)
