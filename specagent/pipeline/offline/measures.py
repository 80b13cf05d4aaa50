"""Success metrics (notebook and note measurements as baselines) and constraints."""

from __future__ import annotations

import re

from specagent.ingest.models import FactKind
from specagent.pipeline.offline.book import FactBook
from specagent.pipeline.offline.common import (
    COST_WORDS,
    LATENCY_WORDS,
    MEMORY_WORDS,
    THROUGHPUT_WORDS,
    cite,
    cites,
    clean,
    fact_order,
    is_team_note,
    tick,
)
from specagent.spec.model import (
    Baseline,
    Constraint,
    Metric,
)


def metrics(book: FactBook) -> list[Metric]:
    items: list[Metric] = []
    by_key: dict[tuple[str, str], Metric] = {}
    # Notebook outputs first: a measurement outranks the note that repeats it.
    ordered = sorted(book.facts(FactKind.METRIC), key=lambda f: (not f.source.path.endswith(".ipynb"), fact_order(f)))
    for fact in ordered:
        d = fact.detail
        value = d.get("value")
        # One value printed twice (a summary table, the README quoting the notebook) is one baseline.
        key = (fact.name, str(value if value is not None else d.get("raw")))
        if key in by_key:
            earlier = by_key[key]
            if len(earlier.sources) < 3 and cite(fact) not in earlier.sources:
                earlier.sources.append(cite(fact))
            continue
        context = f" for `{clean(d['context'], 60)}`" if d.get("context") else ""
        split = f" on the {d['split']} split" if d.get("split") else ""
        metric = Metric(
            id=book.id("SM"),
            name=clean(fact.name, 80),
            definition=f"{fact.name}{context}{split}",
            baseline=Baseline(
                value=float(value) if isinstance(value, int | float) else None,
                unit=str(d["unit"]) if d.get("unit") else None,
                raw=clean(d.get("raw") or f"{fact.name}: {value}", 120),
            ),
            sources=[cite(fact)],
        )
        by_key[key] = metric
        items.append(metric)
    _targets_from_notes(book, items)
    open_targets = [m for m in items if not m.target]
    if open_targets:
        names = sorted({m.name for m in open_targets})
        book.ask(
            f"Which targets must production meet for {', '.join(names[:6])}{' and others' if len(names) > 6 else ''}?",
            "The prototype measured baselines but no targets; each metric needs one to be testable.",
            sources=[open_targets[0].sources[0]],
        )
    elif not items:
        book.ask(
            "How will success be measured, and what baseline does the prototype reach?",
            "No notebook output or note reports a metric.",
        )
    return items


TARGET_RE = re.compile(
    r"(?P<op>at least|at most|no more than|no less than|under|below|above|over|less than|more than|"
    r"greater than|within|>=|<=|≥|≤|<|>)\s*(?P<num>\$?\d+(?:[.,]\d+)*)\s*(?P<unit>%|ms\b|s\b|seconds?\b|minutes?\b)?",
    re.IGNORECASE,
)


def _targets_from_notes(book: FactBook, items: list[Metric]) -> None:
    """A team note such as "accuracy must be at least 0.90" sets that metric's target (cited)."""
    for line in book.facts(FactKind.NOTE_LINE):
        if line.detail.get("cue") not in {"must", "should"} or not is_team_note(
            line.source.path, line.source.span.cell
        ):
            continue
        text = str(line.detail.get("text") or "")
        lowered = text.lower()
        for metric in items:
            at = lowered.find(metric.name.lower())
            if metric.target or at < 0:
                continue
            found = TARGET_RE.search(text, at + len(metric.name))
            if found is None:
                continue
            unit = found["unit"] or ""
            metric.target = f"{found['op'].lower()} {found['num']}{' ' if unit and unit != '%' else ''}{unit}"
            metric.sources.append(cite(line))


def constraints(book: FactBook) -> list[Constraint]:
    items: list[Constraint] = []
    measured: set[tuple[str, str]] = set()
    for fact in book.facts(FactKind.METRIC):
        # The same measurement quoted in a notebook and again in the notes is one constraint.
        key = (fact.name, str(fact.detail.get("value")))
        if key in measured:
            continue
        measured.add(key)
        name = fact.name.lower()
        unit = str(fact.detail.get("unit") or "").lower()
        probe = f"{name} {unit}"
        category = None
        if any(w in probe for w in THROUGHPUT_WORDS):
            category = "throughput"
        elif any(w in probe for w in COST_WORDS):
            category = "cost"
        elif any(w in probe for w in LATENCY_WORDS) or unit in {"ms", "s"}:
            category = "latency"
        elif any(w in probe.split() for w in MEMORY_WORDS):
            category = "other"
        if category is None:
            continue
        raw = clean(fact.detail.get("raw") or fact.name, 120)
        items.append(
            Constraint(
                id=book.id("MC"),
                category=category,  # type: ignore[arg-type]
                statement=f"The prototype measured {tick(raw)} ({fact.name}).",
                target=None,
                sources=[cite(fact)],
            )
        )
    services = book.facts(FactKind.SERVICE)
    llm = [s for s in services if s.detail.get("kind") == "llm"]
    if llm:
        models = sorted({str(m) for s in llm for m in s.detail.get("models") or []})
        clients = sorted({str(s.detail.get("client") or s.name) for s in llm})
        named = ", ".join(map(tick, models or clients))
        items.append(
            Constraint(
                id=book.id("MC"),
                category="cost",
                provenance="inferred",
                statement=f"Each call to {named} through {', '.join(map(tick, clients))} costs money per "
                "token; production needs a cost budget per request.",
                sources=cites(llm, 3),
            )
        )
        items.append(
            Constraint(
                id=book.id("MC"),
                category="privacy",
                provenance="inferred",
                statement=f"The system sends text to {named}, outside its boundary; a person must decide "
                "which data it may send.",
                sources=cites(llm, 3),
            )
        )
    secrets = [f for f in book.facts(FactKind.ENV_VAR) if f.detail.get("is_secret")]
    if secrets:
        names = sorted({f.name for f in secrets})
        items.append(
            Constraint(
                id=book.id("MC"),
                category="security",
                provenance="inferred",
                statement=f"The system reads the secrets {', '.join(map(tick, names[:6]))} from the "
                "environment; it shall never log them, commit them or send them to a model.",
                sources=cites(secrets, 3),
            )
        )
    if not any(c.category == "latency" for c in items):
        book.ask(
            "What latency budget must a request meet (p95, in ms)?",
            "The prototype measured no latency; production needs a measurable bound.",
        )
    return items
