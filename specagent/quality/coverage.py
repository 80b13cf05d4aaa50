"""Gold-fact coverage: does a spec state what a prototype's expected.yaml says it must?

Three readings of "states", from strict to loose:

- **strict**: all of a fact's ``must_match`` tokens appear together in the text of one item
  (never its citations) of one of the sections the fact names. Dumping source text earns
  nothing: the tokens must meet inside a single item.
- **spread**: every token appears in some item of the sections the fact names, not necessarily
  the same one. A fact that names several things a structured spec rightly splits ("the API
  serves `/predict` and `/health`") is stated when each has its item.
- **loose**: any token anywhere in the spec; shown only to tell how much structure matters.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, field_validator

from specagent.spec.model import SECTION_PREFIXES, Spec, item_text

#: What a gold fact is about (the real-prototype set tags every fact; the corpus may not).
CATEGORIES: tuple[str, ...] = (
    "purpose",
    "behavior",
    "interface",
    "data",
    "config",
    "dependency",
    "metric",
    "risk",
    "deploy",
    "tests",
)
UNCATEGORISED = "uncategorised"


class GoldFact(BaseModel):
    """One entry of an ``expected.yaml``."""

    id: str
    fact: str
    must_match: list[str] = Field(min_length=1)
    sections: list[str] = Field(min_length=1)
    source: str  # "path:lines", e.g. "app/main.py:12-30" or "eda.ipynb:cell 4"
    category: str | None = None

    @field_validator("sections")
    @classmethod
    def _known_sections(cls, value: list[str]) -> list[str]:
        unknown = [s for s in value if s not in SECTION_PREFIXES]
        if unknown:
            raise ValueError(f"unknown spec sections {unknown}; use {list(SECTION_PREFIXES)}")
        return value

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str | None) -> str | None:
        if value is not None and value not in CATEGORIES:
            raise ValueError(f"unknown category {value!r}; use one of {list(CATEGORIES)}")
        return value


class CategoryCounts(BaseModel):
    """Facts of one category and how many of them each reading covers."""

    total: int = 0
    strict: int = 0
    spread: int = 0


class CoverageReport(BaseModel):
    total: int
    covered: list[str]
    missed: list[str]
    loose_covered: list[str]
    spread_covered: list[str] = Field(default_factory=list)
    categories: dict[str, CategoryCounts] = Field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return len(self.covered) / self.total if self.total else 1.0

    @property
    def spread_ratio(self) -> float:
        return len(self.spread_covered) / self.total if self.total else 1.0

    @property
    def loose_ratio(self) -> float:
        return len(self.loose_covered) / self.total if self.total else 1.0


def load_expected(path: Path) -> list[GoldFact]:
    """Read an expected.yaml: a list of gold facts (or a mapping with a ``facts`` list)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("facts", [])
    return [GoldFact.model_validate(entry) for entry in data or []]


def _section_texts(spec: Spec, section: str) -> list[str]:
    texts = [item_text(item) for item in spec.section_items(section)]
    if section == "overview" and spec.overview.problem is not None:
        texts.append(spec.overview.problem.text)
    return texts


def is_covered(spec: Spec, fact: GoldFact) -> bool:
    """All tokens of ``fact`` inside one item of one of its sections (case-sensitive)."""
    return any(
        all(token in text for token in fact.must_match)
        for section in fact.sections
        for text in _section_texts(spec, section)
    )


def is_spread_covered(spec: Spec, fact: GoldFact) -> bool:
    """Every token of ``fact`` in some item of the fact's sections (not necessarily one item)."""
    texts = [text for section in fact.sections for text in _section_texts(spec, section)]
    return all(any(token in text for text in texts) for token in fact.must_match)


def coverage(spec: Spec, facts: list[GoldFact]) -> CoverageReport:
    """Score a spec against gold facts: strict, spread and loose, and per category."""
    everything = " ".join(t for s in SECTION_PREFIXES for t in _section_texts(spec, s))
    covered = [f.id for f in facts if is_covered(spec, f)]
    spread = [f.id for f in facts if f.id in covered or is_spread_covered(spec, f)]
    loose = [f.id for f in facts if any(tok in everything for tok in f.must_match)]
    totals: Counter[str] = Counter()
    strict_hits: Counter[str] = Counter()
    spread_hits: Counter[str] = Counter()
    for fact in facts:
        category = fact.category or UNCATEGORISED
        totals[category] += 1
        strict_hits[category] += fact.id in covered
        spread_hits[category] += fact.id in spread
    return CoverageReport(
        total=len(facts),
        covered=covered,
        missed=[f.id for f in facts if f.id not in covered],
        loose_covered=loose,
        spread_covered=spread,
        categories={
            c: CategoryCounts(total=totals[c], strict=strict_hits[c], spread=spread_hits[c]) for c in sorted(totals)
        },
    )
