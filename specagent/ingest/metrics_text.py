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

This module scans the text line by line and matches the ``name: value`` shapes itself. Tables
are read by :mod:`specagent.ingest.metric_tables` (which also holds the rule that summarises a
table of many rows or a sweep), classification reports by
:mod:`specagent.ingest.classification_report`, and which words name a metric is
:mod:`specagent.ingest.metric_names`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from specagent.ingest.classification_report import REPORT_HEADER, read_classification_report
from specagent.ingest.metric_match import MetricMatch, RowPick
from specagent.ingest.metric_names import (
    COST_WORDS,
    KILL_WORDS,
    NUMBER,
    PAREN_UNIT,
    PHRASE_WORD_LISTS,
    PHRASE_WORDS,
    QUALIFIERS,
    RATE_WORDS,
    SIZE_UNITS,
    SIZE_WORDS,
    SPLITS,
    TIMED_WORDS,
    UNIT,
    is_metric_name,
    is_metric_word,
    is_rate_unit,
    killed,
    normalise_name,
    split_of,
    strip_unit_suffix,
    to_float,
    unit_of,
    wordset,
)
from specagent.ingest.metric_tables import PIPE_ROW, PIPE_RULE, caption_metric, pipe_table, text_table

# MetricMatch and RowPick are what find_metrics returns, so they are importable from here too.
__all__ = ["MetricMatch", "RowPick", "find_metrics"]

