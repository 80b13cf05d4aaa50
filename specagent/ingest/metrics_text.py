"""Find measured metrics in free text: notebook outputs, logs pasted in notes, result tables.

Precision over recall: a match needs a metric word in its name (accuracy, f1, rmse, latency,
cost, tokens, ...), a number that is not part of a date, version, ratio or time of day, and no
wording that makes it a target rather than a measurement ("must be under", "target", ">=").

Recognised shapes::

    accuracy: 0.83   RMSE=12.3   ROC AUC = 0.912   F1 (macro): 0.78   val_acc 0.91
    p95 latency: 412 ms   cost per 1k: $0.42   Training time: 12.4 s   reached 87.5% accuracy
    {'accuracy': 0.83, 'f1': 0.71}   loss: 0.31 - accuracy: 0.88 (Keras)
    sklearn classification_report blocks, markdown pipe tables, HTML tables read as pipe
    tables, and printed result tables (pandas reprs, aligned reports; see text_tables)

A results table gives one metric per row and column when it has at most four rows (models or
splits side by side); a longer one gives one per column, at its weakest row for a breakdown
(per class, field, segment) or its best row for a sweep of a numeric parameter (see RowPick).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from specagent.ingest.text_tables import read_text_table

__all__ = ["MetricMatch", "RowPick", "find_metrics", "is_metric_name", "normalise_name"]


@dataclass(frozen=True, slots=True)
class RowPick:
    """The row a summarised table column's value comes from, and what else the table says.

    A table with many rows gives one metric per column (see :data:`_PER_ROW_MAX`): a breakdown
    (per class, field, segment) its weakest row, a sweep of a numeric parameter its best row.
    """

    label: str  # the row: a class, a field, a parameter value ("0.6")
    key: str | None  # what the rows are ("field", "threshold"), when the table says
    rows: int  # how many rows the value was picked from
    pick: str  # "lowest" or "highest" (a breakdown's weakest row), "best" (a sweep's)
    # (row label or column header, value as printed): a breakdown's strongest row, or the
    # other columns of a sweep's best row.
    also: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class MetricMatch:
    """One measured value. ``raw`` is an exact substring of line ``line`` (1-based)."""

    name: str  # normalised: lower case, words separated by single spaces
    value: float
    unit: str | None
    raw: str
    line: int
    split: str | None = None
    context: str | None = None
    row: RowPick | None = None


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_METRIC_WORDS = _wordset(
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
# Words that only name a metric beside a time unit ("Inference: 412 ms").
_TIMED_WORDS = _wordset(
    "inference request query call embedding training prediction response retrieval generation fit wall step"
)
# Any of these in the name means a target, a limit or a loop counter, not a measurement.
_KILL_WORDS = _wordset(
    """
    must should shall need needs required require target targets goal goals threshold
    thresholds limit limits budget sla slo under below above less more than least most
    epoch epochs step steps iteration iterations iter line lines version seed port id batch
    expected want wanted aim aiming desired maximum minimum cap capped allowed
    from improved improve dropped drop increased increase decreased decrease vs versus
    learning dropout sampling sample frame would could if estimate estimated projected
    """
)
_SPLITS = {
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
_QUALIFIERS = _wordset(
    """
    macro micro weighted avg average mean median overall total baseline best final
    per 1k 1m inference request query end-to-end e2e cpu gpu peak wall training
    absolute squared root relative exact hit success pass win error rate click through
    balanced top-1 top-5 top-k log negative
    """
)
_PHRASE_WORD_LISTS = tuple((phrase, phrase.split()) for phrase in _METRIC_PHRASES)
_PHRASE_WORDS = frozenset(w for phrase in _METRIC_PHRASES for w in phrase.split())
_STOP_WORDS = _wordset(
    """
    the a an our my its their this that model we got get gets reached reaches achieved achieves
    has have had with yields yielded gives gave scored scores shows showed final is was were
    and or on for of in at to new old current about around approximately approx roughly nearly
    almost
    """
)
_DANGLING = _wordset("per of for at in on to by with")
_RATE_WORDS = _wordset("rate ratio share percentage fraction")
_RATE_UNITS = frozenset({"rows/s", "req/s", "rps", "qps", "tokens/s", "tok/s", "samples/s"})
_TRAILING_OK = _STOP_WORDS | _wordset("set data dataset split fold used spent consumed overall")
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

_NAME_TOKEN = (
    r"(?:per[ \t]+\d[\d,]*[kKmM]?\b|[A-Za-z][\w@/^²\-.]*[\w@²]|[A-Za-z]|\d+[kKmM]\b"
    r"|\([^()\n]{1,40}\))"
)
_NAME_AT_END = re.compile(
    r"(?:^|(?<=[\s,;|{(\[:=>\-]))(?P<q>['\"]?)(?P<name>" + _NAME_TOKEN + r"(?:[ \t]+"
    r"" + _NAME_TOKEN + r"){0,6})(?P=q)$"
)
_SEPARATOR_AT_END = re.compile(
    r"(?:\s*(?::=|=|:|->|→)\s*|\s+(?:is|was|were|of|at)\s+|\s+)"
    r"(?:(?:about|around|approximately|approx\.?|roughly|~|≈)\s*)?"
    r"(?:np\.float(?:16|32|64)\(|float\()?$"
)
_NUMBER = r"[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+"
_UNIT = (
    r"%|ms|µs|us|ns|sec(?:onds?|s)?|s|min(?:utes?|s)?|h(?:ours?|rs?)?|[KMGT]i?B|tokens?/s|"
    r"tokens?|tok/s|rows/s|req/s|rps|qps|it/s|samples/s|x|USD"
)
_VALUE = re.compile(
    r"(?<![\w.\-/:@^])(?P<cur>\$|€|£)?(?P<num>" + _NUMBER + r")(?![.\-/:,]\d)(?!\d)"
    r"(?:[ \t]?(?P<unit>" + _UNIT + r")(?![\w/]))?(?![A-Za-z_+])"
)
_PERCENT_FIRST = re.compile(
    r"(?<![\w.\-/:])(?P<num>\d+(?:\.\d+)?)[ \t]?%[ \t]+(?P<name>(?:top-\d+[ \t]+)?"
    r"(?:accuracy|precision|recall|f1|auc|hit rate|exact match|error rate|success rate|"
    r"pass rate|win rate|coverage))\b",
    re.IGNORECASE,
)
_REPORT_HEADER = re.compile(r"^\s*precision\s+recall\s+f1-score\s+support\s*$")
_REPORT_ROW = re.compile(r"^\s*(?P<label>\S.*?)\s+(?P<p>\d+\.\d+)\s+(?P<r>\d+\.\d+)\s+(?P<f>\d+\.\d+)\s+(?P<s>\d+)\s*$")
_REPORT_ACCURACY = re.compile(r"^\s*accuracy\s+(?P<v>\d+\.\d+)\s+(?P<s>\d+)\s*$")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CELL_VALUE = re.compile(r"^(?P<cur>\$|€|£)?(?P<num>" + _NUMBER + r")[ \t]?(?P<unit>" + _UNIT + r")?$")
_LABEL_LINE = re.compile(r"^[ \t=#*-]*[A-Za-z][\w.\-]*(?:[ \t][A-Za-z][\w.\-()]*){0,3}:?[ \t=#*-]*$")
_PAREN_UNIT = re.compile(r"\((?P<unit>ms|s|sec|seconds|%|\$|usd|tokens|mb|gb)\)", re.IGNORECASE)
_COMPARATOR_BEFORE = re.compile(r"(?:[<>≤≥]=?|at least|at most|under|below|above|up to)\s*$")
# "8.7 ms per 1,000 rows", "$0.30 per 1,000 questions", "12 tokens per request": the
# denominator after a unit belongs to the unit.
_PER_AFTER = re.compile(
    r"[ \t]+per[ \t]+(?:(?:\d[\d,]*(?:\.\d+)?[kKmM]?|one|each|a)[ \t]+)?[A-Za-z][A-Za-z\-]*(?<!-)(?![\w/])"
)
# Words and shapes that name a model or method, so that a word before a metric may be its
# context ("XGBoost accuracy", "gpt-4o-mini latency") rather than part of its name ("Answer
# accuracy").
_MODEL_WORDS = _wordset(
    """
    logreg logistic ridge lasso elasticnet svm svc svr knn kmeans naive bayes nb tree forest
    xgboost xgb lightgbm lgbm catboost gbm gbdt gb rf dt mlp cnn rnn lstm gru transformer bert
    roberta distilbert deberta gpt llama mistral mixtral claude gemini qwen phi arima sarima
    prophet ets ensemble stacking heuristic bm25 tfidf tf-idf majority ma
    """
)
# A lone line over metric lines that only says what follows ("Results:"), not who measured it.
_GENERIC_LABELS = _wordset(
    """
    result results metric metrics evaluation eval scores summary report performance stats
    statistics output outputs done finished ok overall
    """
)
# "model: gpt-4o-mini" on its own line (or before the metrics on one line) names the model.
_MODEL_LINE = re.compile(
    r"^\s*[\"']?(?:model|model[ _]name|method|classifier|estimator|algorithm|llm)[\"']?\s*[:=]\s*"
    r"[\"']?(?P<model>[A-Za-z][\w.\-/:]*(?:[ \t][\w.\-/:()]+){0,3}?)[\"']?\s*,?\s*$",
    re.IGNORECASE,
)
_MODEL_INLINE = re.compile(
    r"(?<![\w.])[\"']?(?:model|model[ _]name|method|classifier|estimator|llm)[\"']?\s*[:=]\s*"
    r"[\"']?(?P<model>[A-Za-z][\w.\-/:]*[\w])",
    re.IGNORECASE,
)
# Row labels that sum the rows above them; fine in a per-item table.
_SUMMARY_LABELS = frozenset(
    {
        "mean",
        "average",
        "avg",
        "overall",
        "total",
        "all",
        "median",
        "macro avg",
        "micro avg",
        "weighted avg",
        "macro",
        "micro",
        "weighted",
    }
)
# Headers of a label column whose rows are items, not models: a per-SKU or per-question table.
_ENTITY_HEADERS = _wordset(
    """
    id sku customer customerid client user userid item product order orderid date day week month
    year timestamp datetime store shop row sample example question query review text document
    doc file path url ticket account email name_id uuid key index
    """
)
_ID_SHAPES = (
    re.compile(r"^#?\d[\d,._/:\- ]*$"),  # a number, a date, a time
    re.compile(r"^[A-Z]{1,5}[-_ ]?\d{2,}[A-Z]?$"),  # GRD-0107, SKU123
    re.compile(r"^\d{2,}[-_][A-Za-z0-9]+$"),  # 7590-VHVEG
    re.compile(r"^(?=[0-9a-fA-F\-]*\d)[0-9a-fA-F]{8,}(?:-[0-9a-fA-F]{4,})*$"),  # hashes, uuids
    re.compile(r"^[A-Za-z]{0,8}[-_]?\d{4,}$"),  # cust_00042, order10042
)


def _model_like(text: str) -> bool:
    """Whether ``text`` names a model or method: a class name, a model id, a known family."""
    for tok in re.findall(r"[A-Za-z0-9][\w.\-]*", text):
        low = tok.lower().strip(".-")
        if low in _MODEL_WORDS or low.split("-")[0] in _MODEL_WORDS or low.split("_")[0] in _MODEL_WORDS:
            return True
        if re.search(r"[a-z][A-Z]", tok) or re.match(r"^[A-Z]{2,}[a-z]", tok):
            return True  # LogisticRegression, XGBoost
        if "_" in tok.strip("_") and not tok.isupper():
            return True  # an identifier: logreg_balanced, pandas_clean
        if re.search(r"[A-Za-z]{2}", tok) and re.search(r"[A-Za-z][-.]?\d", tok):
            return True  # gpt-4o, llama3, resnet50
        if tok.isupper() and 2 <= len(tok) <= 6 and low not in _SPLITS:
            return True  # SVM, GB
    return False


def _looks_like_id(label: str) -> bool:
    """A row label that names an item (SKU, customer id, date, row number), not a model."""
    text = label.strip().strip("*`")
    if not text:
        return True
    return any(shape.match(text) for shape in _ID_SHAPES)


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
    if unit == "%" and words[-1] in _RATE_WORDS:
        return True  # "churn rate: 26.5%"
    return unit in {"ms", "s", "min", "h"} and any(w in _TIMED_WORDS for w in words)


def _killed(name: str) -> bool:
    words = _words(name)
    if any(w in _KILL_WORDS for w in words):
        return True
    # A single-letter last word is a variable ("precision at k=5"), not a metric.
    if len(words) > 1 and len(words[-1]) == 1 and words[-1] not in {"r"}:
        return True
    return bool(re.match(r"^(?:max|min|num|n)\s+(?:new\s+)?(?:tokens?|length|time)\b", name))


def _unit_of(unit: str | None, currency: str | None) -> str | None:
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


def _to_float(num: str) -> float | None:
    try:
        return float(num.replace(",", "").replace("−", "-"))
    except ValueError:
        return None


def _split_of(name: str, line_prefix: str) -> str | None:
    words = _words(name)
    if "time" in words or "duration" in words:
        words = [w for w in words if w not in {"training", "train"}]
    for w in words:
        if w in _SPLITS:
            return _SPLITS[w]
    # "Test set: accuracy=0.83" / "On validation: f1 0.7": the last split word before the name.
    found = None
    for w in re.findall(r"[a-z]+", line_prefix.lower()):
        if w in _SPLITS and w not in {"training", "dev", "cv"}:
            found = _SPLITS[w]
    return found


def _strip_unit_suffix(name: str, unit: str | None) -> tuple[str, str | None]:
    words = name.split()
    if unit is None and len(words) > 1 and words[-1] in _UNIT_SUFFIXES:
        return " ".join(words[:-1]), _UNIT_SUFFIXES[words[-1]]
    return name, unit


def _is_metric_word(word: str) -> bool:
    return word in _METRIC_WORDS or bool(_METRIC_TOKEN.match(word))


def _keepable(word: str) -> bool:
    return _is_metric_word(word) or word in _SPLITS or word in _QUALIFIERS or word in _PHRASE_WORDS


def _shape_name(tokens: list[str], unit: str | None) -> tuple[str, str | None, list[str], list[str], int] | None:
    """From the words before a value, the metric's name, unit, context words and all words.

    ``tokens`` are raw name tokens; "(macro)" style qualifiers stay in the name, "(logreg)"
    becomes context, words after the last metric word ("Tokens used") are dropped.
    """
    norm = [normalise_name(t) for t in tokens]
    is_paren = [t.startswith("(") for t in tokens]
    marks = [i for i, w in enumerate(norm) if not is_paren[i] and any(_is_metric_word(p) for p in w.split())]
    joined_ends: list[int] = []
    joined = f" {' '.join(norm)} "
    for phrase, pw in _PHRASE_WORD_LISTS:
        if f" {phrase} " not in joined:
            continue
        for i in range(len(norm) - len(pw) + 1):
            if norm[i : i + len(pw)] == pw:
                joined_ends.append(i + len(pw) - 1)
    marks += joined_ends
    if not marks and unit in {"ms", "s", "min", "h"}:
        marks = [i for i, w in enumerate(norm) if w in _TIMED_WORDS]
    if not marks and unit == "%":
        marks = [i for i, w in enumerate(norm) if w in _RATE_WORDS]
    if not marks and unit == "$":
        marks = [i for i, w in enumerate(norm) if not is_paren[i] and w not in _STOP_WORDS]
    if not marks:
        return None
    last = max(marks)
    # "cost per 1,000 questions": a denominator after the metric is part of its name.
    if last + 1 < len(norm) and norm[last + 1].startswith("per") and len(norm) - 1 - last <= 4:
        last = len(norm) - 1
    # Words after the metric may say where it was measured ("on the holdout set"), nothing
    # else: "accuracy score was computed with sklearn 1.3" is prose, not a measurement.
    if any(
        not is_paren[i] and w not in _TRAILING_OK and w not in _SPLITS
        for i, w in enumerate(norm[last + 1 :], start=last + 1)
    ):
        return None
    first = 0
    while first < last and not (not is_paren[first] and all(_keepable(p) for p in norm[first].split())):
        first += 1
    # One plain word right before the name belongs to it ("answer accuracy", "Retrieval
    # latency"), unless it names a model ("XGBoost accuracy", "logreg recall").
    if (
        first > 0
        and not is_paren[first - 1]
        and tokens[first - 1].isalpha()
        and (tokens[first - 1].islower() or tokens[first - 1][1:].islower())
        and len(tokens[first - 1]) >= 3
        and tokens[first - 1].lower() not in _STOP_WORDS
        and not _model_like(tokens[first - 1])
    ):
        first -= 1
    context: list[str] = [t for i, t in enumerate(tokens[:first]) if not is_paren[i]]
    name_parts: list[str] = []
    trailing_units: str | None = None
    paren_context = False
    for i in range(first, len(tokens)):
        if is_paren[i]:
            inner = norm[i]
            pu = _PAREN_UNIT.fullmatch(tokens[i])
            if pu and unit is None:
                trailing_units = pu.group("unit")
            elif inner and all(p in _QUALIFIERS or p in _SPLITS for p in inner.split()):
                name_parts.append(inner)
            else:
                context = [tokens[i].strip("()")]
                paren_context = True
            continue
        if i <= last and norm[i] not in _STOP_WORDS:
            name_parts.append(norm[i])
    if unit is None and trailing_units:
        low = trailing_units.lower()
        unit = "$" if low in {"$", "usd"} else _unit_of(trailing_units, None)
    name = " ".join(" ".join(name_parts).split())
    kept_context = [w for w in context if w.lower().strip(",:;") not in _STOP_WORDS]
    ctx = (
        " ".join(kept_context).strip(",:;")
        if kept_context and len(kept_context) == len(context) and len(context) <= 3
        else None
    )
    # Words before the name are context only when they name a model; "(logreg)" after the
    # name always is.
    if ctx and not (paren_context or _model_like(ctx)):
        ctx = None
    return name, unit, ([ctx] if ctx else []), norm, first


def _throughput(line: str, line_no: int, m: re.Match[str], unit: str) -> list[MetricMatch]:
    """A bare rate ("... -> 343,643 rows/s") is a throughput; the line's label is its context."""
    value = _to_float(m.group("num"))
    if value is None:
        return []
    label = re.match(r"^\s*([A-Za-z_][\w .\-]{0,40}?)\s*:", line)
    context = label.group(1) if label and label.end() <= m.start() else None
    raw = line[m.start() : m.end()]
    return [MetricMatch("throughput", value, unit, raw, line_no, None, context)]


