"""Precision and recall of the smell detector against labelled sentences.

The data is ``evals/data/requirements.jsonl``: ``{"id", "text", "smells": [...], "split"}`` per
line. Scores are micro-averaged over (sentence, smell) pairs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from specagent.errors import SpecFileError
from specagent.quality.smells import SMELLS, smell_kinds


class LabelledSentence(BaseModel):
    """One line of requirements.jsonl."""

    id: str
    text: str
    smells: list[str] = Field(default_factory=list)
    split: str = "dev"

    @field_validator("smells")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(SMELLS))
        if unknown:
            raise ValueError(f"unknown smells {unknown}; the vocabulary is {list(SMELLS)}")
        return value


class Counts(BaseModel):
    """True positives, false positives, false negatives, and the ratios they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "support": self.support,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


class Mistake(BaseModel):
    """A sentence the detector got wrong on some smell."""

    id: str
    text: str
    missed: list[str]
    spurious: list[str]


class SmellScores(BaseModel):
    """Per-smell and overall (micro-averaged) counts for one set of sentences."""

    sentences: int
    per_smell: dict[str, Counts]
    overall: Counts
    mistakes: list[Mistake] = Field(default_factory=list)


def load_sentences(path: Path) -> list[LabelledSentence]:
    """Read a requirements.jsonl; a bad line is an error naming its line number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SpecFileError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    out = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out.append(LabelledSentence.model_validate(json.loads(line)))
        except ValueError as exc:
            first = str(exc).splitlines()[0]
            raise SpecFileError(f"{path}:{number}: bad labelled sentence ({first})") from exc
    return out


def score(
    sentences: Iterable[LabelledSentence],
    detector: Callable[[str], set[str]] = smell_kinds,
) -> SmellScores:
    """Compare the detector with the labels, pair by pair."""
    per = {s: Counts() for s in SMELLS}
    overall = Counts()
    mistakes = []
    n = 0
    for sentence in sentences:
        n += 1
        gold = set(sentence.smells)
        got = detector(sentence.text)
        for smell in SMELLS:
            c = per[smell]
            if smell in gold and smell in got:
                c.tp += 1
                overall.tp += 1
            elif smell in got:
                c.fp += 1
                overall.fp += 1
            elif smell in gold:
                c.fn += 1
                overall.fn += 1
        if gold != got:
            mistakes.append(
                Mistake(
                    id=sentence.id,
                    text=sentence.text,
                    missed=sorted(gold - got),
                    spurious=sorted(got - gold),
                )
            )
    return SmellScores(sentences=n, per_smell=per, overall=overall, mistakes=mistakes)


def score_splits(sentences: list[LabelledSentence]) -> dict[str, SmellScores]:
    """Scores on every split present (``dev``, ``test``) and on ``all`` sentences."""
    splits = sorted({s.split for s in sentences})
    result = {name: score(s for s in sentences if s.split == name) for name in splits}
    result["all"] = score(sentences)
    return result
