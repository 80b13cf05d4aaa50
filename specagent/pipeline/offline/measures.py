"""Success metrics (notebook and note measurements as baselines) and constraints."""

from __future__ import annotations

import re
from collections import defaultdict

from specagent.ingest.details import EnvVarDetail, MetricDetail, NoteLineDetail, ServiceDetail
from specagent.ingest.metric_names import lower_is_better
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


def _printed(fact: Fact) -> str | None:
    """The fact's value as the prototype printed it ("0.850", "$0.16", "7.3%"), trailing zeros kept."""
    d = fact.detail_as(MetricDetail)
    raw = clean(d.raw or "", 120)
    value = d.value
    return next(
        (tok for tok in re.findall(r"-?\$?\d[\d,]*\.?\d*%?", raw) if _number(tok) == value),
        None if value is None else f"{value:g}",
    )


def _display_name(fact: Fact) -> str:
    """The metric's name as the prototype printed it ("MAPE", "tool_call_accuracy"), else its
    normalised name: readers search a spec for the words they saw in the notebook."""
    words = [re.escape(w) for w in fact.name.split()]
    if words:
        found = re.search(
            r"(?<![\w])" + r"[\s_-]*".join(words) + r"(?![\w])", str(fact.detail_as(MetricDetail).raw or ""), re.I
        )
        if found:
            return found.group(0)
    return fact.name


def _with_unit(printed: str, unit: str) -> str:
    """A printed value with its unit unless it shows it already ("7.3%", "$0.16")."""
    shown = unit in ("", "%") or printed.endswith("%") or (unit == "$" and printed.lstrip("-").startswith("$"))
    return printed if shown else f"{printed} {unit}"


def _baseline_text(fact: Fact) -> str:
    """The baseline as a reader wants it: the printed text when it names the metric, else the
    printed number (trailing zeros kept) and unit, e.g. a value read from a results table row."""
    d = fact.detail_as(MetricDetail)
    raw = clean(d.raw or "", 120)
    if raw and fact.name.split()[-1].lower() in raw.lower():
        return raw
    printed = _printed(fact)
    text = f"{fact.name} {_with_unit(printed, str(d.unit or ''))}" if printed else raw or fact.name
    return clean(text, 120)


def _shown(metric: Metric) -> str:
    """The baseline in backticks when it is the prototype's own text, plain when composed; a
    comparison's every run (a constraint states what was measured, not which run won)."""
    if " by run: " in metric.definition:
        return metric.definition
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
            and fact.detail_as(MetricDetail).value == theirs.value
            and _units_agree(fact.detail_as(MetricDetail).unit, theirs.unit)
        )
    if exact:
        return (
            fact.detail_as(MetricDetail).value in exact and (fact.detail_as(MetricDetail).unit or None) == theirs.unit
        )
    mine = _comparable(fact.detail_as(MetricDetail).value, fact.detail_as(MetricDetail).unit)
    if mine is None or mine != _comparable(theirs.value, theirs.unit):
        return False
    other_context = metric.definition.partition(" for `")[2].split("`")[0]
    if context and other_context and str(context) != other_context:
        # Two runs named differently (`logreg` and `LogisticRegression`): only an exact repeat
        # of the printed value is the same measurement.
        return (
            fact.detail_as(MetricDetail).value == theirs.value
            and (fact.detail_as(MetricDetail).unit or None) == theirs.unit
        )
    return True


def _rename_as_printed(metric: Metric, printed: list[str]) -> None:
    """Spell a comparison's metric as one-run lines printed it ("ROC AUC = 0.851"), where the
    table's rows did not say it."""
    shown = metric.definition.partition(" by run: ")[0]
    if shown != metric.name or metric.baseline is None:
        return  # already as printed
    words = [re.escape(w) for w in metric.name.split()]
    pattern = re.compile(r"(?<![\w])" + r"[\s_-]*".join(words) + r"(?![\w])", re.I)
    found = next((m.group(0) for text in printed if (m := pattern.search(text))), None)
    if found and found != shown:
        metric.definition = found + metric.definition[len(shown) :]
        metric.baseline.raw = found + metric.baseline.raw[len(shown) :]


def _row_of(single: Metric, comparison: Metric, values: tuple[float, ...]) -> bool:
    """Whether a one-run metric item states one of a comparison's values under a related name."""
    if single.baseline is None or comparison.baseline is None or single.baseline.value not in values:
        return False
    # Only the same metric: "peak memory" is not every row of a "memory" table.
    return single.name.lower() == comparison.name.lower() and _units_agree(
        single.baseline.unit, comparison.baseline.unit
    )


