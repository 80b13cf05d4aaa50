"""The eval suite: draft every corpus prototype, score the drafts, compare with a baseline.

Also runs the smell-accuracy eval. Library code: it returns results, writes reports when asked,
and reports progress as events. The drafter comes from ``settings`` (offline when no model is
set), so a ``--model`` run is the same call with another Settings; extra scorers (an LLM judge)
join through the :class:`Judge` protocol.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, Field

from specagent.config import Settings
from specagent.errors import InputPathError, SpecFileError
from specagent.events import EventSink, FileWritten, StageFinished, StageProgress, StageStarted, null_sink
from specagent.quality.checks import run_checks
from specagent.quality.coverage import CategoryCounts, coverage, load_expected
from specagent.quality.smell_eval import SmellScores, load_sentences, score_splits
from specagent.spec.markdown import render_markdown
from specagent.spec.model import LIST_SECTIONS, Spec

#: Scores where higher is better, and those where lower is better (both gated by the baseline).
HIGHER_IS_BETTER: tuple[str, ...] = (
    "coverage",
    "coverage_spread",
    "coverage_loose",
    "truthfulness",
    "citation_rate",
    "completeness",
    "filled",
)
LOWER_IS_BETTER: tuple[str, ...] = ("smell_rate", "words_per_kloc")
DEFAULT_TOLERANCES: dict[str, float] = {
    "coverage": 0.0,
    "coverage_spread": 0.0,
    "coverage_loose": 0.04,  # informational; one gold fact of 25
    "truthfulness": 0.02,
    "citation_rate": 0.0,
    "completeness": 0.0,
    "filled": 0.0,
    "smell_rate": 0.05,
    "words_per_kloc_rel": 0.25,  # relative: fails when 25% longer than the baseline
    "smell_precision": 0.01,
    "smell_recall": 0.01,
}


class Judge(Protocol):
    """An extra scorer (an LLM judge, say): scores named by ``name``-prefixed keys."""

    name: str

    def score(self, spec: Spec, root: Path) -> dict[str, float]: ...


#: The eval sets: the corpus written here (a regression gate) and real prototypes nobody here wrote.
EVAL_SETS: tuple[str, ...] = ("corpus", "real")
DEFAULT_SET_DIRS: dict[str, Path] = {"corpus": Path("corpus"), "real": Path("evals/real")}


@dataclass(frozen=True)
class EvalTarget:
    """One prototype to evaluate: what is drafted (``root``) and its gold facts (``expected``)."""

    set: str
    name: str
    root: Path
    expected: Path


class PrototypeScore(BaseModel):
    """Scores of one drafted prototype."""

    name: str
    set: str = "corpus"
    files: int = 0
    lines: int = 0
    gold_facts: int = 0
    coverage: float = 0.0
    coverage_spread: float = 0.0
    coverage_loose: float = 0.0
    truthfulness: float = 1.0
    citation_rate: float = 1.0
    smell_rate: float = 0.0
    completeness: float = 0.0
    filled: float = 0.0
    words: int = 0
    words_per_kloc: float = 0.0
    seconds: float = 0.0
    drafter: str = ""
    calls: int = 0
    tokens: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cached_calls: int = 0
    dropped: int = 0
    demoted: int = 0
    # raw counts, so totals can be micro-averaged
    covered: int = 0
    spread_covered: int = 0
    loose_covered: int = 0
    citations: int = 0
    citations_resolved: int = 0
    identifiers: int = 0
    identifiers_found: int = 0
    statements: int = 0
    statements_smelly: int = 0
    errors: int = 0
    warnings: int = 0
    missed: list[str] = Field(default_factory=list)
    categories: dict[str, CategoryCounts] = Field(default_factory=dict)
    items_per_section: dict[str, int] = Field(default_factory=dict)
    extra: dict[str, float] = Field(default_factory=dict)


class Regression(BaseModel):
    """A score that fell beyond its tolerance."""

    scope: str  # prototype name, "totals" or "smells"
    metric: str
    baseline: float | None
    current: float | None
    tolerance: float

    def text(self) -> str:
        if self.current is None:
            return f"{self.scope}: missing (baseline has it)"
        return (
            f"{self.scope}: {self.metric} {self.current:.4g} vs baseline {self.baseline:.4g} "
            f"(tolerance {self.tolerance:g})"
        )


class EvalReport(BaseModel):
    """What ``specagent eval`` produced."""

    drafter: str = "offline"
    corpus: str = ""
    prototypes: list[PrototypeScore] = Field(default_factory=list)
    totals: dict[str, float | int] = Field(default_factory=dict)
    set_totals: dict[str, dict[str, float | int]] = Field(default_factory=dict)
    categories: dict[str, dict[str, CategoryCounts]] = Field(default_factory=dict)
    regressions: list[Regression] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


def discover(corpus: Path) -> list[Path]:
    """Prototype folders of ``corpus`` that have an expected.yaml, sorted by name."""
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise InputPathError(f"{corpus}: no such corpus folder")
    return sorted(p for p in corpus.iterdir() if p.is_dir() and (p / "expected.yaml").is_file())


def discover_set(name: str, folder: Path) -> list[EvalTarget]:
    """The prototypes of one eval set.

    A corpus prototype is a folder holding its own ``expected.yaml`` (ignored by the drafter
    through its ``.specagentignore``). A real prototype keeps the vendored repository in
    ``repo/`` and its gold facts and SOURCE.md beside it, so nothing of ours is drafted.
    """
    if name not in EVAL_SETS:
        raise InputPathError(f"unknown eval set {name!r}; use one of {', '.join(EVAL_SETS)} or all")
    folder = Path(folder)
    if name == "corpus":
        return [EvalTarget("corpus", p.name, p, p / "expected.yaml") for p in discover(folder)]
    if not folder.is_dir():
        raise InputPathError(f"{folder}: no such folder of real prototypes")
    return sorted(
        (
            EvalTarget("real", p.name, p / "repo", p / "expected.yaml")
            for p in folder.iterdir()
            if (p / "expected.yaml").is_file() and (p / "repo").is_dir()
        ),
        key=lambda t: t.name,
    )


def resolve_sets(which: str, dirs: dict[str, Path] | None = None) -> list[EvalTarget]:
    """Targets of ``which`` ("corpus", "real" or "all"), from ``dirs`` (defaults: corpus/, evals/real/)."""
    dirs = {**DEFAULT_SET_DIRS, **(dirs or {})}
    names = EVAL_SETS if which == "all" else (which,)
    return [t for n in names for t in discover_set(n, dirs.get(n, DEFAULT_SET_DIRS.get(n, Path(n))))]


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


def _drafter(scores: Sequence[PrototypeScore], settings: Settings) -> str:
    """The drafter as the drafts themselves name it (``llm:local`` resolves to its model file)."""
    named = sorted({p.drafter for p in scores if p.drafter})
    if named:
        return ", ".join(named)
    return f"llm:{settings.model}" if settings.model else "offline"


def run_eval(
    corpus: Path | None = None,
    *,
    settings: Settings | None = None,
    on_event: EventSink = null_sink,
    judges: Sequence[Judge] = (),
    targets: Sequence[EvalTarget] | None = None,
    replay_root: Path | None = None,
    only: Sequence[str] | None = None,
) -> EvalReport:
    """Draft and score every prototype of ``corpus`` (or the given ``targets``; those named in
    ``only``).

    With ``replay_root``, each prototype's model answers come from ``replay_root/<name>``
    (recorded by ``draft --record``), so a model eval reruns without calling the model.
    """
    settings = settings or Settings()
    if targets is None:
        if corpus is None:
            raise InputPathError("nothing to evaluate: give a corpus folder or targets")
        targets = discover_set("corpus", corpus)
    if only:
        unknown = sorted(set(only) - {t.name for t in targets})
        if unknown:
            raise InputPathError(f"no prototype {', '.join(unknown)} in the eval set")
        targets = [t for t in targets if t.name in set(only)]
    on_event(StageStarted("eval", total=len(targets)))
    started = time.perf_counter()
    scores = []
    for done, target in enumerate(targets, start=1):
        on_event(StageProgress("eval", done - 1, len(targets), target.name))
        here = settings
        if replay_root is not None:
            here = settings.model_copy(update={"replay_dir": Path(replay_root) / target.name})
        scores.append(evaluate_prototype(target.root, settings=here, judges=judges, target=target))
        on_event(StageProgress("eval", done, len(targets), target.name))
    on_event(StageFinished("eval", time.perf_counter() - started, f"{len(targets)} prototypes"))
    sets = sorted({p.set for p in scores}, key=lambda s: EVAL_SETS.index(s) if s in EVAL_SETS else 99)
    return EvalReport(
        drafter=_drafter(scores, settings),
        corpus=str(corpus) if corpus is not None else ", ".join(sets),
        prototypes=scores,
        totals=totals(scores),
        set_totals={s: totals([p for p in scores if p.set == s]) for s in sets},
        categories={s: category_totals([p for p in scores if p.set == s]) for s in sets},
    )


# --- baseline -----------------------------------------------------------------------------


def load_baseline(path: Path) -> dict[str, Any] | None:
    """The committed baseline, or None when there is none yet."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SpecFileError(f"{path}: not a readable baseline ({exc})") from None
    if not isinstance(data, dict):
        raise SpecFileError(f"{path}: a baseline is a JSON object")
    return data