def _match_generic(line: str, line_no: int) -> list[MetricMatch]:
    out: list[MetricMatch] = []
    for m in _VALUE.finditer(line):
        prefix = line[: m.start()]
        window = prefix[-160:]
        sep = _SEPARATOR_AT_END.search(window)
        if sep is None or sep.group() == "":
            continue
        head = window[: len(window) - len(sep.group())]
        if _COMPARATOR_BEFORE.search(head) or head.endswith(("<", ">", "#", "/")):
            continue
        nm = _NAME_AT_END.search(head)
        unit = _unit_of(m.group("unit"), m.group("cur"))
        shaped = None
        if nm is not None:
            token_matches = list(re.finditer(_NAME_TOKEN, nm.group("name")))
            shaped = _shape_name([t.group() for t in token_matches], unit)
        if shaped is None:
            if unit in _RATE_UNITS:
                out.extend(_throughput(line, line_no, m, unit))
            continue
        assert nm is not None
        name, unit, context, all_words, first = shaped
        name, unit = _strip_unit_suffix(name, unit)
        full = " ".join(all_words)
        if (
            not name
            or _killed(full)
            or name.split()[-1] in _DANGLING
            or not (is_metric_name(name, unit) or unit == "$")
        ):
            continue
        if line[m.end() : m.end() + 1] == "+":
            continue  # "memory usage: 1.2+ MB" is pandas' lower bound, not a measurement
        value = _to_float(m.group("num"))
        if value is None:
            continue
        start = len(prefix) - len(window) + nm.start()
        if first:
            start = len(prefix) - len(window) + nm.start("name") + token_matches[first].start()
        end = m.end()
        if "(" in sep.group() and line[end : end + 1] == ")":
            end += 1  # np.float64(0.83)
        per = _PER_AFTER.match(line, end) if unit else None
        if per is not None:
            unit = f"{unit} {per.group().strip()}"
            end = per.end()
        out.append(
            MetricMatch(
                name=name,
                value=value,
                unit=unit,
                raw=line[start:end].strip(),
                line=line_no,
                split=_split_of(full, line[:start]),
                context=context[0] if context else None,
            )
        )
    for m in _PERCENT_FIRST.finditer(line):
        before = line[: m.start()]
        if _COMPARATOR_BEFORE.search(before) or any(
            w in _KILL_WORDS for w in re.findall(r"[a-z]+", before.lower())[-4:]
        ):
            continue
        value = _to_float(m.group("num"))
        if value is None:
            continue
        name = normalise_name(m.group("name"))
        out.append(MetricMatch(name, value, "%", m.group(), line_no, _split_of(name, before), None))
    return out