def _same_comparison(
    new: Metric, old: Metric, values: tuple[float, ...], summaries: dict[str, tuple[float, ...]]
) -> bool:
    """Two comparison items of one metric stating the same values: a notebook's table and the
    README's copy of it, whose run names and metric wording may differ ("p95" and "p95
    latency", "cost per 1k" and "cost / 1,000 tickets")."""
    theirs = summaries.get(old.id)
    if theirs is None or sorted(theirs) != sorted(values) or old.baseline is None or new.baseline is None:
        return False
    a, b = set(new.name.lower().split()), set(old.name.lower().split())
    related = a <= b or b <= a or new.name.lower().split()[:1] == old.name.lower().split()[:1]
    return related and _units_agree(new.baseline.unit, old.baseline.unit)


def _row_text(detail: MetricDetail) -> str:
    """Which row of a table a summarised value comes from, and what else the table says:
    ": lowest of 9 rows by `field` at `vat_amount`; highest `currency` 0.933", or for a sweep
    ": best of 5 values tried, at `threshold` = 0.6 (`fallback_rate` 7.3%)"."""
    row = detail.row
    if row is None or not row.label:
        return ""
    label, key, pick = clean(row.label, 60), row.key, row.pick
    also = [(clean(a, 40), clean(v, 20)) for a, v in row.also if a and v][:3]
    if pick == "best" and key:
        there = ", ".join(f"{tick(a)} {v}" for a, v in also)
        return f": best of {row.rows} values tried, at {tick(key)} = {label}" + (f" ({there})" if there else "")
    by = f" by {tick(clean(key, 40))}" if key else ""
    text = f": {pick} of {row.rows} rows{by} at {tick(label)}"
    if also:
        text += f"; {'highest' if pick == 'lowest' else 'lowest'} {tick(also[0][0])} {also[0][1]}"
    return text


def _exact(fact: Fact, metric: Metric, summaries: dict[str, tuple[float, ...]]) -> tuple[float, ...]:
    """The values a twin must repeat exactly when either side sums up a table column."""
    if metric.id in summaries:
        return summaries[metric.id]
    if fact.detail_as(MetricDetail).row and metric.baseline and metric.baseline.value is not None:
        return (metric.baseline.value,)
    return ()


#: Most runs one comparison item lists; a bigger table is summarised at ingest (its weakest and
#: strongest rows), so this only guards against odd input.
MAX_COMPARED = 6


def _comparisons(facts: list[Fact]) -> list[list[Fact]]:
    """The facts in order, those of one comparison table grouped: one metric measured for 2 to
    :data:`MAX_COMPARED` runs (models, systems) side by side in one output or consecutive lines.

    A spec states such a metric once, with every run's value: which run goes to production is a
    decision, and "accuracy 0.896 for `gpt-4o` against 0.580 for the rules" is what a reviewer
    compares. Facts already summarising a long table (``row``) stay alone.
    """
    groups: dict[tuple[object, ...], list[Fact]] = defaultdict(list)
    order: list[tuple[object, ...]] = []
    for fact in facts:
        d = fact.detail_as(MetricDetail)
        span = fact.source.span
        if not d.context or d.row or not isinstance(d.value, int | float):
            key: tuple[object, ...] = ("single", id(fact))
        else:
            key = (fact.source.path, span.cell, fact.name, d.unit, d.split)
            # One table: rows on consecutive lines, or one output (its facts share the cell's span).
            block = next((k for k in reversed(order) if k[:5] == key and len(k) == 6), None)
            if block is None or span.start_line - groups[block][-1].source.span.end_line > 1:
                block = (*key, span.start_line)
            key = block
        if key not in groups:
            order.append(key)
        group = groups[key]
        if any(f.detail_as(MetricDetail).context == fact.detail_as(MetricDetail).context for f in group):
            # The same run twice is no comparison: keep this one on its own.
            key = ("single", id(fact))
            order.append(key)
            group = groups[key]
        group.append(fact)
    out: list[list[Fact]] = []
    for key in order:
        group = groups[key]
        if len(group) > MAX_COMPARED:
            out.extend([f] for f in group)
        else:
            out.append(group)
    return out


