"""The vocabulary of measured metrics: which names name one, their units, splits and direction.

Shared by the line matcher (:mod:`specagent.ingest.metrics_text`) and the table reader
(:mod:`specagent.ingest.metric_tables`), so that a metric is the same metric in a log line and in
a results table.
"""

from __future__ import annotations

import re
from functools import lru_cache


def wordset(words: str) -> frozenset[str]:
    """A set of the whitespace-separated words in ``words``."""
    return frozenset(words.split())


_METRIC_WORDS = wordset(
    """
    accuracy acc precision prec recall f1 f2 fbeta auc roc auroc auprc rmse rmsle mae mape smape
    mse msle medae r2 loss logloss latency p50 p75 p90 p95 p99 p999 throughput qps rps cost
    tokens mrr ndcg map bleu rouge rouge1 rouge2 rougel rougelsum meteor bertscore chrf em wer
    cer perplexity ppl memory ram vram time duration runtime elapsed speedup specificity
    sensitivity kappa mcc brier gini iou miou dice silhouette score faithfulness groundedness
    hallucination ctr auc-roc pr-auc roc-auc f1-score rss heap footprint growth usage overhead
    """
)
_METRIC_PHRASES = (
    "error rate",
    "absolute error",
    "squared error",
    "hit rate",
    "exact match",
    "per second",
    "per minute",
    "per hour",
    "per 1k",
    "per 1m",
    "per request",
    "per query",
    "per call",
    "per row",
    "success rate",
    "pass rate",
    "win rate",
    "failure rate",
    "click through rate",
    "rows/s",
    "req/s",
    "it/s",
    "tokens/s",
)
_METRIC_TOKEN = re.compile(
    r"^(?:(?:hit|hits|rate|recall|precision|ndcg|mrr|map|p|r|acc|accuracy|success)@(?:\d+|k)"
    r"|p\d{2,3}|top-?\d+|rouge-?(?:1|2|l|lsum)|f\d|r\^?2|r²)$"
)
# Words that make a sum of money a running cost rather than a figure from the data.
COST_WORDS = wordset("cost costs price pricing spend spent bill billed billing charge charged fee fees per")
# Words that only name a metric beside a time unit ("Inference: 412 ms").
TIMED_WORDS = wordset(
    "inference request query call embedding training prediction response retrieval generation fit wall step"
)
# Any of these in the name means a target, a limit or a loop counter, not a measurement.
KILL_WORDS = wordset(
    """
    must should shall need needs required require target targets goal goals threshold
    thresholds limit limits budget sla slo under below above less more than least most
    epoch epochs step steps iteration iterations iter line lines version seed port id batch
    expected want wanted aim aiming desired maximum minimum cap capped allowed
    from improved improve dropped drop increased increase decreased decrease vs versus
    learning dropout sampling sample frame would could if estimate estimated projected
    """
)
SPLITS = {
    "train": "train",
    "training": "train",
    "val": "val",
    "valid": "val",
    "validation": "val",
    "dev": "val",
    "test": "test",
    "testing": "test",
    "holdout": "test",
    "eval": "eval",
    "evaluation": "eval",
    "cv": "cv",
    "oof": "cv",
}
QUALIFIERS = wordset(
    """
    macro micro weighted avg average mean median overall total baseline best final
    per 1k 1m inference request query end-to-end e2e cpu gpu peak wall training
    absolute squared root relative exact hit success pass win error rate click through
    balanced top-1 top-5 top-k log negative
    """
)
PHRASE_WORD_LISTS = tuple((phrase, phrase.split()) for phrase in _METRIC_PHRASES)
PHRASE_WORDS = frozenset(w for phrase in _METRIC_PHRASES for w in phrase.split())
RATE_WORDS = wordset("rate ratio share percentage fraction")
RATE_UNITS = frozenset({"rows/s", "req/s", "rps", "qps", "tokens/s", "tok/s", "samples/s"})
# "38.6 pages/min", "1,200 docs/s", "14 images/sec": any count of things over a time unit.
_RATE_UNIT = re.compile(r"^[A-Za-z]+/(?:s|sec|min|h|hr)$")
SIZE_UNITS = frozenset({"KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB"})
# Words that name a metric beside a size unit only ("model size: 16.2 MB", "onnx_mb 16.2").
SIZE_WORDS = wordset("size footprint disk artifact artefact checkpoint weights file")
_UNIT_SUFFIXES = {
    "ms": "ms",
    "s": "s",
    "sec": "s",
    "secs": "s",
    "seconds": "s",
    "pct": "%",
    "percent": "%",
    "usd": "$",
    "mb": "MB",
    "gb": "GB",
}

NUMBER = r"[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+"
UNIT = (
    r"%|ms|µs|us|ns|sec(?:onds?|s)?|s|min(?:utes?|s)?|h(?:ours?|rs?)?|[KMGT]i?B|tokens?/s|"
    r"tokens?|tok/s|rows/s|req/s|rps|qps|it/s|samples/s|[A-Za-z]{2,12}/(?:sec|min|hr|s|h)|x|USD"
)
PAREN_UNIT = re.compile(r"\((?P<unit>ms|s|sec|seconds|%|\$|usd|tokens|mb|gb)\)", re.IGNORECASE)
# Metrics where a smaller value is the better one: a breakdown's weakest row is its largest.
_LOWER_BETTER = wordset(
    """
    loss logloss error errors rmse rmsle mae mape smape mse msle medae wer cer perplexity ppl
    latency p50 p75 p90 p95 p99 p999 time duration runtime elapsed cost memory ram vram rss heap
    footprint overhead brier hallucination hallucinations failure failures ms usd tokens
    """
)


