"""Schedules in Python code: when a flow, DAG, job or task runs, found by AST.

A SCHEDULE fact (see :class:`~specagent.ingest.models.FactKind`) comes from:

- any call given a schedule keyword: ``cron=``, ``cron_schedule=``, ``schedule=``,
  ``schedules=``, ``schedule_interval=``, ``timetable=`` (Prefect ``flow.serve``/``.deploy``/
  ``Deployment.build_from_flow``, Airflow ``DAG``/``@dag``, Dagster ``ScheduleDefinition``/
  ``@schedule``, Modal ``@app.function(schedule=...)``), and Prefect's ``interval=``/``rrule=``;
  the value is a cron string or a schedule object (``CronSchedule(cron=..., timezone=...)``,
  ``Cron(...)``, ``CronTriggerTimetable(...)``, ``timedelta(...)``, ``Period(...)``);
- APScheduler ``scheduler.add_job(func, "cron", hour=2)`` and ``@scheduler.scheduled_job(...)``;
- the ``schedule`` library's ``schedule.every().day.at("02:30").do(job)``;
- Celery beat: ``{"task": ..., "schedule": crontab(...)}`` entries and ``add_periodic_task``.

A cron string is kept exactly as written; a schedule written another way (keyword fields, an
interval object) is kept as its source text in ``every``; a bare number of seconds reads
``600 s``. What runs is the flow a ``.serve()`` is called on, the ``flow=``/``job=``/``dag_id=``
argument, or the decorated function. Docstrings and comments then go through the line rules
of :mod:`specagent.ingest.schedules` (a ``prefect deploy ... --cron`` in a module docstring).
"""

from __future__ import annotations

import ast

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import Ctx, FuncNode, dotted, end_line, kwargs, last_name
from specagent.ingest.schedules import MAX_PER_FILE, is_cron, text_schedule_facts

#: Schedulers named in facts, by the top-level module that provides them.
SCHEDULERS = ("prefect", "airflow", "dagster", "apscheduler", "celery", "modal", "schedule")
#: Keywords whose value is a schedule, on any call.
_SCHEDULE_KWARGS = ("cron", "cron_schedule", "schedule", "schedules", "schedule_interval", "timetable")
#: Keywords that are a schedule only on a Prefect deployment call (elsewhere ``interval`` is anything).
_PREFECT_KWARGS = ("interval", "rrule")
_DEPLOY_CALLS = frozenset({"serve", "deploy", "to_deployment", "build_from_flow"})
#: Schedule objects holding a cron expression (first argument or ``cron=``) or cron fields.
_CRON_CTORS = frozenset(
    {
        "Cron",
        "CronSchedule",
        "CronTrigger",
        "from_crontab",
        "CronTriggerTimetable",
        "CronDataIntervalTimetable",
        "crontab",
        "Schedule",
    }
)
_INTERVAL_CTORS = frozenset(
    {"Interval", "IntervalSchedule", "IntervalTrigger", "timedelta", "Period", "RRuleSchedule", "RRule", "duration"}
)
#: The key :func:`_values` is given where a bare number is a period in seconds (Celery).
SECONDS = "seconds"
_CTORS = _CRON_CTORS | _INTERVAL_CTORS
_TZ_KWARGS = ("timezone", "tz", "execution_timezone", "time_zone")
#: Keywords naming what a scheduled call runs, most specific first.
_TARGET_KWARGS = ("dag_id", "flow", "job", "job_name", "func", "target", "task")
#: APScheduler's trigger fields, as ``add_job(..., "cron", hour=2)`` writes them.
_TRIGGER_FIELDS = frozenset(
    "year month day week day_of_week hour minute second weeks days hours minutes seconds".split()
)


def extract_schedules(ctx: Ctx) -> None:
    """Add SCHEDULE facts for the schedules this file's code sets, then for the ones its
    docstrings and comments state."""
    decorated: dict[int, FuncNode] = {
        id(dec): func for func in ctx.index.funcs for dec in func.decorator_list if isinstance(dec, ast.Call)
    }
    before = len(ctx.facts)
    consumed: set[int] = set()
    # Schedule objects go last: one a host call was given (CronSchedule(cron=...) inside
    # build_from_flow) is that host's schedule, not one of its own.
    calls = sorted((c for c in ctx.index.calls if _candidate(c)), key=lambda c: last_name(c.func) in _CTORS)
    for call in calls:
        if len(ctx.facts) - before >= MAX_PER_FILE:
            break
        if id(call) in consumed:
            continue
        with ctx.guard("schedule", call):
            _from_call(ctx, call, decorated.get(id(call)), consumed)
    if "celery" in ctx.imported:
        for node in ast.walk(ctx.tree):
            if isinstance(node, ast.Dict):
                with ctx.guard("beat schedule", node):
                    _beat_entry(ctx, node)
    covered = {
        n for fact in ctx.facts[before:] for n in range(fact.source.span.start_line, fact.source.span.end_line + 1)
    }
    ctx.facts.extend(text_schedule_facts(ctx.path, ctx.lines, skip=covered))