def _comparison_metric(book: FactBook, group: list[Fact]) -> Metric:
    """One metric for a comparison table: every run's value, the best as the baseline."""
    first = group[0]
    unit = str(first.detail_as(MetricDetail).unit or "")
    lower = lower_is_better(first.name, unit or None)
    best = (min if lower else max)(group, key=lambda f: float(f.detail_as(MetricDetail).value))
    runs = ", ".join(
        f"{tick(clean(f.detail_as(MetricDetail).context, 60))} {_with_unit(_printed(f) or '', unit)}".rstrip()
        for f in group
    )
    split = f" on the {first.detail_as(MetricDetail).split} split" if first.detail_as(MetricDetail).split else ""
    value = best.detail_as(MetricDetail).value
    shown = _display_name(best)
    return Metric(
        id=book.id("SM"),
        name=clean(first.name, 80),
        definition=f"{shown}{split} by run: {runs}",
        baseline=Baseline(
            value=float(value),
            unit=unit or None,
            raw=clean(
                f"{shown} {_with_unit(_printed(best) or '', unit)} ({'lowest' if lower else 'highest'}, "
                f"{best.detail_as(MetricDetail).context})",
                120,
            ),
        ),
        sources=[cite(best)],
    )


def metrics(book: FactBook) -> list[Metric]:
    items: list[Metric] = []
    summaries: dict[str, tuple[float, ...]] = {}  # items that sum up a table column: the values they state
    # Notebook outputs first: a measurement outranks the note that repeats it.
    ordered = sorted(book.facts(FactKind.METRIC), key=lambda f: (not f.source.path.endswith(".ipynb"), fact_order(f)))
    for group in _comparisons(ordered):
        if len(group) > 1:
            metric = _comparison_metric(book, group)
            values = tuple(float(f.detail_as(MetricDetail).value) for f in group)
            twin = next((m for m in items if _same_comparison(metric, m, values, summaries)), None)
            if twin is not None:  # the README's copy of the notebook's table
                if len(twin.sources) < 3 and metric.sources[0] not in twin.sources:
                    twin.sources.append(metric.sources[0])
                continue
            # Runs printed one by one earlier ("accuracy: 0.744" in the logreg cell) are rows of
            # this table: the comparison states them, so it takes their place and citations.
            absorbed = [m for m in items if m.id not in summaries and _row_of(m, metric, values)]
            for single in absorbed:
                for source in single.sources:
                    if len(metric.sources) < 3 and source not in metric.sources:
                        metric.sources.append(source)
            if absorbed and metric.baseline is not None:
                _rename_as_printed(metric, [m.baseline.raw for m in absorbed if m.baseline])
            items = [m for m in items if m not in absorbed]
            items.append(metric)
            summaries[metric.id] = values
            continue
        fact = group[0]
        d = fact.detail_as(MetricDetail)
        value = d.value
        # One value printed twice (a summary table, the README quoting the notebook) is one baseline.
        twin = next((m for m in items if _same_measurement(fact, m, d.context, _exact(fact, m, summaries))), None)
        if twin is not None:
            if len(twin.sources) < 3 and cite(fact) not in twin.sources:
                twin.sources.append(cite(fact))
            continue
        context = f" for `{clean(d.context, 60)}`" if d.context else ""
        split = f" on the {d.split} split" if d.split else ""
        metric = Metric(
            id=book.id("SM"),
            name=clean(fact.name, 80),
            definition=f"{fact.name}{context}{split}{_row_text(d)}",
            baseline=Baseline(
                value=float(value) if isinstance(value, int | float) else None,
                unit=str(d.unit) if d.unit else None,
                raw=_baseline_text(fact),
            ),
            sources=[cite(fact)],
        )
        items.append(metric)
        if d.row is not None and metric.baseline and metric.baseline.value is not None:
            also = [_number(str(v)) for _, v in d.row.also]
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
        if line.detail_as(NoteLineDetail).cue not in {"must", "should"} or not is_team_note(
            line.source.path, line.source.span.cell
        ):
            continue
        text = str(line.detail_as(NoteLineDetail).text or "")
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
    unit = str(fact.detail_as(MetricDetail).unit or "").lower()
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
        # One table row's citation is shared by every metric of the row: match the name too.
        cited = [f for f in book.facts(FactKind.METRIC) if f.source.path == first.path and cite(f) == first]
        fact = next((f for f in cited if clean(f.name, 80) == metric.name), cited[0] if cited else None)
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
                category=category,
                statement=f"The prototype measured {quoted}{more}.",
                target="; ".join(targets) or None,
                sources=[m.sources[0] for m in measured[:4]],
            )
        )
    services = book.facts(FactKind.SERVICE)
    llm = [s for s in services if s.detail_as(ServiceDetail).kind == "llm"]
    if llm:
        models = sorted({str(m) for s in llm for m in s.detail_as(ServiceDetail).models or []})
        clients = sorted({str(s.detail_as(ServiceDetail).client or s.name) for s in llm})
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
    secrets = [f for f in book.facts(FactKind.ENV_VAR) if f.detail_as(EnvVarDetail).is_secret]
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