def _classification_report(lines: list[str], start: int) -> tuple[list[MetricMatch], int]:
    """Parse a classification_report block whose header is ``lines[start]``.

    Up to :data:`_PER_ROW_MAX` classes give one metric per class and column; more classes give
    one per column, naming its weakest and strongest class (see :func:`_column_floor`).
    """
    classes: list[tuple[list[_Cell], str]] = []
    rest: list[MetricMatch] = []
    i = start + 1
    blank_run = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            blank_run += 1
            if blank_run > 1:
                break
            i += 1
            continue
        blank_run = 0
        acc = _REPORT_ACCURACY.match(line)
        row = _REPORT_ROW.match(line)
        if acc:
            rest.append(MetricMatch("accuracy", float(acc.group("v")), None, line.strip(), i + 1))
        elif row:
            label = row.group("label").strip()
            cells = [_Cell(row.group(k), i + 1, line.strip()) for k in ("p", "r", "f")]
            if not label.lower().endswith("avg"):
                classes.append((cells, label))
                i += 1
                continue
            for cell, metric in zip(cells, ("precision", "recall", "f1"), strict=True):
                rest.append(MetricMatch(f"{label.lower()} {metric}", float(cell.text), None, cell.raw, cell.line))
        else:
            break
        i += 1
    out: list[MetricMatch] = []
    cols = [_Col(0, "precision", None), _Col(1, "recall", None), _Col(2, "f1", None)]
    if len(classes) > _PER_ROW_MAX:
        out = [m for col in cols if (m := _column_floor(col, classes, "class")) is not None]
    else:
        for cells, label in classes:
            for col, cell in zip(cols, cells, strict=True):
                out.append(
                    MetricMatch(f"class {label} {col.name}", float(cell.text), None, cell.raw, cell.line, None, label)
                )
    return out + rest, i