def _words(name: str) -> list[str]:
    return name.split()


@lru_cache(maxsize=8192)
def normalise_name(raw_name: str) -> str:
    """``F1 (macro)`` -> ``f1 macro``; ``val_acc`` -> ``val acc``; ``R²`` -> ``r2``."""
    name = raw_name.strip().strip("'\"").lower()
    name = name.replace("r^2", "r2").replace("r²", "r2")
    name = re.sub(r"[()\[\]]", " ", name)
    name = name.replace("_", " ")
    # Hyphens between words become spaces, but keep ``top-1``, ``rouge-l``, ``f1-score`` whole.
    name = re.sub(r"(?<=[a-z]{3})-(?=[a-z]{3})", " ", name)
    name = re.sub(r"[\s:=]+", " ", name).strip(" .-")
    return name


def is_metric_name(name: str, unit: str | None = None) -> bool:
    """Whether a normalised name names a metric (a metric word, token or phrase in it)."""
    words = _words(name)
    if not words:
        return False
    if any(w in _METRIC_WORDS or _METRIC_TOKEN.match(w) for w in words):
        return True
    if any(phrase in name for phrase in _METRIC_PHRASES):
        return True
    if unit == "%" and words[-1] in RATE_WORDS:
        return True  # "churn rate: 26.5%"
    if unit in SIZE_UNITS and any(w in SIZE_WORDS for w in words):
        return True  # "model size: 16.2 MB"
    return unit in {"ms", "s", "min", "h"} and any(w in TIMED_WORDS for w in words)


def is_rate_unit(unit: str | None) -> bool:
    """Whether a unit is a throughput: a known rate (``req/s``) or things per time (``pages/min``)."""
    return unit is not None and (unit in RATE_UNITS or bool(_RATE_UNIT.match(unit)))


def killed(name: str) -> bool:
    """Whether a name is a target, a limit or a counter ("max tokens", "precision at k"), not a metric."""
    words = _words(name)
    if any(w in KILL_WORDS for w in words):
        return True
    # A single-letter last word is a variable ("precision at k=5"), not a metric.
    if len(words) > 1 and len(words[-1]) == 1 and words[-1] not in {"r"}:
        return True
    return bool(re.match(r"^(?:max|min|num|n)\s+(?:new\s+)?(?:tokens?|length|time)\b", name))


def unit_of(unit: str | None, currency: str | None) -> str | None:
    """A printed unit or currency sign in one spelling: ``secs`` -> ``s``, ``USD`` -> ``$``."""
    if currency:
        return "$" if currency == "$" else currency
    if unit is None:
        return None
    u = unit.lower()
    if u in {"sec", "secs", "second", "seconds"}:
        return "s"
    if u.startswith("min"):
        return "min"
    if u in {"h", "hr", "hrs", "hour", "hours"}:
        return "h"
    if u in {"token", "tokens"}:
        return "tokens"
    if u == "usd":
        return "$"
    return unit


def to_float(num: str) -> float | None:
    """A printed number (``1,234.5``, ``−0.2``) as a float; None when it is not one."""
    try:
        return float(num.replace(",", "").replace("−", "-"))
    except ValueError:
        return None


def split_of(name: str, line_prefix: str) -> str | None:
    """The data split (train, val, test, eval, cv) a metric's name or the text before it names."""
    words = _words(name)
    if "time" in words or "duration" in words:
        words = [w for w in words if w not in {"training", "train"}]
    for w in words:
        if w in SPLITS:
            return SPLITS[w]
    # "Test set: accuracy=0.83" / "On validation: f1 0.7": the last split word before the name.
    found = None
    for w in re.findall(r"[a-z]+", line_prefix.lower()):
        if w in SPLITS and w not in {"training", "dev", "cv"}:
            found = SPLITS[w]
    return found


def strip_unit_suffix(name: str, unit: str | None) -> tuple[str, str | None]:
    """A trailing unit word leaves the name for the unit when none was printed: ``latency ms``."""
    words = name.split()
    if unit is None and len(words) > 1 and words[-1] in _UNIT_SUFFIXES:
        return " ".join(words[:-1]), _UNIT_SUFFIXES[words[-1]]
    return name, unit


def is_metric_word(word: str) -> bool:
    """Whether one normalised word is a metric word or token (``f1``, ``p95``, ``recall@10``)."""
    return word in _METRIC_WORDS or bool(_METRIC_TOKEN.match(word))


def lower_is_better(name: str, unit: str | None) -> bool:
    """Whether a smaller value of the metric is the better one (a loss, a latency, a cost)."""
    words = name.split()
    if (
        is_rate_unit(unit)
        or "throughput" in words
        or "per minute" in name
        or "per hour" in name
        or "speedup" in words
        or "per second" in name
    ):
        return False
    return any(w in _LOWER_BETTER for w in words) or unit in {"ms", "s", "min", "h", "$", "MB", "GB"}