def _gate(scope: str, current: dict[str, Any], base: dict[str, Any], tol: dict[str, float]) -> list[Regression]:
    # The baseline keeps 4 decimals; compare at that precision.
    current = {k: round(v, 4) if isinstance(v, float) else v for k, v in current.items()}
    out = []
    for metric in HIGHER_IS_BETTER:
        if metric in base and metric in current:
            t = tol.get(metric, 0.0)
            if current[metric] < base[metric] - t - 1e-9:
                out.append(
                    Regression(scope=scope, metric=metric, baseline=base[metric], current=current[metric], tolerance=t)
                )
    if "smell_rate" in base and "smell_rate" in current:
        t = tol.get("smell_rate", 0.0)
        if current["smell_rate"] > base["smell_rate"] + t + 1e-9:
            out.append(
                Regression(
                    scope=scope,
                    metric="smell_rate",
                    baseline=base["smell_rate"],
                    current=current["smell_rate"],
                    tolerance=t,
                )
            )
    if base.get("words_per_kloc") and "words_per_kloc" in current:
        t = tol.get("words_per_kloc_rel", 0.25)
        if current["words_per_kloc"] > base["words_per_kloc"] * (1 + t) + 1e-9:
            out.append(
                Regression(
                    scope=scope,
                    metric="words_per_kloc",
                    baseline=base["words_per_kloc"],
                    current=current["words_per_kloc"],
                    tolerance=t,
                )
            )
    return out