# A table with more rows than this gives one metric per column, not one per row and column:
# two to four rows are models or splits compared side by side, each a baseline to beat; more
# rows are a breakdown (per class, field, segment) or a sweep, and a reader wants its weakest
# (or best) row, not dozens of items.
_PER_ROW_MAX = 4
_SUM_LABELS = frozenset({"total", "all"})
# Metrics where a smaller value is the better one: a breakdown's weakest row is its largest.
_LOWER_BETTER = _wordset(
    """
    loss logloss error errors rmse rmsle mae mape smape mse msle medae wer cer perplexity ppl
    latency p50 p75 p90 p95 p99 p999 time duration runtime elapsed cost memory ram vram rss heap
    footprint overhead brier hallucination hallucinations failure failures ms usd tokens
    """
)
# Column or row headers that say nothing about the run: "value" in a metric/value table.
_GENERIC_HEADERS = frozenset({"", "value", "values", "score", "scores", "result", "results", "metric", "0"})


@dataclass(frozen=True, slots=True)
class _Cell:
    text: str
    line: int  # 1-based
    raw: str  # the cell's row as printed, stripped: what a citation quotes


@dataclass(frozen=True, slots=True)
class _Col:
    index: int
    name: str
    unit: str | None
    context: str | None = None  # the column header, when a caption names the metric
    header: str = ""  # as printed