#: Calls read whatever their keywords: the ``schedule`` library, APScheduler, Celery.
_METHODS = frozenset({"do", "add_job", "scheduled_job", "add_periodic_task"})
_KEYWORDS = frozenset(_SCHEDULE_KWARGS + _PREFECT_KWARGS)


def _candidate(call: ast.Call) -> bool:
    """A cheap first look (most calls of a file are not about schedules)."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in _METHODS:
        return True
    return any(k.arg in _KEYWORDS for k in call.keywords)


def _scheduler(ctx: Ctx, *nodes: ast.AST | None) -> str:
    """Which scheduler: the module a call or schedule object comes from, else the file's import."""
    for node in nodes:
        top = (ctx.qual(node) or "").partition(".")[0]
        if top in SCHEDULERS:
            return top
    return next((name for name in SCHEDULERS if name in ctx.imported), "other")


def _segment(ctx: Ctx, node: ast.AST) -> str:
    """The source text of ``node`` exactly as written, on one line."""
    first, last = node.lineno, end_line(node)  # type: ignore[attr-defined]
    if not 1 <= first <= last <= len(ctx.lines):
        return ast.unparse(node)
    # ast offsets count UTF-8 bytes, not characters
    raw = [line.encode("utf-8") for line in ctx.lines[first - 1 : last]]
    raw[-1] = raw[-1][: node.end_col_offset]  # type: ignore[attr-defined]
    raw[0] = raw[0][node.col_offset :]  # type: ignore[attr-defined]
    return " ".join(part.decode("utf-8", "replace").strip() for part in raw)


def _string(ctx: Ctx, node: ast.AST | None) -> str | None:
    return ctx.string(node) if node is not None else None


def _tz(ctx: Ctx, call: ast.Call) -> str | None:
    kw = kwargs(call)
    for key in _TZ_KWARGS:
        value = _string(ctx, kw.get(key))
        if value:
            return value
    start = kw.get("start_date")  # Airflow: start_date=pendulum.datetime(2024, 1, 1, tz="Europe/Berlin")
    if isinstance(start, ast.Call):
        return _string(ctx, kwargs(start).get("tz"))
    return None


def _values(
    ctx: Ctx, node: ast.AST, key: str, depth: int = 0
) -> list[tuple[str | None, str | None, str | None, ast.AST]]:
    """(cron, every, timezone, node) of each schedule a keyword value sets."""
    if depth > 3:
        return []
    if isinstance(node, ast.Name) and node.id in ctx.constants:
        return _values(ctx, ctx.constants[node.id], key, depth + 1)
    if isinstance(node, ast.List | ast.Tuple):
        return [v for elt in node.elts for v in _values(ctx, elt, key, depth + 1)]
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        # a bare number is seconds (Prefect's interval, Celery's schedule); elsewhere it means nothing
        return [(None, f"{_segment(ctx, node)} s", None, node)] if key in {"interval", SECONDS} else []
    text = _string(ctx, node) if isinstance(node, ast.Constant | ast.JoinedStr | ast.Name) else None
    if text is not None:
        if is_cron(text):
            return [(text, None, None, node)]
        return [(None, text, None, node)] if key == "rrule" and text.strip() else []
    if not isinstance(node, ast.Call):
        return []
    name = last_name(node.func) or ""
    kw = kwargs(node)
    tz = _tz(ctx, node)
    if name in _CRON_CTORS:
        for arg in [*node.args[:1], kw.get("cron"), kw.get("expr"), kw.get("cron_expression")]:
            text = _string(ctx, arg)
            if text and is_cron(text):
                return [(text, None, tz, node)]
        if name != "Schedule" or kw.keys() & {"interval", "rrule"}:
            return [(None, _segment(ctx, node), tz, node)]
        return []
    if name in _INTERVAL_CTORS:
        return [(None, _segment(ctx, node), tz, node)]
    return []


def _target(ctx: Ctx, call: ast.Call, func: FuncNode | None) -> str | None:
    """What a scheduled call runs: the flow a deploy call is made on, a naming keyword, a DAG's
    id, or the function it decorates."""
    name = last_name(call.func)
    kw = kwargs(call)
    if name in {"serve", "deploy", "to_deployment"} and isinstance(call.func, ast.Attribute):
        receiver = call.func.value
        if isinstance(receiver, ast.Call) and last_name(receiver.func) == "from_source":
            entry = _string(ctx, kwargs(receiver).get("entrypoint"))
            return entry.rpartition(":")[2] if entry else None
        if isinstance(receiver, ast.Call):  # my_flow.with_options(...).serve(...)
            receiver = receiver.func.value if isinstance(receiver.func, ast.Attribute) else receiver.func
        return dotted(receiver)
    for key in _TARGET_KWARGS:
        value = kw.get(key)
        if value is not None:
            return _string(ctx, value) or dotted(value) or None
    if name in {"DAG", "dag"} and call.args:
        text = _string(ctx, call.args[0])
        if text:
            return text
    return func.name if func is not None else None


