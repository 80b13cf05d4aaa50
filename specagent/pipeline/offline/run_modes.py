"""Interfaces a prototype is run through besides a CLI or an HTTP route: UI apps and schedules.

A Streamlit (Gradio, Dash, Chainlit, Panel) app is one ``ui`` item named by the command that
starts it, with its docstring and the inputs its user works with. A scheduled job is one
``schedule`` item: what runs, on which cron expression (as written) or interval, in which time
zone and by which scheduler. The same schedule stated twice (the code and a README) is one item
citing both.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath

from specagent.ingest.details import ScheduleDetail, UiAppDetail
from specagent.ingest.models import Fact, FactKind
from specagent.ingest.records import UiInput
from specagent.pipeline.offline.book import FactBook
from specagent.pipeline.offline.common import QUOTE_LIMIT, cite, cites, clean, tick
from specagent.spec.model import Citation, Interface

#: Kinds of input named in a UI item, and the labels shown per kind: enough to see the app.
MAX_WIDGET_KINDS = 8
MAX_LABELS = 3
LABEL_CHARS = 40
#: Input lines cited besides the docstring.
MAX_INPUT_CITES = 3
#: Longest target (a crontab line's command) named in a schedule item.
TARGET_CHARS = 80

SCHEDULER_WORDS = {
    "prefect": "Prefect",
    "airflow": "Airflow",
    "dagster": "Dagster",
    "apscheduler": "APScheduler",
    "celery": "Celery beat",
    "modal": "Modal",
    "schedule": "the `schedule` library",
    "github": "GitHub Actions",
    "kubernetes": "a Kubernetes CronJob",
    "crontab": "crontab",
}


def ui_paths(book: FactBook) -> set[str]:
    """Files that are UI apps: they are run, so they are neither a library nor a plain script."""
    return {f.source.path for f in book.facts(FactKind.UI_APP)}


def ui_interfaces(book: FactBook) -> list[Interface]:
    """One ``ui`` item per app; a Streamlit app's ``pages/`` scripts are named in its item."""
    apps = book.facts(FactKind.UI_APP)
    pages: dict[str, list[Fact]] = defaultdict(list)
    roots = {str(PurePosixPath(a.source.path).parent) for a in apps}
    main_apps = []
    for app in apps:
        path = PurePosixPath(app.source.path)
        if (
            app.detail_as(UiAppDetail).framework == "streamlit"
            and path.parent.name == "pages"
            and str(path.parent.parent) in roots
        ):
            pages[str(path.parent.parent)].append(app)
        else:
            main_apps.append(app)
    items = []
    for app in main_apps:
        d = app.detail_as(UiAppDetail)
        parts = [clean(d.doc) if d.doc else ""]
        inputs = [i for i in d.inputs or [] if i.widget]
        if inputs:
            parts.append(f"Inputs: {_widgets(inputs)}.")
        own_pages = pages.get(str(PurePosixPath(app.source.path).parent), []) if d.framework == "streamlit" else []
        if own_pages:
            parts.append("Pages: " + ", ".join(tick(p.source.path) for p in own_pages) + ".")
        items.append(
            Interface(
                id=book.id("IF"),
                kind="ui",
                name=str(d.run or app.source.path),
                summary=" ".join(p for p in parts if p) or None,
                sources=[cite(app), *_input_citations(app, inputs), *cites(own_pages, 2)],
            )
        )
    return items


def _widgets(inputs: list[UiInput]) -> str:
    """ "`selectbox` (Country), `button` (New conversation, Reset)": each kind of input once,
    in the order the file first uses it, with its labels."""
    labels: dict[str, list[str]] = {}
    for entry in inputs:
        kind = entry.widget
        shown = labels.setdefault(kind, [])
        label = entry.label
        if label and len(shown) < MAX_LABELS and clean(label, LABEL_CHARS) not in shown:
            shown.append(clean(label, LABEL_CHARS))
    kinds = list(labels.items())[:MAX_WIDGET_KINDS]
    return ", ".join(f"{tick(k)} ({', '.join(v)})" if v else tick(k) for k, v in kinds)


def _input_citations(app: Fact, inputs: list[UiInput]) -> list[Citation]:
    span = app.source.span
    out: dict[int, Citation] = {}
    for entry in inputs:
        line, quote = entry.line, entry.quote
        if not quote or span.start_line <= line <= span.end_line or line in out:
            continue
        out[line] = Citation(path=app.source.path, start_line=line, end_line=line, quote=clean(quote, QUOTE_LIMIT))
        if len(out) >= MAX_INPUT_CITES:
            break
    return list(out.values())


def _when(fact: Fact) -> str:
    return str(fact.detail_as(ScheduleDetail).cron or fact.detail_as(ScheduleDetail).every or "")


def schedule_interfaces(book: FactBook) -> list[Interface]:
    """One ``schedule`` item per job and schedule, e.g. "Runs `nightly_forecast` on cron
    `30 2 * * *` (Europe/Berlin), by Prefect."."""
    groups: dict[tuple[str, str | None], list[Fact]] = {}
    for fact in book.facts(FactKind.SCHEDULE):
        if _when(fact):
            groups.setdefault((_when(fact), fact.detail_as(ScheduleDetail).target or None), []).append(fact)
    # A schedule stated without what it runs (a README's "cron `0 3 * * *`") is the job that
    # runs on it, when exactly one job does.
    for (when, target), facts in list(groups.items()):
        if target is not None:
            continue
        owners = [key for key in groups if key[0] == when and key[1] is not None]
        if len(owners) == 1:
            groups[owners[0]].extend(facts)
            del groups[(when, target)]
    items = []
    for (when, target), facts in groups.items():
        first = facts[0]
        timezone = next(
            (f.detail_as(ScheduleDetail).timezone for f in facts if f.detail_as(ScheduleDetail).timezone), None
        )
        scheduler = next(
            (
                SCHEDULER_WORDS[str(f.detail_as(ScheduleDetail).scheduler)]
                for f in facts
                if f.detail_as(ScheduleDetail).scheduler in SCHEDULER_WORDS
            ),
            None,
        )
        how = "cron" if first.detail_as(ScheduleDetail).cron else "schedule"
        runs = f"Runs {tick(clean(target, TARGET_CHARS))}" if target else "Runs"
        zone = f" ({timezone})" if timezone else ""
        by = f", by {scheduler}" if scheduler else ""
        summary = f"{runs} on {how} {tick(when)}{zone}{by}."
        items.append(
            Interface(
                id=book.id("IF"),
                kind="schedule",
                name=clean(target, TARGET_CHARS) if target else when,
                summary=summary,
                sources=cites(facts, 3),
            )
        )
    return items