@dataclass(slots=True)
class _Grid:
    """A table's cells, from a pipe table, an aligned text table or an HTML table."""

    header: list[str]
    rows: list[list[_Cell]]
    key: str | None = None  # pandas' index name, printed under the header
    first_is_label: bool = False  # a hand-written table's first column names its rows
    min_share: float = 0.0  # the share of named columns that must name metrics


def _cell_number(text: str) -> tuple[float, str | None] | None:
    """A table cell's value and unit; None for text, ``NaN`` or an empty cell."""
    cm = _CELL_VALUE.match(text.replace("**", "").strip())
    if cm is None:
        return None
    value = _to_float(cm.group("num"))
    return None if value is None else (value, _unit_of(cm.group("unit"), cm.group("cur")))


def _lower_is_better(name: str, unit: str | None) -> bool:
    words = name.split()
    if unit in _RATE_UNITS or "throughput" in words or "speedup" in words or "per second" in name:
        return False
    return any(w in _LOWER_BETTER for w in words) or unit in {"ms", "s", "min", "h", "$", "MB", "GB"}


def _column_metric(header: str, cells: list[str]) -> tuple[str, str | None] | None:
    """The metric a column header names, with its unit ("p95 latency (ms)", ``cost_per_1k_usd``).

    A rate column ("fallback_rate") is a metric when its cells are percentages.
    """
    unit_m = _PAREN_UNIT.search(header)
    unit = _unit_of(unit_m.group("unit"), None) if unit_m else None
    if unit in {"usd", "$"}:
        unit = "$"
    name = normalise_name(_PAREN_UNIT.sub("", header))
    name, unit = _strip_unit_suffix(name, unit)
    if not name or len(name) >= 40 or _killed(name):
        return None
    units = {n[1] for c in cells if (n := _cell_number(c)) is not None}
    probe = unit or (units.pop() if len(units) == 1 else None)
    return (name, unit) if is_metric_name(name, probe) else None