def _add(
    ctx: Ctx,
    host: ast.AST,
    value: ast.AST,
    scheduler: str,
    cron: str | None,
    every: str | None,
    tz: str | None,
    target: str | None,
) -> None:
    ctx.add(
        FactKind.SCHEDULE,
        target or cron or every or "schedule",
        {"scheduler": scheduler, "cron": cron, "every": every, "timezone": tz, "target": target},
        host.lineno,  # type: ignore[attr-defined]
        end_line(host),
        value.lineno,  # type: ignore[attr-defined]
    )


def _from_call(ctx: Ctx, call: ast.Call, func: FuncNode | None, consumed: set[int]) -> None:
    name = last_name(call.func) or ""
    if name == "do" and isinstance(call.func, ast.Attribute):
        _schedule_library(ctx, call)
        return
    if name in {"add_job", "scheduled_job"}:
        _apscheduler(ctx, call, func)
        return
    if name == "add_periodic_task":
        _celery_periodic(ctx, call)
        return
    kw = kwargs(call)
    keys = [k for k in _SCHEDULE_KWARGS if k in kw]
    if name in _DEPLOY_CALLS:
        keys += [k for k in _PREFECT_KWARGS if k in kw]
    if not keys:
        return
    target = _target(ctx, call, func)
    host_tz = _tz(ctx, call)
    for key in keys:
        for cron, every, tz, node in _values(ctx, kw[key], key):
            consumed.add(id(node))
            ctor = node.func if isinstance(node, ast.Call) else None
            _add(ctx, call, node, _scheduler(ctx, ctor, call.func), cron, every, tz or host_tz, target)


def _schedule_library(ctx: Ctx, call: ast.Call) -> None:
    """``schedule.every(10).minutes.do(job)``: the chain before ``.do`` is the schedule."""
    chain = call.func.value  # type: ignore[attr-defined]
    node, root, tz = chain, None, None
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Call):
            if last_name(node.func) == "at" and len(node.args) > 1:
                tz = _string(ctx, node.args[1])
            if isinstance(node.func, ast.Name | ast.Attribute) and last_name(node.func) == "every":
                root = node
            node = node.func
        else:
            node = node.value
    if root is None or (ctx.qual(root.func) or "") not in {"schedule.every", "every"} or "schedule" not in ctx.imported:
        return
    every = _segment(ctx, chain).removeprefix("schedule.")
    target = dotted(call.args[0]) if call.args else None
    _add(ctx, call, chain, "schedule", None, every, tz, target)


def _apscheduler(ctx: Ctx, call: ast.Call, func: FuncNode | None) -> None:
    """``add_job(func, "cron", hour=2, minute=30)`` and ``@scheduled_job("interval", minutes=5)``."""
    kw = kwargs(call)
    decorator = last_name(call.func) == "scheduled_job"
    args = call.args if decorator else call.args[1:]
    trigger = args[0] if args else kw.get("trigger")
    if trigger is None:
        return
    kind = _string(ctx, trigger)
    tz = _tz(ctx, call)
    if kind in {"cron", "interval"}:
        fields = ", ".join(_segment(ctx, k) for k in call.keywords if k.arg in _TRIGGER_FIELDS)
        if not fields:
            return
        cron: str | None = None
        every: str | None = fields
        node: ast.AST = trigger
    elif isinstance(trigger, ast.Call):
        found = _values(ctx, trigger, "trigger")
        if not found:
            return
        cron, every, trigger_tz, node = found[0]
        tz = tz or trigger_tz
    else:
        return
    if decorator:
        target = func.name if func is not None else None
    else:
        first = call.args[0] if call.args else kw.get("func")
        target = (_string(ctx, first) or dotted(first)) if first is not None else None
    _add(ctx, call, node, "apscheduler", cron, every, tz, target)


def _celery_periodic(ctx: Ctx, call: ast.Call) -> None:
    """``sender.add_periodic_task(crontab(hour=7), report.s(), name=...)``."""
    kw = kwargs(call)
    schedule = call.args[0] if call.args else kw.get("schedule")
    signature = call.args[1] if len(call.args) > 1 else kw.get("sig")
    if schedule is None:
        return
    target = None
    if isinstance(signature, ast.Call) and isinstance(signature.func, ast.Attribute):
        target = dotted(signature.func.value)  # report.s() runs report
    for cron, every, tz, node in _values(ctx, schedule, SECONDS):
        _add(ctx, call, node, "celery", cron, every, tz, target)


def _beat_entry(ctx: Ctx, node: ast.Dict) -> None:
    """A Celery beat entry: a dict literal with a ``task`` and a ``schedule``."""
    entry = {k.value: v for k, v in zip(node.keys, node.values, strict=False) if isinstance(k, ast.Constant)}
    if "task" not in entry or "schedule" not in entry:
        return
    task = _string(ctx, entry["task"])
    for cron, every, tz, value in _values(ctx, entry["schedule"], SECONDS):
        _add(ctx, node, value, "celery", cron, every, tz, task)
