"""Truthfulness: do the identifiers and paths a spec names in backticks exist in the repository?

The repository's text is tokenised once into a set; each backticked span is then looked up in
constant time (falling back to one substring search for spans with punctuation).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath

BACKTICKED = re.compile(r"`([^`\n]+)`")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Words in a span that are syntax, not names: HTTP verbs, literals, builtin types, CLI glue.
NOT_NAMES = frozenset(
    """GET POST PUT PATCH DELETE HEAD OPTIONS None True False null true false str int float
    bool list dict tuple set bytes Any Optional Union self cls python pip the a an or and of
    to in is""".split()
)
# Spans that are values or prose rather than names (numbers, operators, placeholders).
_NOT_A_NAME = re.compile(r"^[\d\s.,:;%$<>=!+\-*/()\[\]{}'\"]*$")
# A location the spec points at: ``path:12``, ``path:12-30``, ``nb.ipynb cell 4``.
_LOCATION = re.compile(r"^(?P<path>[^\s:]+)(?::\d+(?:-\d+)?|\s+cell\s+\d+)$")


@dataclass(frozen=True, slots=True)
class Lookup:
    """A backticked span and whether the repository has it."""

    span: str
    found: bool


class RepoText:
    """The repository's files, tokenised once for fast lookups."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.paths = frozenset(texts)
        dirs: set[str] = set()
        for path in texts:
            parts = PurePosixPath(path).parts
            dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
        self.dirs = frozenset(dirs)
        self.names = frozenset(PurePosixPath(p).name for p in texts)
        self.blob = "\n".join(texts.values())
        tokens: set[str] = set()
        for text in texts.values():
            tokens.update(IDENT.findall(text))
        self.tokens = frozenset(tokens)

    def has_path(self, span: str) -> bool:
        """A file or folder of the repository (``./`` and trailing ``/`` ignored)."""
        clean = span.strip().removeprefix("./").rstrip("/")
        return clean in self.paths or clean in self.dirs or clean in self.names

    def has(self, span: str) -> bool:
        """Whether ``span`` names something in the repository."""
        span = span.strip()
        if self.has_path(span) or span in self.tokens:
            return True
        location = _LOCATION.match(span)
        if location:
            return self.has_path(location["path"])
        words = [w for w in IDENT.findall(span) if w not in NOT_NAMES and len(w) > 1]
        if words and all(w in self.tokens for w in words):
            return True
        # "roc auc" names roc_auc / roc-auc as prose does
        if len(words) > 1 and " " in span and ("_".join(words) in self.tokens or "-".join(words) in self.blob):
            return True
        if re.fullmatch(r"[A-Za-z_][\w.]*\.[A-Za-z_]\w*", span):
            # A library attribute (``DataFrame.to_csv``): the prototype must use the attribute.
            return span.rsplit(".", 1)[1] in self.tokens
        if len(span) < 3:
            return False
        # Prose may change a name's case ("mrr@5" for MRR@5).
        return span in self.blob or span.lower() in self.lower_blob

    @cached_property
    def lower_blob(self) -> str:
        return self.blob.lower()

    def lookup(self, spans: Iterable[str]) -> list[Lookup]:
        """Each checkable span with its verdict (values and prose-like spans are skipped)."""
        out = []
        for span in spans:
            if is_checkable(span):
                out.append(Lookup(span, self.has(span)))
        return out


def is_checkable(span: str) -> bool:
    """Spans that name something: not numbers or operators, not long prose."""
    span = span.strip()
    if not span or _NOT_A_NAME.match(span) or "*" in span or "?" in span:
        return False  # values, operators and glob patterns name nothing
    if not re.search(r"[A-Za-z]", span):
        return False  # "##", "-->": markup, not a name
    # A backticked sentence is an example or a quote, not a name to look up.
    return len(span.split()) <= 4


def backticked(text: str) -> list[str]:
    """Every backticked span in ``text``."""
    return BACKTICKED.findall(text)