def baseline_sets(baseline: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The per-set part of a baseline (a baseline from before sets holds the corpus at its top)."""
    if "sets" in baseline:
        return dict(baseline["sets"])
    if "prototypes" in baseline or "totals" in baseline:
        return {"corpus": {k: baseline[k] for k in ("totals", "prototypes") if k in baseline}}
    return {}


def compare(report: EvalReport, baseline: dict[str, Any]) -> list[Regression]:
    """Scores that dropped beyond the baseline's tolerances, in the sets this run covered.

    A prototype the baseline has but the run lacks counts as a regression.
    """
    tol = {**DEFAULT_TOLERANCES, **baseline.get("tolerances", {})}
    out: list[Regression] = []
    base_sets = baseline_sets(baseline)
    for set_name, set_totals in report.set_totals.items():
        base = base_sets.get(set_name) or {}
        current = {p.name: p.model_dump() for p in report.prototypes if p.set == set_name}
        for name, base_scores in sorted(base.get("prototypes", {}).items()):
            scope = f"{set_name}/{name}"
            if name not in current:
                out.append(Regression(scope=scope, metric="*", baseline=None, current=None, tolerance=0))
                continue
            out.extend(_gate(scope, current[name], base_scores, tol))
        if base.get("totals"):
            out.extend(_gate(f"{set_name}/totals", set_totals, base["totals"], tol))
    return out


def new_prototypes(report: EvalReport, baseline: dict[str, Any]) -> list[str]:
    """``set/name`` of every prototype this run scored that the baseline does not hold yet."""
    base_sets = baseline_sets(baseline)
    return [
        f"{p.set}/{p.name}"
        for p in report.prototypes
        if p.name not in (base_sets.get(p.set) or {}).get("prototypes", {})
    ]


def compare_smells(scores: dict[str, SmellScores], baseline: dict[str, Any]) -> list[Regression]:
    """Overall smell precision / recall that fell below the baseline beyond tolerance."""
    base = baseline.get("smells") or {}
    tol = {**DEFAULT_TOLERANCES, **baseline.get("tolerances", {})}
    out = []
    for split, base_split in sorted(base.items()):
        if split not in scores:
            continue
        overall = scores[split].overall
        for metric, raw in (("precision", overall.precision), ("recall", overall.recall)):
            value = round(raw, 4)
            if metric not in base_split:
                continue
            t = tol.get(f"smell_{metric}", 0.0)
            if value < base_split[metric] - t - 1e-9:
                out.append(
                    Regression(
                        scope=f"smells/{split}", metric=metric, baseline=base_split[metric], current=value, tolerance=t
                    )
                )
    return out


_KEEP = (*HIGHER_IS_BETTER, *LOWER_IS_BETTER, "gold_facts", "words", "lines", "prototypes")


def _rounded(scores: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in scores.items() if k in _KEEP}


def baseline_data(
    report: EvalReport | None,
    smells: dict[str, SmellScores] | None,
    previous: dict[str, Any] | None,
) -> dict[str, Any]:
    """A new baseline from this run; tolerances, sets not run and untouched parts kept from ``previous``."""
    data: dict[str, Any] = {k: v for k, v in (previous or {}).items() if k not in ("totals", "prototypes")}
    data["tolerances"] = {**DEFAULT_TOLERANCES, **(previous or {}).get("tolerances", {})}
    sets = baseline_sets(previous or {})
    if report is not None:
        data["drafter"] = report.drafter
        for set_name, set_totals in report.set_totals.items():
            sets[set_name] = {
                "totals": _rounded(set_totals),
                "prototypes": {p.name: _rounded(p.model_dump()) for p in report.prototypes if p.set == set_name},
            }
    if sets:
        data["sets"] = {k: sets[k] for k in sorted(sets, key=lambda n: (n not in EVAL_SETS, n))}
    if smells is not None:
        data["smells"] = {
            split: {
                "precision": round(s.overall.precision, 4),
                "recall": round(s.overall.recall, 4),
                "sentences": s.sentences,
            }
            for split, s in smells.items()
        }
    order = ["drafter", "tolerances", "sets", "smells"]
    return {k: data[k] for k in order if k in data} | {k: v for k, v in data.items() if k not in order}


def write_baseline(path: Path, data: dict[str, Any]) -> Path:
    """Write the baseline JSON (sorted, stable, diff-friendly)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


# --- reports ------------------------------------------------------------------------------

_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("gold_facts", "gold facts", "d"),
    ("coverage", "strict", "%"),
    ("coverage_spread", "spread", "%"),
    ("coverage_loose", "loose", "%"),
    ("truthfulness", "truthful", "%"),
    ("citation_rate", "citations ok", "%"),
    ("smell_rate", "smell rate", "%"),
    ("completeness", "complete", "%"),
    ("filled", "filled", "%"),
    ("words_per_kloc", "words/kloc", "f"),
    ("seconds", "seconds", "s"),
    ("calls", "calls", "d"),
    ("cached_calls", "cached", "d"),
    ("tokens_in", "tokens in", "d"),
    ("tokens_out", "tokens out", "d"),
    ("dropped", "dropped", "d"),
    ("demoted", "demoted", "d"),
)


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "%":
        return f"{100 * value:.1f}%"
    if kind == "f":
        return f"{value:.0f}"
    if kind == "s":
        return f"{value:.2f}"
    return f"{int(value):,}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(r) + " |" for r in rows),
    ]


