"""The committed baseline: read it, find the scores that fell beyond their tolerances, write a new one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from specagent.errors import SpecFileError
from specagent.evals.results import EvalReport, Regression
from specagent.evals.sets import EVAL_SETS
from specagent.quality.smell_eval import SmellScores

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