_STOP_WORDS = wordset(
    """
    the a an our my its their this that model we got get gets reached reaches achieved achieves
    has have had with yields yielded gives gave scored scores shows showed final is was were
    and or on for of in at to new old current about around approximately approx roughly nearly
    almost
    """
)
_DANGLING = wordset("per of for at in on to by with")
_TRAILING_OK = _STOP_WORDS | wordset("set data dataset split fold used spent consumed overall")
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
_VALUE = re.compile(
    r"(?<![\w.\-/:@^])(?P<cur>\$|€|£)?(?P<num>" + NUMBER + r")(?![.\-/:,]\d)(?!\d)"
    r"(?:[ \t]?(?P<unit>" + UNIT + r")(?![\w/]))?(?![A-Za-z_+])"
)
_PERCENT_FIRST = re.compile(
    r"(?<![\w.\-/:])(?P<num>\d+(?:\.\d+)?)[ \t]?%[ \t]+(?P<name>(?:top-\d+[ \t]+)?"
    r"(?:accuracy|precision|recall|f1|auc|hit rate|exact match|error rate|success rate|"
    r"pass rate|win rate|coverage))\b",
    re.IGNORECASE,
)
# A parenthesis naming two things compared: "(<one> vs <other>)".
#: A word, or words joined by hyphens ("end-to-end"), with no digits: not a model name.
_PLAIN_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_PAIRED = re.compile(r"^\(.*\b(?:vs\.?|versus)\s.*\)$", re.IGNORECASE)
_LABEL_LINE = re.compile(r"^[ \t=#*-]*[A-Za-z][\w.\-]*(?:[ \t][A-Za-z][\w.\-()]*){0,3}:?[ \t=#*-]*$")
_COMPARATOR_BEFORE = re.compile(r"(?:[<>≤≥]=?|at least|at most|under|below|above|up to)\s*$")
# "8.7 ms per 1,000 rows", "$0.30 per 1,000 questions", "12 tokens per request": the
# denominator after a unit belongs to the unit.
_PER_AFTER = re.compile(
    r"[ \t]+per[ \t]+(?:(?:\d[\d,]*(?:\.\d+)?[kKmM]?|one|each|a)[ \t]+)?[A-Za-z][A-Za-z\-]*(?<!-)(?![\w/])"
)
# Words and shapes that name a model or method, so that a word before a metric may be its
# context ("XGBoost accuracy", "gpt-4o-mini latency") rather than part of its name ("Answer
# accuracy").
_MODEL_WORDS = wordset(
    """
    logreg logistic ridge lasso elasticnet svm svc svr knn kmeans naive bayes nb tree forest
    xgboost xgb lightgbm lgbm catboost gbm gbdt gb rf dt mlp cnn rnn lstm gru transformer bert
    roberta distilbert deberta gpt llama mistral mixtral claude gemini qwen phi arima sarima
    prophet ets ensemble stacking heuristic bm25 tfidf tf-idf majority ma
    """
)
# A lone line over metric lines that only says what follows ("Results:"), not who measured it.
_GENERIC_LABELS = wordset(
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


def _model_like(text: str) -> bool:
    """Whether ``text`` names a model or method: a class name, a model id, a known family."""
    for tok in re.findall(r"[A-Za-z0-9][\w.\-]*", text):
        low = tok.lower().strip(".-")
        if low in _MODEL_WORDS or low.split("-")[0] in _MODEL_WORDS or low.split("_")[0] in _MODEL_WORDS:
            return True
        if re.search(r"[a-z][A-Z]", tok) or re.match(r"^[A-Z]{2,}[a-z]", tok):
            return True  # LogisticRegression, XGBoost
        if "_" in tok.strip("_") and not tok.isupper():
            return True  # an identifier with an inner underscore: <name>_<variant>
        if re.search(r"[A-Za-z]{2}", tok) and re.search(r"[A-Za-z][-.]?\d", tok):
            return True  # gpt-4o, llama3, resnet50
        if tok.isupper() and 2 <= len(tok) <= 6 and low not in SPLITS:
            return True  # SVM, GB
    return False


def _keepable(word: str) -> bool:
    return is_metric_word(word) or word in SPLITS or word in QUALIFIERS or word in PHRASE_WORDS


def _shape_name(tokens: list[str], unit: str | None) -> tuple[str, str | None, list[str], list[str], int] | None:
    """From the words before a value, the metric's name, unit, context words and all words.

    ``tokens`` are raw name tokens; "(macro)" style qualifiers stay in the name, "(logreg)"
    becomes context, words after the last metric word ("Tokens used") are dropped.
    """
    norm = [normalise_name(t) for t in tokens]
    is_paren = [t.startswith("(") for t in tokens]
    marks = _metric_marks(norm, is_paren, unit)
    if not marks:
        return None
    last = max(marks)
    # "cost per 1,000 questions": a denominator after the metric is part of its name.
    if last + 1 < len(norm) and norm[last + 1].startswith("per") and len(norm) - 1 - last <= 4:
        last = len(norm) - 1
    # Words after the metric may say where it was measured ("on the holdout set"), nothing
    # else: "accuracy score was computed with sklearn 1.3" is prose, not a measurement.
    if any(
        not is_paren[i] and w not in _TRAILING_OK and w not in SPLITS
        for i, w in enumerate(norm[last + 1 :], start=last + 1)
    ):
        return None
    first = _name_start(tokens, norm, is_paren, last)
    context: list[str] = [t for i, t in enumerate(tokens[:first]) if not is_paren[i]]
    name_parts: list[str] = []
    trailing_units: str | None = None
    paren_context = False
    for i in range(first, len(tokens)):
        if is_paren[i]:
            inner = norm[i]
            pu = PAREN_UNIT.fullmatch(tokens[i])
            if pu and unit is None:
                trailing_units = pu.group("unit")
            elif inner and all(p in QUALIFIERS or p in SPLITS for p in inner.split()):
                name_parts.append(inner)
            else:
                context = [tokens[i].strip("()")]
                paren_context = True
            continue
        if i <= last and norm[i] not in _STOP_WORDS:
            name_parts.append(norm[i])
    if unit is None and trailing_units:
        low = trailing_units.lower()
        unit = "$" if low in {"$", "usd"} else unit_of(trailing_units, None)
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


def _metric_marks(norm: list[str], is_paren: list[bool], unit: str | None) -> list[int]:
    """Positions of the words that make the tokens a metric's name: metric words and phrases,
    else (by the value's unit) words of time, rate, size or, for money, any word."""
    marks = [i for i, w in enumerate(norm) if not is_paren[i] and any(is_metric_word(p) for p in w.split())]
    joined = f" {' '.join(norm)} "
    for phrase, pw in PHRASE_WORD_LISTS:
        if f" {phrase} " not in joined:
            continue
        for i in range(len(norm) - len(pw) + 1):
            if norm[i : i + len(pw)] == pw:
                marks.append(i + len(pw) - 1)
    if not marks and unit in {"ms", "s", "min", "h"}:
        marks = [i for i, w in enumerate(norm) if w in TIMED_WORDS]
    if not marks and unit == "%":
        marks = [i for i, w in enumerate(norm) if w in RATE_WORDS]
    if not marks and unit in SIZE_UNITS:
        marks = [i for i, w in enumerate(norm) if not is_paren[i] and w in SIZE_WORDS]
    if not marks and unit == "$":
        marks = [i for i, w in enumerate(norm) if not is_paren[i] and w not in _STOP_WORDS]
    return marks


def _name_start(tokens: list[str], norm: list[str], is_paren: list[bool], last: int) -> int:
    """Where the name starts: the first word it can keep, and one plain word before that."""
    first = 0
    while first < last and not (not is_paren[first] and all(_keepable(p) for p in norm[first].split())):
        first += 1
    # One plain word right before the name belongs to it ("test accuracy", "query
    # latency", "miss rate"), unless it names a model ("XGBoost accuracy", "baseline recall").
    if (
        first > 0
        and not is_paren[first - 1]
        and _PLAIN_WORD.fullmatch(tokens[first - 1]) is not None
        and (tokens[first - 1].islower() or tokens[first - 1][1:].islower())
        and len(tokens[first - 1]) >= 3
        and tokens[first - 1].lower() not in _STOP_WORDS
        and not _model_like(tokens[first - 1])
    ):
        first -= 1
    return first


def _throughput(line: str, line_no: int, m: re.Match[str], unit: str) -> list[MetricMatch]:
    """A bare rate ("... -> 343,643 rows/s") is a throughput; the line's label is its context."""
    value = to_float(m.group("num"))
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
        unit = unit_of(m.group("unit"), m.group("cur"))
        shaped = None
        if nm is not None:
            token_matches = list(re.finditer(_NAME_TOKEN, nm.group("name")))
            shaped = _shape_name([t.group() for t in token_matches], unit)
        if shaped is None:
            if unit is not None and is_rate_unit(unit):
                out.extend(_throughput(line, line_no, m, unit))
            continue
        assert nm is not None
        name, unit, context, all_words, first = shaped
        name, unit = strip_unit_suffix(name, unit)
        # "(<one> vs <other>)" says what was compared, not that a value is a target.
        full = " ".join(w for t, w in zip(token_matches, all_words, strict=False) if not _PAIRED.search(t.group()))
        # A sum of money measures the product only when its name says it is a cost ("cost per
        # 1k tickets: $0.16"); "Senior Architect: $310" is a figure from the data.
        money = unit == "$" and bool(COST_WORDS & set(name.split()))
        if not name or killed(full) or name.split()[-1] in _DANGLING or not (is_metric_name(name, unit) or money):
            continue
        # A token count is one call's size, not the product's; tokens per request or per second is.
        rest = " ".join(w for w in name.split() if w not in ("token", "tokens"))
        if rest != name and _PER_AFTER.match(line, m.end()) is None and not is_metric_name(rest):
            continue
        if line[m.end() : m.end() + 1] == "+":
            continue  # "memory usage: 1.2+ MB" is pandas' lower bound, not a measurement
        value = to_float(m.group("num"))
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
                split=split_of(full, line[:start]),
                context=context[0] if context else None,
            )
        )
    for m in _PERCENT_FIRST.finditer(line):
        before = line[: m.start()]
        if _COMPARATOR_BEFORE.search(before) or any(
            w in KILL_WORDS for w in re.findall(r"[a-z]+", before.lower())[-4:]
        ):
            continue
        value = to_float(m.group("num"))
        if value is None:
            continue
        name = normalise_name(m.group("name"))
        out.append(MetricMatch(name, value, "%", m.group(), line_no, split_of(name, before), None))
    return out