def eval_table(report: EvalReport) -> list[str]:
    """The per-prototype Markdown table: each set's prototypes, then its totals row."""
    header = ["prototype", *(label for _, label, _ in _COLUMNS)]
    rows = []
    for set_name, set_totals in report.set_totals.items():
        label = f"**{set_name} total**" if len(report.set_totals) > 1 else "**total**"
        rows += [
            [p.name, *(_cell(getattr(p, key), kind) for key, _, kind in _COLUMNS)]
            for p in report.prototypes
            if p.set == set_name
        ]
        rows.append([label, *(_cell(set_totals.get(key), kind) for key, _, kind in _COLUMNS)])
    if len(report.set_totals) > 1:
        rows.append(["**all**", *(_cell(report.totals.get(key), kind) for key, _, kind in _COLUMNS)])
    return _table(header, rows)


def _share(n: int, total: int) -> str:
    return f"{n}/{total} ({100 * n / total:.0f}%)" if total else "-"


def category_table(report: EvalReport) -> list[str]:
    """Strict and spread coverage per gold-fact category, one column pair per set."""
    sets = list(report.categories)
    names = sorted({c for cats in report.categories.values() for c in cats})
    header = ["category", *(f"{s} {reading}" for s in sets for reading in ("strict", "spread"))]
    rows = []
    for name in names:
        row = [name]
        for s in sets:
            c = report.categories[s].get(name, CategoryCounts())
            row += [_share(c.strict, c.total), _share(c.spread, c.total)]
        rows.append(row)
    return _table(header, rows)