def _label_column(grid: _Grid, metric_cols: set[int]) -> int | None:
    """The column naming each row: the first that holds no metric and is not a column of row
    numbers (pandas' unnamed index, an unnamed ``#`` column)."""
    for idx, cell in enumerate(grid.header):
        if idx in metric_cols:
            continue
        values = [r[idx].text for r in grid.rows if r[idx].text]
        if not values:
            continue
        named_index = idx == 0 and not cell and grid.key
        if (
            not named_index
            and normalise_name(cell) in {"", "#", "index", "no", "n"}
            and all(re.fullmatch(r"\d+", v) for v in values)
        ):
            continue
        return idx
    return None


def _clean_label(label: str | None) -> str | None:
    return (label.replace("**", "").strip().strip("`") or None) if label is not None else None


def _is_summary(row: list[_Cell], label: str | None, grid: _Grid, metric_cols: set[int]) -> bool:
    """A row that sums up the rows above it ("mean", "overall", "macro avg").

    "total" and "all" also name things (an invoice's ``total`` field, a class ``all``): such a
    row sums the table only if its counts are no smaller than the other rows' together.
    """
    low = (label or "").lower()
    if low not in _SUMMARY_LABELS:
        return False
    if low not in _SUM_LABELS:
        return True
    others = [r for r in grid.rows if r is not row]
    for j in range(len(grid.header)):
        mine = _cell_number(row[j].text)
        counts = [n[0] for r in others if (n := _cell_number(r[j].text)) is not None]
        if j in metric_cols or mine is None or len(counts) != len(others) or not others:
            continue
        if all(v.is_integer() for v in [mine[0], *counts]) and mine[0] < sum(counts):
            return False
    return True


def _row_label(label: str | None, per_item: bool, single_row: bool, summary: bool) -> tuple[bool, str | None]:
    """Whether a row is a metric row, and its label.

    Rows labelled by a model, method or split are; rows labelled by an item (a SKU, an id, a
    date, a row number) are not, except summary rows.
    """
    if label is None:
        return single_row, None
    if summary:
        return True, label
    if per_item or _looks_like_id(label):
        return False, None
    return True, label


def _table_match(
    name: str, value: float, unit: str | None, cell: _Cell, label: str | None, summary: bool
) -> MetricMatch:
    """A metric from a table row: a split label sets the split, a summary label joins the name."""
    split = _split_of(name, "")
    context = label
    if label is not None:
        low = label.lower()
        if low in _SPLITS and split is None:
            split, context = _SPLITS[low], None
        elif summary:
            name, context = f"{normalise_name(label)} {name}", None
    return MetricMatch(name, value, unit, cell.raw, cell.line, split, context)


def _values(col: _Col, body: list[tuple[list[_Cell], str]]) -> list[tuple[_Cell, str, float, str | None]]:
    return [
        (cells[col.index], label, num[0], num[1] or col.unit)
        for cells, label in body
        if (num := _cell_number(cells[col.index].text)) is not None
    ]


def _column_floor(col: _Col, body: list[tuple[list[_Cell], str]], key: str | None) -> MetricMatch | None:
    """A breakdown column as one metric: its weakest row (the floor production must keep),
    naming the strongest row beside it."""
    vals = _values(col, body)
    if not vals:
        return None
    lower = _lower_is_better(col.name, vals[0][3])
    worst = (max if lower else min)(vals, key=lambda v: v[2])
    best = (min if lower else max)(vals, key=lambda v: v[2])
    also = ((best[1], best[0].text),) if best[2] != worst[2] else ()
    pick = RowPick(worst[1], key, len(vals), "highest" if lower else "lowest", also)
    cell = worst[0]
    return MetricMatch(col.name, worst[2], worst[3], cell.raw, cell.line, _split_of(col.name, ""), col.context, pick)


def _sweep_best(cols: list[_Col], body: list[tuple[list[_Cell], str]], key: str | None) -> list[MetricMatch]:
    """A sweep of a numeric parameter as one metric: the best row of its main quality column
    (held-out splits first), with the row's other values beside it."""

    def rank(col: _Col) -> tuple[int, int]:
        lower = _lower_is_better(col.name, col.unit)
        kind = 1 if lower else 0 if is_metric_name(col.name) else 2  # "fallback_rate" comes last
        split = _split_of(col.name, "")
        return kind, 0 if split in {"val", "test", "eval"} else 2 if split == "train" else 1

    primary = min(cols, key=rank)
    vals = _values(primary, body)
    if not vals:
        return []
    lower = _lower_is_better(primary.name, vals[0][3])
    cell, label, value, unit = (min if lower else max)(vals, key=lambda v: v[2])
    row = next(cells for cells, _ in body if cells[primary.index] is cell)
    also = tuple(
        (c.header, row[c.index].text) for c in cols if c is not primary and _cell_number(row[c.index].text) is not None
    )
    pick = RowPick(label, key, len(vals), "best", also)
    return [
        MetricMatch(primary.name, value, unit, cell.raw, cell.line, _split_of(primary.name, ""), primary.context, pick)
    ]


