"""Success metrics (notebook and note measurements as baselines) and constraints."""

from __future__ import annotations

import re
from collections import defaultdict

from specagent.ingest.models import Fact, FactKind
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


def _baseline_text(fact: Fact) -> str:
    """The baseline as a reader wants it: the printed text when it names the metric, else the
    printed number (trailing zeros kept) and unit, e.g. a value read from a results table row."""
    d = fact.detail
    raw = clean(d.get("raw") or "", 120)
    value = d.get("value")
    if raw and fact.name.split()[-1].lower() in raw.lower():
        return raw
    printed = next(
        (tok for tok in re.findall(r"-?\$?\d[\d,]*\.?\d*%?", raw) if _number(tok) == value),
        None if value is None else f"{value:g}",
    )
    unit = str(d.get("unit") or "")
    text = f"{fact.name} {printed}{'' if unit in ('', '%') or (printed and printed.endswith('%')) else ' ' + unit}"
    return clean(text if printed else raw or fact.name, 120)


def _shown(metric: Metric) -> str:
    """The baseline in backticks when it is the prototype's own text, plain when composed."""
    raw = metric.baseline.raw if metric.baseline else metric.name
    quote = (metric.sources[0].quote or "").rstrip("…") if metric.sources else ""
    return tick(raw) if quote and raw.startswith(quote) else raw


def _number(token: str) -> float | None:
    try:
        return float(token.replace("$", "").replace(",", "").rstrip("%"))
    except ValueError:
        return None


def _comparable(value: object, unit: object) -> float | None:
    """A value in base units rounded to 2 significant digits: 2268 ms and ~2.3 s compare equal."""
    if not isinstance(value, int | float):
        return None
    number = float(value)
    unit = str(unit or "").lower()
    if unit == "ms":
        number /= 1000
    elif unit == "%":
        number /= 100
    return float(f"{number:.2g}")


def _units_agree(mine: object, theirs: object) -> bool:
    """Equal units, or one side printed none (a "$" column header the other table left out)."""
    return not mine or not theirs or mine == theirs


def _same_measurement(fact: Fact, metric: Metric, context: object, exact: tuple[float, ...] = ()) -> bool:
    """The same quantity reported twice: related names (one's words within the other's), equal
    values, and no two different model/run contexts. Where either side sums up a table's rows,
    ``exact`` lists the values it states (its row's, the other extreme's): only an exact repeat
    of one of them is the same measurement."""
    theirs = metric.baseline
    if theirs is None:
        return False
    a, b = set(fact.name.lower().split()), set(metric.name.lower().split())
    if not (a <= b or b <= a):
        # Names worded apart ("cost per 1k", "cost / 1,000 tickets"): the same quantity only when
        # both start alike, name the same run and print the very same value.
        other_context = metric.definition.partition(" for `")[2].split("`")[0]
        return (
            not exact
            and fact.name.lower().split()[:1] == metric.name.lower().split()[:1]
            and bool(context)
            and str(context) == other_context
            and fact.detail.get("value") == theirs.value
            and _units_agree(fact.detail.get("unit"), theirs.unit)
        )
    if exact:
        return fact.detail.get("value") in exact and (fact.detail.get("unit") or None) == theirs.unit
    mine = _comparable(fact.detail.get("value"), fact.detail.get("unit"))
    if mine is None or mine != _comparable(theirs.value, theirs.unit):
        return False
    other_context = metric.definition.partition(" for `")[2].split("`")[0]
    if context and other_context and str(context) != other_context:
        # Two runs named differently (`logreg` and `LogisticRegression`): only an exact repeat
        # of the printed value is the same measurement.
        return fact.detail.get("value") == theirs.value and (fact.detail.get("unit") or None) == theirs.unit
    return True


def _row_text(detail: dict[str, object]) -> str:
    """Which row of a table a summarised value comes from, and what else the table says:
    ": lowest of 9 rows by `field` at `vat_amount`; highest `currency` 0.933", or for a sweep
    ": best of 5 values tried, at `threshold` = 0.6 (`fallback_rate` 7.3%)"."""
    row = detail.get("row")
    if not isinstance(row, dict) or not row.get("label"):
        return ""
    label, key, pick = clean(row["label"], 60), row.get("key"), str(row.get("pick") or "")
    also = [(clean(a, 40), clean(v, 20)) for a, v in row.get("also") or [] if a and v][:3]
    if pick == "best" and key:
        there = ", ".join(f"{tick(a)} {v}" for a, v in also)
        return f": best of {row.get('rows')} values tried, at {tick(key)} = {label}" + (f" ({there})" if there else "")
    by = f" by {tick(clean(key, 40))}" if key else ""
    text = f": {pick} of {row.get('rows')} rows{by} at {tick(label)}"
    if also:
        text += f"; {'highest' if pick == 'lowest' else 'lowest'} {tick(also[0][0])} {also[0][1]}"
    return text


