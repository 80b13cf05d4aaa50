"""Risks and the open questions the notes and TODOs raise."""

from __future__ import annotations

import re
from collections import defaultdict

from specagent.ingest.details import EnvVarDetail, ErrorOutputDetail, NoteLineDetail, SecretDetail, TodoDetail
from specagent.ingest.models import Fact, FactKind
from specagent.ingest.secret_redaction import REDACTED
from specagent.pipeline.offline.book import FactBook
from specagent.pipeline.offline.common import (
    cite,
    cites,
    clean,
    is_team_note,
    tick,
)
from specagent.spec.model import (
    OpenQuestion,
    Risk,
)

#: Comment tags that mark a known defect (a risk); other tags (TODO, NOTE) are open questions.
RISK_TAGS = frozenset({"FIXME", "HACK", "XXX", "BUG"})
#: A known problem's lead: "**PII goes to OpenAI.** Bodies contain ..." or "Lost tickets: ...".
_BOLD_LEAD = re.compile(r"^\s*(?:\*\*|__)(?P<lead>.+?)(?:\*\*|__)\s*(?P<sep>[:.\-–—]?)\s*(?P<rest>.*)$", re.S)
_COLON_LEAD = re.compile(r"^(?P<lead>[^:.`]{3,60}):\s+(?P<rest>\S.*)$", re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*(])")
#: Characters of a known problem's explanation kept in the risk's detail.
DETAIL_MAX = 240


def known_problem(text: str) -> tuple[str, str | None]:
    """(title, detail) of a problem the notes list: the bold lead or first sentence is the
    title; what follows, cut at a sentence end near :data:`DETAIL_MAX` characters, the detail."""
    text = clean(text, 2000)
    bold = _BOLD_LEAD.match(text)
    # "**Confidence is self-reported** by the model, ...": the bold words start a sentence.
    if bold and not bold["sep"] and not bold["lead"].endswith(".") and bold["rest"][:1].islower():
        text, bold = re.sub(r"\*\*|__", "", text), None
    if bold:
        title, rest = bold["lead"].strip().rstrip(".:"), bold["rest"].strip()
    elif (colon := _COLON_LEAD.match(text)) is not None:
        title, rest = colon["lead"].strip(), colon["rest"].strip()
    else:
        parts = _SENTENCE_END.split(text, maxsplit=1)
        title, rest = parts[0].rstrip("."), parts[1] if len(parts) > 1 else ""
    if len(rest) > DETAIL_MAX:
        sentences = _SENTENCE_END.split(rest)
        kept = sentences[0]
        for sentence in sentences[1:]:
            if len(kept) + 1 + len(sentence) > DETAIL_MAX:
                break
            kept = f"{kept} {sentence}"
        rest = clean(kept, DETAIL_MAX)
    return clean(title, 160), rest or None


def risks(book: FactBook) -> list[Risk]:
    """What could go wrong in production, each from what the prototype shows: committed secrets,
    failing notebook cells, defect tags, the known problems the notes list, secrets with
    hard-coded defaults, machine paths, undeclared packages and a missing test suite."""
    return [
        *_committed_secret_risks(book),
        *_failing_cell_risks(book),
        *_defect_tag_risks(book),
        *_known_problem_risks(book),
        *_secret_default_risks(book),
        *_machine_path_risks(book),
        *_undeclared_package_risks(book),
        *_missing_test_risks(book),
    ]


def _committed_secret_risks(book: FactBook) -> list[Risk]:
    """One risk per secret found in the code: the same key pasted in three files is one key to rotate."""
    by_secret: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for secret in book.facts(FactKind.SECRET):
        kind = str(secret.detail_as(SecretDetail).secret_type)
        by_secret[(str(secret.detail_as(SecretDetail).variable or kind), kind)].append(secret)
    items = []
    for (name, kind), found in by_secret.items():
        label = tick(name) if name != kind else kind
        paths = list(dict.fromkeys(f.source.path for f in found))
        where = ", ".join(map(tick, paths[:3])) + (f" and {len(paths) - 3} more files" if len(paths) > 3 else "")
        items.append(
            Risk(
                id=book.id("RK"),
                title=f"Hard-coded secret {label} ({kind}) committed in {where}",
                likelihood="high",
                impact="high",
                mitigation="Revoke and rotate it, purge it from history, read it from a secret store.",
                sources=cites(found, 3),
            )
        )
    return items


def _failing_cell_risks(book: FactBook) -> list[Risk]:
    """One risk per notebook cell whose saved output is an error."""
    items = []
    for err in book.facts(FactKind.ERROR_OUTPUT):
        d = err.detail_as(ErrorOutputDetail)
        items.append(
            Risk(
                id=book.id("RK"),
                title=f"{tick(cite(err).label())} fails with {tick(d.ename)}",
                detail=clean(d.evalue or "", 200) or None,
                likelihood="high",
                impact="medium",
                mitigation="Fix the cell and re-run the notebook top to bottom before quoting its numbers.",
                sources=[cite(err)],
            )
        )
    return items


def _defect_tag_risks(book: FactBook) -> list[Risk]:
    """One risk per comment tagged as a known defect (:data:`RISK_TAGS`)."""
    items = []
    for todo in book.facts(FactKind.TODO):
        if str(todo.detail_as(TodoDetail).tag).upper() not in RISK_TAGS:
            continue
        items.append(
            Risk(
                id=book.id("RK"),
                title=f"{todo.detail_as(TodoDetail).tag}: {clean(todo.detail_as(TodoDetail).text or todo.name, 200)}",
                likelihood="medium",
                impact="medium",
                sources=[cite(todo)],
            )
        )
    return items