def section_table(report: EvalReport) -> list[str]:
    """Items per spec section for every prototype (how much each draft states)."""
    sections = [s for s in LIST_SECTIONS if any(s in p.items_per_section for p in report.prototypes)]
    header = ["prototype", *sections, "words/kloc"]
    rows = [
        [
            f"{p.set}/{p.name}",
            *(str(p.items_per_section.get(s, 0)) for s in sections),
            _cell(p.words_per_kloc, "f"),
        ]
        for p in report.prototypes
    ]
    return _table(header, rows)


def write_chart(report: EvalReport, path: Path) -> Path | None:
    """A grouped bar chart of the ratio scores per prototype (PNG, Agg backend); None, and no
    file, when matplotlib (the ``eval`` extra) is not installed."""
    try:
        import matplotlib
    except ImportError:
        return None

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = [
        "coverage",
        "coverage_spread",
        "coverage_loose",
        "truthfulness",
        "citation_rate",
        "completeness",
        "smell_rate",
    ]
    names = [p.name for p in report.prototypes] + ["total"]
    values = [[getattr(p, m) for p in report.prototypes] + [report.totals.get(m, 0.0)] for m in metrics]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.6 * len(names)), 4.0), dpi=100)
    width = 0.8 / len(metrics)
    for i, (metric, row) in enumerate(zip(metrics, values, strict=True)):
        xs = [j + (i - (len(metrics) - 1) / 2) * width for j in range(len(names))]
        ax.bar(xs, row, width=width, label=metric)
    ax.set_xticks(range(len(names)), names, rotation=15, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share")
    ax.set_title(f"specagent eval ({report.drafter} drafter)")
    ax.legend(fontsize="small", ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
    return path


def write_eval_reports(report: EvalReport, out: Path, on_event: EventSink = null_sink) -> list[Path]:
    """report.md, report.json and report.png into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    chart = write_chart(report, out / "report.png")
    md = [
        "# specagent eval",
        "",
        f"Drafter: **{report.drafter}**. Corpus: `{report.corpus}` ({len(report.prototypes)} prototypes).",
        "Ratios are shares; totals are micro-averaged over counts (completeness and filled: mean).",
        "",
        *eval_table(report),
        "",
        "## Coverage per category",
        "",
        *category_table(report),
        "",
        "## Items per section",
        "",
        *section_table(report),
        "",
        f"![scores per prototype]({chart.name})" if chart else "(no chart: `pip install 'specagent[eval]'` for one)",
        "",
        "## Baseline",
        "",
    ]
    if report.regressions:
        md += [f"- REGRESSION {r.text()}" for r in report.regressions]
    else:
        md.append("No score dropped beyond its tolerance.")
    md += [*(f"- {n}" for n in report.notes), "", "## Missed gold facts", ""]
    for p in report.prototypes:
        md.append(f"- {p.set}/{p.name}: {', '.join(p.missed) if p.missed else 'none'}")
    md_path = out / "report.md"
    md_path.write_text("\n".join(md) + "\n", encoding="utf-8")
    json_path = out / "report.json"
    json_path.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    paths = [md_path, json_path, *([chart] if chart else [])]
    for written in paths:
        on_event(FileWritten(str(written)))
    return paths


def smell_table(scores: SmellScores) -> list[str]:
    """Per-smell precision / recall / F1 and the micro-averaged overall row."""
    rows = ["| smell | support | tp | fp | fn | precision | recall | F1 |", "|---|---|---|---|---|---|---|---|"]
    for smell, c in [*scores.per_smell.items(), ("**overall (micro)**", scores.overall)]:
        rows.append(
            f"| {smell} | {c.support} | {c.tp} | {c.fp} | {c.fn} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} |"
        )
    return rows


def run_smell_eval(data: Path) -> dict[str, SmellScores]:
    """Score the smell detector on every split of ``data`` and on all of it."""
    return score_splits(load_sentences(Path(data)))


def write_smell_reports(
    scores: dict[str, SmellScores],
    out: Path,
    regressions: Sequence[Regression] = (),
    on_event: EventSink = null_sink,
) -> list[Path]:
    """smells.md (a table per split, and the mistakes) and smells.json into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    md = ["# Smell detector accuracy", ""]
    md.append("| split | sentences | precision | recall | F1 |")
    md.append("|---|---|---|---|---|")
    for split, s in scores.items():
        md.append(
            f"| {split} | {s.sentences} | {s.overall.precision:.3f} | {s.overall.recall:.3f} | {s.overall.f1:.3f} |"
        )
    for split, s in scores.items():
        md += ["", f"## {split}", "", *smell_table(s)]
    md += ["", "## Baseline", ""]
    md += [f"- REGRESSION {r.text()}" for r in regressions] or ["No score dropped beyond its tolerance."]
    md += ["", "## Mistakes (all sentences)", ""]
    for m in scores["all"].mistakes:
        md.append(f"- {m.id}: missed {m.missed or '-'}, spurious {m.spurious or '-'}: {m.text}")
    md_path = out / "smells.md"
    md_path.write_text("\n".join(md) + "\n", encoding="utf-8")
    json_path = out / "smells.json"
    json_path.write_text(
        json.dumps(
            {
                split: {
                    "sentences": s.sentences,
                    "overall": s.overall.as_dict(),
                    "per_smell": {k: c.as_dict() for k, c in s.per_smell.items()},
                    "mistakes": [m.model_dump() for m in s.mistakes],
                }
                for split, s in scores.items()
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    for p in (md_path, json_path):
        on_event(FileWritten(str(p)))
    return [md_path, json_path]
