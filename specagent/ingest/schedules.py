"""Schedules written outside Python code: deploy commands, crontab lines and config files.

When a batch job runs is part of its interface. This module finds SCHEDULE facts (see
:class:`~specagent.ingest.models.FactKind`) in three shapes of text:

- a command line with a ``--cron "30 2 * * *"`` (or ``--schedule``) flag, as Prefect's and
  Cloud Scheduler's CLIs take it, in a docstring, README, Makefile or shell script; its
  ``--timezone`` and the ``path.py:function`` entrypoint it deploys come with it;
- a crontab line (``0 3 * * * python etl.py``), and a cron expression in backticks or quotes
  on a line that says "cron" or "schedule";
- a YAML, JSON or TOML mapping with a ``cron``/``schedule`` key holding a cron expression:
  Prefect's ``prefect.yaml``, GitHub Actions' ``on.schedule``, a Kubernetes CronJob, Render or
  Vercel cron entries. The nearest mapping's ``entrypoint``, job or ``name`` says what runs.

Python code goes through :mod:`specagent.ingest.python_schedules` (by AST), which reuses the
cron test and the line rules here for docstrings and comments. Nothing here raises.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

import yaml

from specagent.ingest.models import Fact, FactKind, SourceRef, Span

#: Quotes are one stripped line, cut like the Python parser's.
_QUOTE_MAX = 160
#: A file that lists hundreds of schedules (a data set of jobs) is data, not the prototype's jobs.
MAX_PER_FILE = 20

_NAMES = "jan feb mar apr may jun jul aug sep oct nov dec mon tue wed thu fri sat sun".split()
_ATOM = r"(?:\*|\?|L|\d{1,4}(?:-\d{1,4})?|\d{1,2}[LW]|\d#\d|[A-Za-z]{3}(?:-[A-Za-z]{3})?)"
_FIELD = rf"{_ATOM}(?:/\d{{1,4}})?(?:,{_ATOM}(?:/\d{{1,4}})?)*"
_CRON = re.compile(rf"{_FIELD}(?:[ \t]+{_FIELD}){{4,6}}")
_PRESET = re.compile(r"@(?:yearly|annually|monthly|weekly|daily|midnight|hourly|reboot|once)")
#: AWS EventBridge / Serverless wrap the expression: ``cron(0 2 * * ? *)``, ``rate(1 day)``.
_AWS = re.compile(r"(?P<kind>cron|rate)\((?P<body>[^()]+)\)")
_WORD = re.compile(r"[A-Za-z]+")


def is_cron(text: str) -> bool:
    """Whether ``text`` is a cron expression (5 to 7 fields), a preset such as ``@daily``, or
    AWS's ``cron(...)`` form. Letters must be month or day names, so five words of prose are not
    a schedule."""
    value = text.strip()
    if _PRESET.fullmatch(value):
        return True
    aws = _AWS.fullmatch(value)
    if aws and aws["kind"] == "cron":
        value = aws["body"].strip()
    if not _CRON.fullmatch(value):
        return False
    words = [w.lower() for w in _WORD.findall(value)]
    return all(w in _NAMES or w == "l" for w in words) and any(c.isdigit() or c == "*" for c in value)


def schedule_of(text: str) -> tuple[str | None, str | None]:
    """(cron, every) of a config value: a cron expression goes in ``cron``, AWS's ``rate(1 day)``
    in ``every``; (None, None) for anything else."""
    value = text.strip()
    if is_cron(value):
        return value, None
    aws = _AWS.fullmatch(value)
    if aws and aws["kind"] == "rate":
        return None, value
    return None, None


def schedule_fact(
    path: str,
    lines: list[str],
    start: int,
    end: int,
    quote_line: int,
    *,
    scheduler: str,
    cron: str | None = None,
    every: str | None = None,
    timezone: str | None = None,
    target: str | None = None,
) -> Fact:
    """A SCHEDULE fact over lines ``start..end`` quoting ``quote_line`` (1-based)."""
    quote = lines[quote_line - 1].strip()[:_QUOTE_MAX].rstrip() if 1 <= quote_line <= len(lines) else None
    return Fact(
        kind=FactKind.SCHEDULE,
        name=target or cron or every or "schedule",
        detail={"scheduler": scheduler, "cron": cron, "every": every, "timezone": timezone, "target": target},
        source=SourceRef(path=path, span=Span(start_line=start, end_line=max(start, end)), quote=quote or None),
    )


# --------------------------------------------------------------------------------------------
# lines of text
# --------------------------------------------------------------------------------------------

_FLAG = re.compile(r"--(?:cron|schedule)(?:=|\s+)(?:\"(?P<dq>[^\"]+)\"|'(?P<sq>[^']+)'|(?P<bare>@\w+))")
_TZ_FLAG = re.compile(r"--(?:timezone|time-zone|tz)(?:=|\s+)[\"']?(?P<tz>[A-Za-z][\w+-]*(?:/[\w+-]+)*)")
_INTERVAL_FLAG = re.compile(r"--interval(?:=|\s+)(?P<n>\d+(?:\.\d+)?)\b")
#: ``<file>.py:<function>``: the function a deploy command runs.
# Starts only where a path starts: from every position inside a long word it is quadratic.
_ENTRYPOINT = re.compile(r"(?<![\w./-])[\w./-]+\.py:(?P<fn>[A-Za-z_]\w*)")
#: A crontab line: five fields, then the command (optionally in backticks, as READMEs show it).
_CRONTAB = re.compile(rf"^\s*`?(?P<cron>{_FIELD}(?:[ \t]+{_FIELD}){{4}})[ \t]+(?P<cmd>[\w./~$\"'-][^`]*?)\s*`?\s*$")
_PRESET_LINE = re.compile(
    r"^\s*(?P<cron>@(?:yearly|annually|monthly|weekly|daily|midnight|hourly|reboot))\s+(?P<cmd>\S.*?)\s*$"
)
_CRON_TZ = re.compile(r"^\s*(?:CRON_TZ|TZ)\s*=\s*(?P<tz>[A-Za-z][\w+-]*(?:/[\w+-]+)*)\s*$")
_SAYS_SCHEDULE = re.compile(r"\b(?:cron(?:tab)?|schedul\w*)\b", re.IGNORECASE)
_QUOTED = re.compile(r"`(?P<bq>[^`]+)`|\"(?P<dq>[^\"]+)\"|'(?P<sq>[^']+)'")
_PROGRAM = re.compile(r"\b(prefect|gcloud)\b")
#: A time zone named in prose beside a quoted expression ("cron `0 3 * * *`, UTC").
_ZONE = re.compile(r"\b(?:UTC|GMT|(?:Africa|America|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/[A-Za-z_]+)\b")


def _continues(line: str) -> bool:
    return line.rstrip().endswith("\\")


def _logical_line(lines: list[str], number: int) -> tuple[int, int, str]:
    """(first, last, text) of the shell-style logical line around line ``number`` (1-based):
    a trailing ``\\`` continues a line."""
    first = number
    while first > 1 and _continues(lines[first - 2]):
        first -= 1
    last = number
    while last < len(lines) and _continues(lines[last - 1]):
        last += 1
    parts = [line.strip() for line in lines[first - 1 : last]]
    text = " ".join(part[:-1].rstrip() if part.endswith("\\") else part for part in parts)
    return first, last, text


def _hinted_lines(lines: list[str]) -> list[int]:
    """Line numbers (1-based) that may hold a schedule: every rule needs a "*" or "@" (an
    expression or a preset) or a "--" flag, and most lines of a module have none of them."""
    return [n for n, line in enumerate(lines, start=1) if "*" in line or "@" in line or "--" in line]


def text_schedule_facts(path: str, lines: list[str], *, skip: set[int] | None = None) -> list[Fact]:
    """SCHEDULE facts in plain lines: deploy commands with ``--cron``, crontab lines, and cron
    expressions quoted on a line that says cron or schedule. ``skip`` holds line numbers other
    rules already read (a Python call the AST rule found)."""
    skip = skip or set()
    facts: list[Fact] = []
    crontab_file = "cron" in PurePosixPath(path).name.lower()
    timezone: str | None = None  # a crontab's CRON_TZ= line holds for the lines after it
    numbers = range(1, len(lines) + 1) if crontab_file else _hinted_lines(lines)
    done = 0  # last line of the logical line read last
    for number in numbers:
        if number <= done or number in skip or len(facts) >= MAX_PER_FILE:
            continue
        first, last, text = _logical_line(lines, number)
        done = last
        if crontab_file and (tz := _CRON_TZ.match(text)):
            timezone = tz["tz"]
            continue
        fact = _command_fact(path, lines, first, last, text) if "--" in text else None
        if fact is None:
            fact = _crontab_fact(path, lines, first, text, crontab_file, timezone)
        if fact is None and first == last:
            fact = _quoted_fact(path, lines, first, text)
        if fact is not None:
            facts.append(fact)
    return facts


def _command_fact(path: str, lines: list[str], first: int, last: int, text: str) -> Fact | None:
    match = _FLAG.search(text)
    interval = None
    program = _PROGRAM.search(text)
    if match is None:
        # Prefect's ``--interval 600`` (seconds); elsewhere ``--interval`` means anything.
        interval = _INTERVAL_FLAG.search(text) if program and program[1] == "prefect" else None
        if interval is None:
            return None
    cron = every = None
    if match is not None:
        value = match["dq"] or match["sq"] or match["bare"] or ""
        if not is_cron(value):
            return None
        cron = value
        needle = match[0]
    else:
        every = f"{interval['n']} s"  # type: ignore[index]
        needle = interval[0]  # type: ignore[index]
    quote_line = next((n for n in range(first, last + 1) if needle.split()[0] in lines[n - 1]), first)
    tz = _TZ_FLAG.search(text)
    entry = _ENTRYPOINT.search(text)
    return schedule_fact(
        path,
        lines,
        first,
        last,
        quote_line,
        scheduler="prefect" if program and program[1] == "prefect" else "other",
        cron=cron,
        every=every,
        timezone=tz["tz"] if tz else None,
        target=entry["fn"] if entry else None,
    )


def _crontab_fact(
    path: str, lines: list[str], number: int, text: str, crontab_file: bool, timezone: str | None
) -> Fact | None:
    match = _CRONTAB.match(text)
    if match is None and crontab_file:
        match = _PRESET_LINE.match(text)
    if match is None:
        return None
    cron = " ".join(match["cron"].split()) if not _PRESET.fullmatch(match["cron"]) else match["cron"]
    # A crontab line has a "*" somewhere; five numbers and a word is a table row.
    if not is_cron(match["cron"]) or ("*" not in cron and not cron.startswith("@")):
        return None
    command = " ".join(match["cmd"].split())
    return schedule_fact(
        path, lines, number, number, number, scheduler="crontab", cron=match["cron"], timezone=timezone, target=command
    )


def _quoted_fact(path: str, lines: list[str], number: int, text: str) -> Fact | None:
    if not _SAYS_SCHEDULE.search(text):
        return None
    for match in _QUOTED.finditer(text):
        value = match["bq"] or match["dq"] or match["sq"] or ""
        if is_cron(value) and ("*" in value or value.startswith("@")):
            zone = _ZONE.search(text)
            return schedule_fact(
                path, lines, number, number, number, scheduler="other", cron=value, timezone=zone[0] if zone else None
            )
    return None


# --------------------------------------------------------------------------------------------
# config files
# --------------------------------------------------------------------------------------------

#: Keys whose value is a schedule (compared lower-case, ``-`` as ``_``).
_SCHEDULE_KEYS = frozenset(
    {"cron", "schedule", "cron_schedule", "schedule_interval", "cron_expression", "schedule_expression", "crontab"}
)
_TZ_KEYS = ("timezone", "time_zone", "timeZone", "tz", "execution_timezone", "cron_timezone")
#: Keys of an enclosing mapping that name what a schedule runs, most specific first.
_TARGET_KEYS = ("entrypoint", "flow_name", "dag_id", "job", "job_name", "task", "function")


def _norm(key: Any) -> str:
    return str(key).lower().replace("-", "_")


def _target(ancestors: list[dict[str, Any]]) -> str | None:
    for mapping in reversed(ancestors):  # the nearest mapping first
        for key in _TARGET_KEYS:
            value = mapping.get(key)
            if isinstance(value, str) and value.strip():
                return value.rpartition(":")[2] if key == "entrypoint" else value
        meta = mapping.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        if isinstance(name, str):
            return name  # a Kubernetes object's own name
        for key in ("name", "path", "command"):
            value = mapping.get(key)
            if isinstance(value, str) and value.strip():
                return value
    return None


def _walk(
    data: Any, ancestors: list[dict[str, Any]], parent_key: str, depth: int = 0
) -> Iterable[tuple[dict[str, Any], str, Any, list[dict[str, Any]]]]:
    """(mapping, key, value, ancestors) of every schedule-looking entry."""
    if depth > 20:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            norm = _norm(key)
            if (norm in _SCHEDULE_KEYS and isinstance(value, str)) or (
                norm in {"interval", "every"} and parent_key in {"schedule", "schedules"} and value is not None
            ):
                yield data, norm, value, ancestors
            elif isinstance(value, dict | list):
                yield from _walk(value, [*ancestors, data], norm, depth + 1)
    elif isinstance(data, list):
        for item in data:
            yield from _walk(item, ancestors, parent_key, depth + 1)


def _load(path: str, text: str) -> list[Any]:
    suffix = PurePosixPath(path).suffix.lower()
    try:
        if suffix in {".yml", ".yaml"}:
            return [d for d in yaml.safe_load_all(text) if d is not None]
        if suffix == ".json":
            return [json.loads(text)]
        if suffix == ".toml":
            return [tomllib.loads(text)]
    except (yaml.YAMLError, ValueError, tomllib.TOMLDecodeError, RecursionError):
        return []
    return []


def _scheduler_of(path: str, doc: Any) -> str:
    lower = path.lower()
    if ".github/workflows/" in f"/{lower}":
        return "github"
    if isinstance(doc, dict) and str(doc.get("kind", "")).lower() == "cronjob":
        return "kubernetes"
    if "prefect" in PurePosixPath(lower).name:
        return "prefect"
    return "other"


def config_schedule_facts(path: str, text: str) -> list[Fact]:
    """SCHEDULE facts of a YAML, JSON or TOML file: mappings with a cron or schedule key."""
    docs = _load(path, text)
    if not docs:
        return []
    lines = text.split("\n")
    seen: dict[str, int] = {}
    facts: list[Fact] = []
    for doc in docs:
        for mapping, key, value, ancestors in _walk(doc, [], ""):
            if len(facts) >= MAX_PER_FILE:
                return facts
            cron: str | None
            every: str | None
            if key in {"interval", "every"}:
                cron, every = None, f"{value} s" if isinstance(value, int | float) else str(value)
                needle = str(value)
            else:
                cron, every = schedule_of(value)
                needle = str(value)
            if cron is None and every is None:
                continue
            line = _find_line(lines, needle, seen)
            if line is None:
                continue
            tz = next((mapping[k] for k in _TZ_KEYS if isinstance(mapping.get(k), str)), None)
            facts.append(
                schedule_fact(
                    path,
                    lines,
                    line,
                    line,
                    line,
                    scheduler=_scheduler_of(path, doc),
                    cron=cron,
                    every=every,
                    timezone=tz,
                    target=_target([*ancestors, mapping]),
                )
            )
    return facts


def _find_line(lines: list[str], needle: str, seen: dict[str, int]) -> int | None:
    """The line of the next occurrence of ``needle`` (a repeated value gets its later lines)."""
    start = seen.get(needle, 0)
    for number in range(start + 1, len(lines) + 1):
        if needle in lines[number - 1]:
            seen[needle] = number
            return number
    return None


def schedule_facts(path: str, text: str) -> list[Fact]:
    """SCHEDULE facts of a file that is not Python or a notebook (those have their own rules):
    the structure of a YAML, JSON or TOML file, the lines of anything else. Never raises."""
    try:
        if PurePosixPath(path).suffix.lower() in {".yml", ".yaml", ".json", ".toml"}:
            return config_schedule_facts(path, text)
        return text_schedule_facts(path, text.split("\n"))
    except Exception:  # a schedule is a bonus: a bug here must not cost the file
        return []
