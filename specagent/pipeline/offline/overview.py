"""Overview, user stories and requirements: what the notes and tests say the system is for."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath

from specagent.ingest.details import NoteLineDetail, NoteSectionDetail, TestDetail
from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_common import module_name
from specagent.pipeline.offline.book import FactBook
from specagent.pipeline.offline.common import (
    NFR_WORDS,
    PROBLEM_HEADINGS,
    STORY_RE,
    cite,
    cites,
    clean,
    is_team_note,
    states_goal,
    states_requirement,
    tick,
)
from specagent.spec.model import (
    Goal,
    NonGoal,
    Overview,
    Problem,
    Requirement,
    UserGroup,
    UserStory,
)

#: Sections that say something else than the problem (their bullets feed goals, users, ...).
NOT_PROBLEM_HEADINGS = re.compile(
    r"\b(goals?|non-goals?|objectives?|users?|who (uses|runs)|audience|personas?|install\w*|usage|setup|"
    r"quick ?start|requirements?|todo|open questions?|ideas?|license|contributing|changelog|datasets?|"
    r"data sources?|references?|citations?|cite|credits?|acknowledg\w*|sponsors?|star history|contact|authors?)\b",
    re.IGNORECASE,
)


# Words that say what a product does for someone; a paragraph with one states a purpose, where
# a tagline of tools ("built with Django and TensorFlow") does not.
PURPOSE_WORDS = re.compile(
    r"\b(?:predict\w*|classif\w*|detect\w*|summari[sz]\w*|answer\w*|generat\w*|helps?|lets?|allows?|"
    r"enabl\w*|analy[sz]\w*|transcrib\w*|translat\w*|recommend\w*|extract\w*|search\w*|chat\w*|"
    r"forecast\w*|convert\w*|turns?|find\w*|identif\w*|estimat\w*|automat\w*|assist\w*|users?|customers?|"
    r"train\w*|fine-?tun\w*)\b",
    re.IGNORECASE,
)


# Announcements and lines addressed to the reader open many READMEs; they state no purpose.
NOT_A_PURPOSE = re.compile(
    r"^[\W_]*(?:update|news|note|announcement|deprecat\w*|warning|important|disclaimer|you|please|"
    r"make sure)\b",
    re.IGNORECASE,
)


# "A project made using Django and TensorFlow": one short sentence naming the tools, not the need.
TOOL_TAGLINE = re.compile(
    r"^(?=(?:\S+\s+){0,14}\S+[.!]?$).*\b(?:using|built (?:with|on)|made (?:with|by using|using)|written in|"
    r"powered by|based on)\b",
    re.IGNORECASE,
)


def _problem(book: FactBook) -> Problem | None:
    """The first README paragraph that states a purpose (else its first prose paragraph), plus the
    problem/motivation section when there is one. None when the notes hold no prose."""
    sections = [
        f
        for f in book.facts(FactKind.NOTE_SECTION)
        if (f.detail_as(NoteSectionDetail).text or f.detail_as(NoteSectionDetail).list_text)
        and not NOT_PROBLEM_HEADINGS.search(str(f.detail_as(NoteSectionDetail).heading))
    ]
    team = [f for f in sections if is_team_note(f.source.path, f.source.span.cell)]
    team = team or [f for f in sections if f.source.span.cell is not None]
    if not team:
        return None

    def doc_rank(path: str) -> tuple[bool, int, str]:
        pure = PurePosixPath(path)
        return (pure.stem.lower() != "readme", len(pure.parts), path)

    best_doc = min((f.source.path for f in team), key=doc_rank)
    in_doc = [f for f in team if f.source.path == best_doc]
    # The opening paragraph states the purpose unless it is an announcement, an advert or a
    # tagline of tools; then the first paragraph of the first sections that says what it does.
    intro = [(in_doc[0], para) for para in in_doc[0].detail_as(NoteSectionDetail).paragraphs or []]
    candidates = [
        *((f, para) for f, para in intro if not NOT_A_PURPOSE.match(para) and not TOOL_TAGLINE.search(para)),
        *(
            (f, para)
            for f in in_doc[:4]
            for para in f.detail_as(NoteSectionDetail).paragraphs or []
            if PURPOSE_WORDS.search(para) and not NOT_A_PURPOSE.match(para)
        ),
    ]
    if candidates:
        opening, opening_text = candidates[0]
    else:  # no paragraph states a purpose: the opening prose, else the opening list ("notebooks for: ...")
        opening = in_doc[0]
        od = opening.detail_as(NoteSectionDetail)
        opening_text = str(od.text or f"{od.heading}: {od.list_text}")
    chosen = [opening]
    motivated = next((f for f in in_doc if PROBLEM_HEADINGS.search(str(f.detail_as(NoteSectionDetail).heading))), None)
    if motivated is not None and motivated is not opening:
        chosen.append(motivated)
    text = " ".join(clean(opening_text if f is opening else f.detail_as(NoteSectionDetail).text, 400) for f in chosen)
    text = re.sub(r"<[^>]+>", " ", text)  # inline HTML (<details>, <summary>) is layout, not words
    return Problem(text=clean(text, 700), provenance="inferred", sources=[cite(f) for f in chosen])


#: Asked when the notes leave a part of the overview empty (a model draft that fills it settles it).
PROBLEM_QUESTION = "What problem does the production version solve, and for whom?"
GOALS_QUESTION = "What are the measurable goals of the production version?"
USERS_QUESTION = "Who are the target users, and what does each need from the system?"
STORIES_QUESTION = "Which user stories must the first production release support?"
REQUIREMENTS_QUESTION = "Which requirements must the production version meet, and how will each be accepted?"


def overview(book: FactBook) -> Overview:
    problem = _problem(book)
    if problem is None:
        book.ask(
            PROBLEM_QUESTION,
            "No README or notes state the problem; the spec cannot invent it.",
        )
    lines = book.facts(FactKind.NOTE_LINE)
    goals = [
        Goal(
            id=book.id("G"),
            statement=clean(f.detail_as(NoteLineDetail).text),
            provenance="inferred",
            sources=[cite(f)],
        )
        for f in lines
        if f.detail_as(NoteLineDetail).cue == "goal" and states_goal(f.detail_as(NoteLineDetail).text or f.name)
    ]
    non_goals = [
        NonGoal(
            id=book.id("NG"),
            statement=clean(f.detail_as(NoteLineDetail).text),
            provenance="inferred",
            sources=[cite(f)],
        )
        for f in lines
        if f.detail_as(NoteLineDetail).cue == "non-goal" and states_goal(f.detail_as(NoteLineDetail).text or f.name)
    ]
    users = [
        UserGroup(
            id=book.id("U"),
            name=clean(f.detail_as(NoteLineDetail).text, 160),
            provenance="inferred",
            sources=[cite(f)],
        )
        for f in lines
        if f.detail_as(NoteLineDetail).cue == "user" and not STORY_RE.search(f.detail_as(NoteLineDetail).text)
    ]
    if not goals:
        book.ask(
            GOALS_QUESTION,
            "The notes state no goals; targets for the metrics below depend on them.",
        )
    if not users:
        book.ask(
            USERS_QUESTION,
            "No users or personas are named in the notes; user stories depend on them.",
        )
    return Overview(problem=problem, goals=goals, non_goals=non_goals, users=users)


def user_stories(book: FactBook) -> list[UserStory]:
    stories = []
    for fact in book.facts(FactKind.NOTE_LINE):
        match = STORY_RE.search(fact.detail_as(NoteLineDetail).text)
        if not match:
            continue
        stories.append(
            UserStory(
                id=book.id("US"),
                provenance="inferred",
                as_a=clean(match["who"], 120),
                i_want=clean(match["what"], 200),
                so_that=clean(match["why"], 200) if match["why"] else None,
                sources=[cite(fact)],
            )
        )
    if not stories:
        book.ask(
            STORIES_QUESTION,
            "The prototype's notes contain no user stories; acceptance criteria need them.",
        )
    return stories


def requirements(book: FactBook) -> list[Requirement]:
    reqs: list[Requirement] = []
    stated: set[str] = set()
    for fact in book.facts(FactKind.NOTE_LINE):
        cue = fact.detail_as(NoteLineDetail).cue
        if cue not in {"must", "should"} or not is_team_note(fact.source.path, fact.source.span.cell):
            continue
        text = clean(fact.detail_as(NoteLineDetail).text)
        if not states_requirement(text) or text.casefold() in stated:
            continue
        stated.add(text.casefold())
        nfr = bool(NFR_WORDS.search(text))
        reqs.append(
            Requirement(
                id=book.id("NFR" if nfr else "FR"),
                kind="non_functional" if nfr else "functional",
                statement=text,
                priority="should" if cue == "should" else "must",
                provenance="inferred",
                sources=[cite(fact)],
            )
        )
    by_target: dict[str, list[Fact]] = defaultdict(list)
    for test in book.facts(FactKind.TEST):
        target = test.detail_as(TestDetail).target or module_name(test.source.path)
        by_target[str(target)].append(test)
    for target, tests in sorted(by_target.items()):
        acceptance = []
        for t in tests[:8]:
            asserts = t.detail_as(TestDetail).asserts or []
            check = f": `{clean(asserts[0], 100)}`" if asserts else ""
            acceptance.append(f"{tick(t.name)}{check}")
        reqs.append(
            Requirement(
                id=book.id("FR"),
                statement=f"{tick(target)} shall keep the behaviour its prototype tests check "
                f"({len(tests)} test{'s' if len(tests) != 1 else ''}).",
                priority="must",
                provenance="observed",
                acceptance=acceptance,
                sources=cites(tests, 3),
            )
        )
    if not reqs:
        book.ask(
            REQUIREMENTS_QUESTION,
            "The prototype has no tests and its notes state no must/should lines.",
        )
    return reqs
