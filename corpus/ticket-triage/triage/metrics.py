"""Evaluation helpers used by `triage evaluate` and the notebook."""
from __future__ import annotations

from collections import Counter

from triage.models import Category, TriageResult


def accuracy(gold: list[Category], pred: list[Category]) -> float:
    return sum(g == p for g, p in zip(gold, pred)) / len(gold)


def per_class(gold: list[Category], pred: list[Category]) -> dict[str, dict[str, float]]:
    out = {}
    for c in Category:
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        fp = sum(g != c and p == c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[c.value] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn}
    return out


def macro_f1(gold: list[Category], pred: list[Category]) -> float:
    pc = per_class(gold, pred)
    return sum(v["f1"] for v in pc.values()) / len(pc)


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    if not s:
        return 0.0
    k = max(0, min(len(s) - 1, round(q * (len(s) - 1))))
    return s[k]


def summarise(gold: list[Category], results: list[TriageResult]) -> dict[str, float]:
    pred = [r.label for r in results]
    lat = [r.latency_ms for r in results]
    sources = Counter(r.source for r in results)
    return {
        "n": len(results),
        "accuracy": accuracy(gold, pred),
        "macro_f1": macro_f1(gold, pred),
        "p50_ms": percentile(lat, 0.50),
        "p95_ms": percentile(lat, 0.95),
        "cost_per_1k_usd": 1000 * sum(r.cost_usd for r in results) / len(results),
        "fallback_rate": sources.get("rules", 0) / len(results),
    }