def _row_items(cols: list[_Col], cells: list[_Cell], label: str | None, summary: bool) -> list[MetricMatch]:
    out = []
    for col in cols:
        num = _cell_number(cells[col.index].text)
        if num is None:
            continue
        m = _table_match(col.name, num[0], num[1] or col.unit, cells[col.index], label, summary)
        if col.context:
            m = replace(m, context=f"{col.context}, {m.context}" if m.context else col.context)
        out.append(m)
    return out


def _transposed(grid: _Grid, label_idx: int) -> _Grid | None:
    """A table whose rows name the metrics (``accuracy``, ``f1`` down the side, a column per
    model or one ``value`` column), turned so that its columns do."""
    metric_rows = [r for r in grid.rows if _column_metric(r[label_idx].text, [c.text for c in r]) is not None]
    if not metric_rows or len(metric_rows) * 2 < len(grid.rows):
        return None
    header = [grid.header[label_idx], *(r[label_idx].text for r in metric_rows)]
    rows = []
    for j, head in enumerate(grid.header):
        if j == label_idx or not any(_cell_number(r[j].text) for r in metric_rows):
            continue
        text = "" if normalise_name(head) in _GENERIC_HEADERS else head
        rows.append([_Cell(text, metric_rows[0][j].line, metric_rows[0][j].raw), *(r[j] for r in metric_rows)])
    return _Grid(header, rows, first_is_label=True) if rows else None


def _captioned(grid: _Grid, label_idx: int, title: str) -> list[_Col]:
    """Columns of a table whose caption names the metric ("per-class recall" over a column per
    model): every named column must hold numbers, each is the metric for its header."""
    cols = []
    for j, head in enumerate(grid.header):
        if j == label_idx or not head:
            continue
        nums = [n for r in grid.rows if r[j].text and (n := _cell_number(r[j].text)) is not None]
        if len(nums) < sum(1 for r in grid.rows if r[j].text and r[j].text.lower() != "nan") or not nums:
            return []
        units = {n[1] for n in nums}
        context = None if normalise_name(head) in _GENERIC_HEADERS else head
        cols.append(_Col(j, title, units.pop() if len(units) == 1 else None, context, head))
    return cols


def _grid_metrics(grid: _Grid, title: str | None = None) -> list[MetricMatch] | None:
    """The measurements of a table; None when it is not a results table.

    Metric columns are named by their header, by a caption (``title``) over a table of numbers,
    or, turned, by the row labels. Rows labelled by an item (a SKU, a date) give only their
    summary rows; a numeric first column with a name ("threshold", "k") makes a sweep.
    """
    if not grid.rows:
        return None
    width = len(grid.header)
    cols = []
    for j in range(1 if grid.first_is_label else 0, width):
        found = _column_metric(grid.header[j], [r[j].text for r in grid.rows])
        if found is not None:
            cols.append(_Col(j, found[0], found[1], None, grid.header[j]))
    named = sum(1 for h in grid.header if h)
    if cols and len(cols) < grid.min_share * named:
        return None
    label_idx = _label_column(grid, {c.index for c in cols})
    if not cols and label_idx is not None:
        turned = _transposed(grid, label_idx)
        if turned is not None:
            return _grid_metrics(turned)
        cols = _captioned(grid, label_idx, title) if title else []
    if not cols:
        return None
    key = None
    if label_idx is not None:
        head = grid.header[label_idx]
        key = (grid.key if label_idx == 0 and not head else head) or None
    key_words = set(normalise_name(key or "").split())
    per_item = bool(key_words & _ENTITY_HEADERS)
    labels = [_clean_label(r[label_idx].text) if label_idx is not None else None for r in grid.rows]
    sweep = (
        key is not None
        and not per_item
        and len(grid.rows) > 1
        and all(lb is not None and _cell_number(lb) is not None for lb in labels)
    )
    if sweep:
        return _sweep_best(cols, [(r, lb) for r, lb in zip(grid.rows, labels, strict=True) if lb], key)
    metric_cols = {c.index for c in cols}
    kept: list[tuple[list[_Cell], str | None, bool]] = []
    for cells, label in zip(grid.rows, labels, strict=True):
        summary = _is_summary(cells, label, grid, metric_cols)
        keep, clean = _row_label(label, per_item, len(grid.rows) == 1, summary)
        if keep:
            kept.append((cells, clean, summary))
    body = [(c, lb) for c, lb, summary in kept if lb is not None and not summary]
    if len(body) <= _PER_ROW_MAX:
        return [m for cells, label, summary in kept for m in _row_items(cols, cells, label, summary)]
    out = [m for col in cols if (m := _column_floor(col, body, key)) is not None]
    rest = [(c, lb, summary) for c, lb, summary in kept if lb is None or summary]
    return out + [m for cells, label, summary in rest for m in _row_items(cols, cells, label, summary)]


