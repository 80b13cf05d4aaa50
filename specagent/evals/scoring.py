"""Score one drafted prototype, and sum the scores of many."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from specagent.config import Settings
from specagent.evals.results import PrototypeScore
from specagent.evals.sets import EvalTarget
from specagent.quality.checks import run_checks
from specagent.quality.coverage import CategoryCounts, coverage, load_expected
from specagent.spec.markdown import render_markdown
from specagent.spec.model import Spec


class Judge(Protocol):
    """An extra scorer (an LLM judge, say): scores named by ``name``-prefixed keys."""

    name: str

    def score(self, spec: Spec, root: Path) -> dict[str, float]: ...


def _usage(result: Any) -> tuple[int, int]:
    """(calls, tokens) a draft reports; the offline drafter reports none."""
    usage = getattr(result, "usage", None)
    if usage is None:
        return 0, 0
    return int(getattr(usage, "calls", 0) or 0), int(getattr(usage, "tokens", 0) or 0)


def evaluate_prototype(
    root: Path,
    *,
    settings: Settings | None = None,
    judges: Sequence[Judge] = (),
    target: EvalTarget | None = None,
) -> PrototypeScore:
    """Draft ``root`` (or ``target``'s root) in memory and score the draft."""
    from specagent.pipeline.draft import draft

    target = target or EvalTarget("corpus", Path(root).name, Path(root), Path(root) / "expected.yaml")
    root = target.root
    facts = load_expected(target.expected)
    started = time.perf_counter()
    result = draft(root, settings=settings)
    seconds = time.perf_counter() - started
    spec = result.spec
    texts = result.ingested.texts
    report = run_checks(spec, texts)
    cov = coverage(spec, facts)
    s = report.scores
    words = len(render_markdown(spec).split())
    lines = result.ingested.lines
    calls, tokens = _usage(result)
    extra: dict[str, float] = {}
    for judge in judges:
        extra.update({f"{judge.name}.{k}": v for k, v in judge.score(spec, root).items()})
    return PrototypeScore(
        name=target.name,
        set=target.set,
        files=len(result.ingested.files),
        lines=lines,
        gold_facts=cov.total,
        coverage=cov.ratio,
        coverage_spread=cov.spread_ratio,
        coverage_loose=cov.loose_ratio,
        truthfulness=s.truthfulness,
        citation_rate=s.citation_rate,
        smell_rate=s.smell_rate,
        completeness=s.completeness,
        filled=s.filled,
        words=words,
        words_per_kloc=words / (lines / 1000) if lines else 0.0,
        seconds=seconds,
        drafter=spec.meta.drafter,
        calls=calls,
        tokens=tokens,
        tokens_in=spec.meta.model_usage.tokens_in if spec.meta.model_usage else 0,
        tokens_out=spec.meta.model_usage.tokens_out if spec.meta.model_usage else 0,
        cached_calls=spec.meta.model_usage.cached_calls if spec.meta.model_usage else 0,
        dropped=spec.meta.model_usage.dropped if spec.meta.model_usage else 0,
        demoted=spec.meta.model_usage.demoted if spec.meta.model_usage else 0,
        covered=len(cov.covered),
        spread_covered=len(cov.spread_covered),
        loose_covered=len(cov.loose_covered),
        citations=s.citations,
        citations_resolved=s.citations_resolved,
        identifiers=s.identifiers,
        identifiers_found=s.identifiers_found,
        statements=s.statements,
        statements_smelly=s.statements_smelly,
        errors=report.count("error"),
        warnings=report.count("warning"),
        missed=cov.missed,
        categories=cov.categories,
        items_per_section={section: n for section, items in spec.item_lists() if (n := len(items))},
        extra=extra,
    )


def _ratio(num: float, den: float, empty: float) -> float:
    return num / den if den else empty


def totals(scores: Sequence[PrototypeScore]) -> dict[str, float | int]:
    """Micro-averaged totals (sums of counts), means for per-spec shares."""
    n = len(scores) or 1
    lines = sum(p.lines for p in scores)
    words = sum(p.words for p in scores)
    return {
        "prototypes": len(scores),
        "gold_facts": sum(p.gold_facts for p in scores),
        "coverage": _ratio(sum(p.covered for p in scores), sum(p.gold_facts for p in scores), 1.0),
        "coverage_spread": _ratio(sum(p.spread_covered for p in scores), sum(p.gold_facts for p in scores), 1.0),
        "coverage_loose": _ratio(sum(p.loose_covered for p in scores), sum(p.gold_facts for p in scores), 1.0),
        "truthfulness": _ratio(sum(p.identifiers_found for p in scores), sum(p.identifiers for p in scores), 1.0),
        "citation_rate": _ratio(sum(p.citations_resolved for p in scores), sum(p.citations for p in scores), 1.0),
        "smell_rate": _ratio(sum(p.statements_smelly for p in scores), sum(p.statements for p in scores), 0.0),
        "completeness": sum(p.completeness for p in scores) / n,
        "filled": sum(p.filled for p in scores) / n,
        "words": words,
        "lines": lines,
        "words_per_kloc": words / (lines / 1000) if lines else 0.0,
        "seconds": sum(p.seconds for p in scores),
        "calls": sum(p.calls for p in scores),
        "tokens": sum(p.tokens for p in scores),
        "cached_calls": sum(p.cached_calls for p in scores),
        "tokens_in": sum(p.tokens_in for p in scores),
        "tokens_out": sum(p.tokens_out for p in scores),
        "dropped": sum(p.dropped for p in scores),
        "demoted": sum(p.demoted for p in scores),
    }


def category_totals(scores: Sequence[PrototypeScore]) -> dict[str, CategoryCounts]:
    """Gold facts per category over ``scores``, with how many each reading covers."""
    out: dict[str, CategoryCounts] = {}
    for p in scores:
        for name, c in p.categories.items():
            acc = out.setdefault(name, CategoryCounts())
            acc.total += c.total
            acc.strict += c.strict
            acc.spread += c.spread
    return dict(sorted(out.items()))