def _known_problem_risks(book: FactBook) -> list[Risk]:
    """One risk per problem the team's own notes list as known."""
    items = []
    for line in book.facts(FactKind.NOTE_LINE):
        # Each has happened already, so likely; how bad it is the notes rarely say.
        if line.detail_as(NoteLineDetail).cue != "risk" or not is_team_note(line.source.path, None):
            continue
        title, detail = known_problem(str(line.detail_as(NoteLineDetail).text or line.name))
        items.append(
            Risk(
                id=book.id("RK"),
                title=title,
                detail=detail,
                likelihood="high",
                impact="medium",
                sources=[cite(line)],
            )
        )
    return items


def _secret_default_risks(book: FactBook) -> list[Risk]:
    """One risk per secret environment variable that Python code reads with a hard-coded default."""
    items = []
    for var in book.facts(FactKind.ENV_VAR):
        default = var.detail_as(EnvVarDetail).default
        if var.detail_as(EnvVarDetail).is_secret and default not in (None, "") and var.source.path.endswith(".py"):
            items.append(
                Risk(
                    id=book.id("RK"),
                    title=f"Secret {tick(var.name)} falls back to a hard-coded default when unset"
                    + ("" if REDACTED in str(default) else f" ({tick(default)})"),
                    detail="A deployment that forgets the variable runs with a value anyone can read in the code.",
                    likelihood="medium",
                    impact="high",
                    mitigation="Fail at start-up when the secret is missing.",
                    sources=[cite(var)],
                )
            )
    return items


def _machine_path_risks(book: FactBook) -> list[Risk]:
    """One risk per absolute path of the author's machine, citing where it is written."""
    by_path: dict[str, list[Fact]] = defaultdict(list)
    for hardcoded in book.facts(FactKind.HARDCODED_PATH):
        by_path[hardcoded.name].append(hardcoded)
    return [
        Risk(
            id=book.id("RK"),
            title=f"Hard-coded absolute path {tick(machine_path)}",
            detail="Runs only on the machine it was written on.",
            likelihood="high",
            impact="medium",
            mitigation="Make the path a setting or a CLI option.",
            sources=cites(places, 3),
        )
        for machine_path, places in sorted(by_path.items())
    ]


def _undeclared_package_risks(book: FactBook) -> list[Risk]:
    """The packages the dependencies section found imported but declared nowhere, as one risk."""
    undeclared = book.undeclared
    if not undeclared:
        return []
    return [
        Risk(
            id=book.id("RK"),
            title=f"Undeclared dependencies: {', '.join(map(tick, list(undeclared)[:8]))}",
            detail="Imported by the code but pinned nowhere; a fresh install may break.",
            likelihood="medium",
            impact="medium",
            mitigation="Declare and pin them.",
            sources=cites([imports[0] for imports in undeclared.values()], 3),
        )
    ]


def _missing_test_risks(book: FactBook) -> list[Risk]:
    """A risk when there is Python code and no test at all."""
    code_files = {f.source.path for kind in book.by_kind for f in book.by_kind[kind] if f.source.path.endswith(".py")}
    if not code_files or book.facts(FactKind.TEST):
        return []
    return [
        Risk(
            id=book.id("RK"),
            title="No automated tests: no test_*.py file or tests folder was found",
            detail="Behaviour can change unnoticed while the prototype is productionised.",
            likelihood="high",
            impact="high",
            mitigation="Write tests for the interfaces above before refactoring.",
            provenance="inferred",
            sources=[],
        )
    ]


def _is_bare(text: str) -> bool:
    """A TODO or idea with under two words of its own ("TODO", "TODO: investigate") asks nothing."""
    words = re.findall(r"[A-Za-z][\w'-]*", re.sub(r"^\W*(?:TODO|FIXME|NOTE|idea)\b\W*", "", text, flags=re.IGNORECASE))
    return len(words) < 2


def open_questions_from_notes(book: FactBook) -> None:
    for todo in book.facts(FactKind.TODO):
        if str(todo.detail_as(TodoDetail).tag).upper() in RISK_TAGS:
            continue
        text = clean(todo.detail_as(TodoDetail).text or todo.name)
        if _is_bare(text):
            continue
        book.questions.append(
            OpenQuestion(
                id=book.id("OQ"),
                provenance="decision",
                question=text if text.upper().startswith("TODO") else f"TODO: {text}",
                sources=[cite(todo)],
            )
        )
    for line in book.facts(FactKind.NOTE_LINE):
        cue = line.detail_as(NoteLineDetail).cue
        # Prompt templates and knowledge-base content ask questions of the model, not of the team.
        if cue not in {"question", "idea", "todo"} or not is_team_note(line.source.path, None):
            continue
        text = clean(line.detail_as(NoteLineDetail).text or line.name)
        if _is_bare(text):
            continue
        book.questions.append(
            OpenQuestion(
                id=book.id("OQ"),
                provenance="decision",
                question=text,
                why="an idea in the notes: adopt it or drop it" if cue == "idea" else None,
                sources=[cite(line)],
            )
        )