def _split_pipe(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _pipe_table(lines: list[str], start: int, title: str | None) -> tuple[list[MetricMatch], int]:
    """A markdown table: header at ``start``, rule below it, rows until a non-table line."""
    header = _split_pipe(lines[start])
    end = start + 2
    while end < len(lines) and _PIPE_ROW.match(lines[end]):
        end += 1
    rows = []
    for i in range(start + 2, end):
        cells = _split_pipe(lines[i])
        cells += [""] * (len(header) - len(cells))
        rows.append([_Cell(text, i + 1, lines[i].strip()) for text in cells[: len(header)]])
    found = _grid_metrics(_Grid(header, rows, first_is_label=True), title)
    return found or [], end


def _text_table(lines: list[str], start: int, title: str | None) -> tuple[list[MetricMatch], int] | None:
    """A printed results table (a pandas repr, an aligned report), or None when the lines at
    ``start`` are not one. At least half of its named columns must name metrics (a data
    preview with one ``cost`` column is not a results table) unless a caption names the metric."""
    table = read_text_table(lines, start)
    if table is None:
        return None
    rows = [[_Cell(text, r + 1, lines[r].strip()) for text in cells] for r, cells in table.rows]
    found = _grid_metrics(_Grid(table.header, rows, table.index_name, min_share=0.5), title)
    return None if found is None else (found, table.end)


def _caption_metric(text: str) -> str | None:
    """The metric a caption names: ``Per-class recall:`` -> ``recall``, a displayed
    ``f1_by_class.round(2)`` -> ``f1``, ``macro_f1_per_model`` -> ``macro f1``."""
    words = normalise_name(re.sub(r"[^\w@\- ]+", " ", text)).split()
    if not words or len(words) > 12 or any(w in _KILL_WORDS for w in words):
        return None
    for i, w in enumerate(words):
        if _is_metric_word(w):
            first = i
            while first > 0 and words[first - 1] in _QUALIFIERS and words[first - 1] != "per":
                first -= 1
            last = i + 1
            while last < len(words) and _is_metric_word(words[last]) and words[last] != w:
                last += 1
            return " ".join(words[first:last])
    return None


def _leading_label(line: str, matches: list[MetricMatch]) -> str | None:
    """Text before a line's first metric names what was measured ("MA window=7   MAPE: 28%")."""
    if not matches:
        return None
    first = line.find(matches[0].raw)
    if first <= 0:
        return None
    lead = line[:first].strip().rstrip(":-|,;(").strip()
    if not lead or len(lead) > 40 or not re.search(r"[A-Za-z]", lead) or "  " not in line[:first]:
        return None
    return lead


def find_metrics(text: str, title: str | None = None) -> list[MetricMatch]:
    """Every metric measurement in ``text``, in order; never raises.

    ``title`` captions the text's tables (a notebook cell's displayed expression, say
    ``recall.round(2)  # per-class recall``): a table of numbers whose header names no metric
    measures the one its caption names. A line printed right above a table captions it too.
    """
    try:
        return _find(text, title)
    except Exception:  # a parser bug must not stop ingest
        return []


_STANDALONE_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")


def _may_head_table(line: str) -> bool:
    """A header line: words apart by runs of spaces, or indented over an index; no numbers."""
    return bool(
        (re.search(r"\S\s{2,}\S", line) or re.match(r"^\s{2,}\S", line)) and not _STANDALONE_NUMBER.search(line)
    )


def _find(text: str, title: str | None = None) -> list[MetricMatch]:
    lines = text.splitlines()
    out: list[MetricMatch] = []
    label: str | None = None  # a lone title line ("LogisticRegression") over metric lines
    i = 0
    while i < len(lines):
        line = lines[i]
        if len(line) > 2000:  # minified data, not something a person printed
            i += 1
            continue
        if _may_head_table(line):
            above = lines[i - 1] if i > 0 and len(lines[i - 1]) <= 80 else ""
            caption = _caption_metric(above) if above.strip() and not _STANDALONE_NUMBER.search(above) else None
            table = _text_table(lines, i, caption or (_caption_metric(title) if title else None))
            if table is not None:
                out.extend(table[0])
                i, label = table[1], None
                continue
        if not line.strip():
            label = None
        elif (model_line := _MODEL_LINE.match(line)) and not _match_generic(line, i + 1):
            label = model_line.group("model").strip()
            i += 1
            continue
        elif _LABEL_LINE.match(line) and not is_metric_name(normalise_name(line)):
            label = line.strip().rstrip(":").strip(" =-#*")
            if normalise_name(label) in _GENERIC_LABELS:
                label = None  # "Results:" says nothing about which model
            i += 1
            continue
        if _REPORT_HEADER.match(line):
            found, i = _classification_report(lines, i)
            out.extend(found)
            continue
        if _PIPE_ROW.match(line) and i + 1 < len(lines) and _PIPE_RULE.match(lines[i + 1]):
            found, nxt = _pipe_table(lines, i, _caption_metric(title) if title else None)
            out.extend(found)
            i = max(nxt, i + 1)
            continue
        matches = _match_generic(line, i + 1)
        if not matches:
            label = None  # the label only covers the metric lines right below it
        lead = _leading_label(line, matches)
        inline = _MODEL_INLINE.search(line) if matches else None
        if inline and is_metric_name(normalise_name(inline.group("model"))):
            inline = None  # "model: accuracy 0.84" names no model
        for found_m in matches:
            if found_m.context is None and inline and inline.end() <= line.find(found_m.raw):
                found_m = replace(found_m, context=inline.group("model"))
            # An aligned label before the line's metrics ("naive (last value)   MAPE: 41.8%")
            # is the whole of what a word before one of them only begins.
            if lead and (found_m.context is None or lead.startswith(found_m.context)):
                found_m = replace(found_m, context=lead)
            if label and found_m.context is None:
                found_m = replace(found_m, context=label)
            if label and found_m.split is None:
                found_m = replace(found_m, split=_split_of(label, ""))
            out.append(found_m)
        i += 1
    return out
