"""The lexical side of the index: BM25 (bm25s) over identifier-aware tokens.

Dense vectors blur exact names; BM25 finds ``load_config`` or ``MAX_RETRIES`` by the word. Tokens
keep each identifier whole and also split it at snake_case and camelCase boundaries, so a query
for "retry count" meets ``retryCount`` and ``retry_count``; words are Snowball-stemmed (PyStemmer,
the stemmer bm25s uses), so "dependency" meets "dependencies". A query that names an identifier
the index holds is matched on the whole name only (:func:`query_tokens`): exact names win.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Container, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from specagent.ingest.models import Chunk

_WORD = re.compile(r"[A-Za-z0-9_]+")
# Boundaries inside an identifier: lower→Upper, ACRONYMWord, letter↔digit.
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
#: Most query words in a row tried as one identifier ("max retry count" as ``max_retry_count``).
MAX_JOINED = 3


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


@lru_cache(maxsize=1)
def _stem() -> Callable[[str], str]:
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    return lru_cache(maxsize=65536)(stemmer.stemWord)


def _word_tokens(word: str) -> tuple[str | None, list[str]]:
    """(the whole identifier lower-cased, or None for a plain word; its stemmed parts)."""
    stem = _stem()
    stop = _stopwords()
    lower = word.lower().strip("_")
    if len(lower) < 2 or lower in stop:
        return None, []
    parts = [p.lower() for piece in word.split("_") for p in _CAMEL.findall(piece)]
    if len(parts) > 1:
        return lower, [stem(p) for p in parts if len(p) > 1 and p not in stop]
    return None, [stem(lower)]


def tokenize(text: str) -> list[str]:
    """Lower-cased tokens: every word (stemmed), plus its snake_case/camelCase parts (stemmed)
    when it has some; an identifier also stays whole, so exact names still match exactly."""
    tokens: list[str] = []
    for word in _WORD.findall(text):
        whole, parts = _word_tokens(word)
        if whole is not None:
            tokens.append(whole)
        tokens.extend(parts)
    return tokens


def query_terms(query: str, vocab: Container[str]) -> dict[str, float]:
    """The tokens a query is scored with, each with its weight (how often the query says it).

    An identifier the index holds whole (``CHUNK_SIZE``) counts only whole, so chunks that name
    it outrank chunks that merely share its parts (``chunks``, ``collection_size``). An
    identifier the index lacks, and any plain word, is looked up by its parts, so "chunk size"
    still meets ``CHUNK_SIZE``; and plain words in a row that the index holds joined as one
    identifier ("chunk size" as ``chunk_size`` or ``chunkSize``) add that identifier, so the
    chunk that names it comes first.
    """
    terms: dict[str, float] = {}
    run: list[str] = []  # the plain words just read, for joins
    for word in _WORD.findall(query):
        whole, parts = _word_tokens(word)
        found = [whole] if whole is not None and whole in vocab else [p for p in parts if p in vocab]
        if whole is None and "_" not in word:
            run = [*run[-(MAX_JOINED - 1) :], word.lower()]
            for n in range(2, len(run) + 1):
                joined = next((j for j in ("_".join(run[-n:]), "".join(run[-n:])) if j in vocab), None)
                if joined is not None:
                    found.append(joined)
        else:
            run = []
        for token in found:
            terms[token] = terms.get(token, 0.0) + 1.0
    return terms


class ChunkRecord(BaseModel):
    """What a search hit needs of a chunk, kept beside the BM25 matrix."""

    model_config = ConfigDict(frozen=True)

    id: str
    path: str
    start_line: int
    end_line: int
    cell: int | None = None
    kind: str
    text: str
    symbols: list[str] = []

    @classmethod
    def of(cls, chunk: Chunk) -> ChunkRecord:
        return cls(
            id=chunk.id,
            path=chunk.path,
            start_line=chunk.span.start_line,
            end_line=chunk.span.end_line,
            cell=chunk.span.cell,
            kind=str(chunk.kind),
            text=chunk.text,
            symbols=list(chunk.symbols),
        )


def lexical_text(record: ChunkRecord) -> str:
    """The text BM25 indexes: the path and symbols count as words of the chunk."""
    return f"{record.path} {' '.join(record.symbols)}\n{record.text}"


class LexicalIndex:
    """BM25 over chunk records; saved as a folder of bm25s files, ``records.json`` and
    ``tokens.txt`` (each record's tokens, so an incremental run re-tokenizes only new chunks)."""

    RECORDS = "records.json"
    TOKENS = "tokens.txt"

    def __init__(
        self,
        records: Sequence[ChunkRecord],
        tokens: Sequence[list[str]] | None = None,
        bm25: Any = None,
    ) -> None:
        self.records = list(records)
        self._row = {r.id: i for i, r in enumerate(self.records)}
        self.tokens = list(tokens) if tokens is not None else [tokenize(lexical_text(r)) for r in self.records]
        if bm25 is None:
            corpus = self.tokens
            if not any(corpus):
                # bm25s cannot index a corpus without a single token; a token no query can
                # produce keeps the shapes valid.
                corpus = [["\x00"]] * max(1, len(corpus))
            import bm25s

            bm25 = bm25s.BM25()
            bm25.index(corpus, show_progress=False)
        self._bm25 = bm25

    def __len__(self) -> int:
        return len(self.records)

    def merged(self, keep: Callable[[ChunkRecord], bool], new: Sequence[ChunkRecord]) -> LexicalIndex:
        """A new index: the records ``keep`` accepts (their tokens reused) plus ``new`` ones."""
        kept = [(r, t) for r, t in zip(self.records, self.tokens, strict=True) if keep(r)]
        records = [r for r, _ in kept] + list(new)
        tokens = [t for _, t in kept] + [tokenize(lexical_text(r)) for r in new]
        return LexicalIndex(records, tokens)

    def save(self, folder: Path) -> None:
        """Write atomically: a crash leaves the old folder or the new one, never half of each."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
        old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        self._bm25.save(str(tmp))
        (tmp / self.RECORDS).write_text(json.dumps([r.model_dump() for r in self.records]), encoding="utf-8")
        # Tokens never hold spaces or newlines: one line per record.
        (tmp / self.TOKENS).write_text("\n".join(" ".join(t) for t in self.tokens), encoding="utf-8")
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Read a saved index; raises ``OSError``/``ValueError`` when it is missing or damaged."""
        raw = json.loads((folder / cls.RECORDS).read_text(encoding="utf-8"))
        records = [ChunkRecord.model_validate(r) for r in raw]
        lines = (folder / cls.TOKENS).read_text(encoding="utf-8").split("\n") if records else []
        if len(lines) != len(records):
            raise ValueError(f"{folder}: {len(lines)} token lines for {len(records)} records")
        tokens = [line.split() for line in lines]
        import bm25s

        bm25 = bm25s.BM25.load(str(folder))
        return cls(records, tokens, bm25)

    def row(self, chunk_id: str) -> ChunkRecord | None:
        """The record of ``chunk_id``, if this index holds it."""
        i = self._row.get(chunk_id)
        return None if i is None else self.records[i]

    def search(self, query: str, k: int, *, mask: np.ndarray | None = None) -> list[tuple[ChunkRecord, float]]:
        """Top ``k`` records by BM25 score (only those with a positive score, and in ``mask``)."""
        if not self.records:
            return []
        terms = query_terms(query, self._bm25.vocab_dict)
        if not terms:
            return []
        scores = np.zeros(len(self.records), dtype=np.float64)
        for token, weight in terms.items():
            scores += weight * np.asarray(self._bm25.get_scores([token]), dtype=np.float64)[: len(self.records)]
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:k]
        return [(self.records[i], float(scores[i])) for i in top if scores[i] > 0]
