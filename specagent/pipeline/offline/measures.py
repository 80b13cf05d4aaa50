"""Success metrics (notebook and note measurements as baselines) and constraints."""

from __future__ import annotations

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
    if items:
        names = sorted({m.name for m in items})
        book.ask(
            f"Which targets must production meet for {', '.join(map(tick, names[:6]))}"
            f"{' and others' if len(names) > 6 else ''}?",
            "The prototype measured baselines but no targets; each metric needs one to be testable.",
            sources=[items[0].sources[0]],
        )
    else:
        book.ask(
            "How will success be measured, and what baseline does the prototype reach?",
            "No notebook output or note reports a metric.",
        )
    return items


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
                statement=f"Every request that reaches {named} through {', '.join(map(tick, clients))} "
                "is paid per token; production needs a cost budget per request.",
                sources=cites(llm, 3),
            )
        )
        items.append(
            Constraint(
                id=book.id("MC"),
                category="privacy",
                provenance="inferred",
                statement=f"Text sent to {named} leaves the system; what data may be sent must be decided.",
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
                statement=f"Secrets {', '.join(map(tick, names[:6]))} come from the environment and "
                "must never be logged, committed or sent to a model.",
                sources=cites(secrets, 3),
            )
        )
    if not any(c.category == "latency" for c in items):
        book.ask(
            "What latency budget must a request meet (p95, in ms)?",
            "The prototype measured no latency; production needs a measurable bound.",
        )
    return items