def _exact(fact: Fact, metric: Metric, summaries: dict[str, tuple[float, ...]]) -> tuple[float, ...]:
    """The values a twin must repeat exactly when either side sums up a table column."""
    if metric.id in summaries:
        return summaries[metric.id]
    if fact.detail.get("row") and metric.baseline and metric.baseline.value is not None:
        return (metric.baseline.value,)
    return ()


def metrics(book: FactBook) -> list[Metric]:
    items: list[Metric] = []
    summaries: dict[str, tuple[float, ...]] = {}  # items that sum up a table column: the values they state
    # Notebook outputs first: a measurement outranks the note that repeats it.
    ordered = sorted(book.facts(FactKind.METRIC), key=lambda f: (not f.source.path.endswith(".ipynb"), fact_order(f)))
    for fact in ordered:
        d = fact.detail
        value = d.get("value")
        # One value printed twice (a summary table, the README quoting the notebook) is one baseline.
        twin = next(
            (m for m in items if _same_measurement(fact, m, d.get("context"), _exact(fact, m, summaries))), None
        )
        if twin is not None:
            if len(twin.sources) < 3 and cite(fact) not in twin.sources:
                twin.sources.append(cite(fact))
            continue
        context = f" for `{clean(d['context'], 60)}`" if d.get("context") else ""
        split = f" on the {d['split']} split" if d.get("split") else ""
        metric = Metric(
            id=book.id("SM"),
            name=clean(fact.name, 80),
            definition=f"{fact.name}{context}{split}{_row_text(d)}",
            baseline=Baseline(
                value=float(value) if isinstance(value, int | float) else None,
                unit=str(d["unit"]) if d.get("unit") else None,
                raw=_baseline_text(fact),
            ),
            sources=[cite(fact)],
        )
        items.append(metric)
        if isinstance(d.get("row"), dict) and metric.baseline and metric.baseline.value is not None:
            also = [_number(str(v)) for _, v in d["row"].get("also") or []]
            summaries[metric.id] = (metric.baseline.value, *(v for v in also if v is not None))
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


def _category(fact: Fact) -> str | None:
    """The runtime constraint a measurement speaks to; training time and the like speak to none."""
    name = fact.name.lower()
    unit = str(fact.detail.get("unit") or "").lower()
    if any(w in name for w in ("train", "fit", "epoch", "build")):
        return None
    probe = f"{name} {unit}"
    if any(w in probe for w in THROUGHPUT_WORDS):
        return "throughput"
    if any(w in probe for w in COST_WORDS):
        return "cost"
    if any(w in probe for w in LATENCY_WORDS) or unit.split(" ")[0] in {"ms", "s"}:
        return "latency"
    if any(w in probe.split() for w in MEMORY_WORDS):
        return "other"
    return None


def constraints(book: FactBook, metrics: list[Metric] | None = None) -> list[Constraint]:
    """One constraint per runtime concern the prototype measured (latency, cost, throughput,
    memory), quoting its measurements; targets come from the notes via the metrics."""
    items: list[Constraint] = []
    by_category: dict[str, list[Metric]] = defaultdict(list)
    for metric in metrics or []:
        first = metric.sources[0]
        fact = next((f for f in book.facts(FactKind.METRIC) if f.source.path == first.path and cite(f) == first), None)
        category = _category(fact) if fact is not None else None
        if category:
            by_category[category].append(metric)
    for category, measured in by_category.items():
        quoted = ", ".join(_shown(m) for m in measured[:4] if m.baseline)
        more = f" and {len(measured) - 4} more" if len(measured) > 4 else ""
        targets = [f"{m.name} {m.target}" for m in measured if m.target]
        items.append(
            Constraint(
                id=book.id("MC"),
                category=category,  # type: ignore[arg-type]
                statement=f"The prototype measured {quoted}{more}.",
                target="; ".join(targets) or None,
                sources=[m.sources[0] for m in measured[:4]],
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
                "environment; none of them may appear in logs, commits or prompts.",
                sources=cites(secrets, 3),
            )
        )
    if not any(c.category == "latency" for c in items):
        book.ask(
            "What latency budget must a request meet (p95, in ms)?",
            "The prototype measured no latency; production needs a measurable bound.",
        )
    return items
