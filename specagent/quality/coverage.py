"""Gold-fact coverage: does a spec state what a corpus prototype's expected.yaml says it must?

A fact is covered when all of its ``must_match`` tokens appear together in the text of one item
(never its citations) of one of the sections the fact names. Dumping source text earns nothing:
the tokens must meet inside a single item. The loose figure (any token anywhere) is reported
beside it only to show how much structure matters.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field, field_validator

from specagent.spec.model import SECTION_PREFIXES, Spec, item_text


class GoldFact(BaseModel):
    """One entry of ``corpus/NAME/expected.yaml``."""

    id: str
    fact: str
    must_match: list[str] = Field(min_length=1)
    sections: list[str] = Field(min_length=1)
    source: str  # "path:lines", e.g. "app/main.py:12-30" or "eda.ipynb:cell 4"

    @field_validator("sections")
    @classmethod
    def _known_sections(cls, value: list[str]) -> list[str]:
        unknown = [s for s in value if s not in SECTION_PREFIXES]
        if unknown:
            raise ValueError(f"unknown spec sections {unknown}; use {list(SECTION_PREFIXES)}")
        return value


class CoverageReport(BaseModel):
    total: int
    covered: list[str]
    missed: list[str]
    loose_covered: list[str]

    @property
    def ratio(self) -> float:
        return len(self.covered) / self.total if self.total else 1.0

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


def coverage(spec: Spec, facts: list[GoldFact]) -> CoverageReport:
    """Score a spec against gold facts, strict and loose."""
    everything = " ".join(t for s in SECTION_PREFIXES for t in _section_texts(spec, s))
    covered = [f.id for f in facts if is_covered(spec, f)]
    loose = [f.id for f in facts if any(tok in everything for tok in f.must_match)]
    return CoverageReport(
        total=len(facts),
        covered=covered,
        missed=[f.id for f in facts if f.id not in covered],
        loose_covered=loose,
    )