def _leading_label(line: str, matches: list[MetricMatch]) -> str | None:
    """Text before a line's first metric names what was measured ("MA window=7   MAPE: 28%")."""
    if not matches:
        return None
    first = line.find(matches[0].raw)
    if first <= 0:
        return None
    before = line[:first].rstrip()
    lead = before.strip().rstrip(":-|,;(").strip()
    if not lead or len(lead) > 40 or not re.search(r"[A-Za-z]", lead):
        return None
    if "  " in line[:first]:
        return lead
    # "EntityRuler + LLM, macro F1: 0.82" / "end-to-end per contract: p50 41.2 s": a label
    # closed by a comma or colon names what was measured, so two such lines printing the same
    # metric stay two measurements. Labels with digits ("epoch 3:") or naming only a split
    # ("test:") or a generic heading are not runs.
    if not before.endswith((",", ":")) or re.search(r"\d", lead) or not re.fullmatch(r"[\w .+\-/&']+", lead):
        return None
    norm = normalise_name(lead)
    if norm in _GENERIC_LABELS or norm in _STOP_WORDS or split_of(norm, "") or is_metric_name(norm) or killed(norm):
        return None
    return lead


def find_metrics(text: str, title: str | None = None) -> list[MetricMatch]:
    """Every metric measurement in ``text``, in order; never raises.

    ``title`` captions the text's tables (a notebook cell's displayed expression, say
    ``scores.round(2)  # per-class scores``): a table of numbers whose header names no metric
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
            caption = caption_metric(above) if above.strip() and not _STANDALONE_NUMBER.search(above) else None
            table = text_table(lines, i, caption or (caption_metric(title) if title else None))
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
        if REPORT_HEADER.match(line):
            found, i = read_classification_report(lines, i)
            out.extend(found)
            continue
        if PIPE_ROW.match(line) and i + 1 < len(lines) and PIPE_RULE.match(lines[i + 1]):
            found, nxt = pipe_table(lines, i, caption_metric(title) if title else None)
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
                found_m = replace(found_m, split=split_of(label, ""))
            out.append(found_m)
        i += 1
    return out
