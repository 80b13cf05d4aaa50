"""The cues of notes: what a bullet, sentence or heading says it is (a goal, a must, a question...).

A line's own words give its cue ("must", "TODO:", "As a ... I want", a question mark); a heading
such as "Goals" or "Known problems" gives one to the bullets under it.
"""

from __future__ import annotations

import re

__all__ = ["CUE_LINE_START", "cue_of", "section_cue"]

_CUE_USER_STORY = re.compile(r"\bas an? \w[^,.;]*?,?\s+I\s+(?:want|need|would like|can)\b", re.I)
_CUE_USER_LINE = re.compile(
    r"^(?:who (?:uses|runs|is) (?:it|this)(?: for)?|users?|audience|personas?|target users?)\s*:", re.I
)
# Markup a cue word may sit behind at the start of a line: emphasis, code, quote, a bracket.
_LEAD_MARKUP = r"^[\s>*_`~(\[]*"
# TODO / FIXME only when the line, bullet or sentence starts with it: "see the FIXME in x.py"
# or a table cell mentioning TODO is prose about a TODO, not one.
_CUE_TODO = re.compile(_LEAD_MARKUP + r"(?:(?:TODO|FIXME)\b|todo\b\s*:?)")
_CUE_QUESTION_START = re.compile(r"^(?:Q\s*:|open question\b|question\s*:)", re.I)
_CUE_MUST = re.compile(r"\b(?:must|shall)\b", re.I)
_CUE_SHOULD = re.compile(r"\bshould\b", re.I)
_CUE_NEED = re.compile(r"\bneeds?\s+to\b|^need\b|\bwe need\b", re.I)
# "Idea: ..." / "Idea - ..." at the start; "the idea: classify reviews" is a description.
_CUE_IDEA = re.compile(_LEAD_MARKUP + r"ideas?\b[*_`]*\s*(?::|[-–—]\s)", re.I)
# A line that starts its own cue ends the paragraph above it ("...\nTODO: x\nTODO: y").
CUE_LINE_START = re.compile(_LEAD_MARKUP + r"(?:(?:TODO|FIXME)\b|ideas?\s*[:\-–—]|Q\s*:|question\s*:)", re.I)

# Headings whose bullets take the heading's cue, when the heading starts with the words
# ("Goals", "Non-goals", "Target users", "Open questions"), not when it merely has one
# ("Churn prediction for users"). Non-goals are checked before goals.
_HEADING_LEAD = r"^(?:\d+(?:\.\d+)*[.)]?\s+)?(?:(?:our|the|target|primary|main|key)\s+)?"
# A user heading is only the words themselves (maybe "Users and personas", "Users:"), so that
# "User interface" or "Users table" is no audience.
_USER_HEADING_END = r"(?:\s*(?:$|[:?(&/,–—-]|and\b|\+))"
_SECTION_CUES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(_HEADING_LEAD + pattern, re.I), cue)
    for pattern, cue in (
        (r"(?:non[- ]?goals?|out of scope|not in scope|won'?t do)\b", "non-goal"),
        (r"(?:goals?|objectives?|aims?|what we want|success criteria)\b", "goal"),
        (
            r"(?:who (?:uses|runs|is using|needs) (?:it|this)|who is (?:it|this) for|who it is for|"
            r"users?|personas?|audiences?|user stories|stakeholders|customers|"
            r"target (?:users?|audiences?))" + _USER_HEADING_END,
            "user",
        ),
        # Not a bare "Problem": a README's "## Problem" states what the product solves.
        (
            r"(?:known (?:problems?|issues?|bugs?|limitations?|gaps?)|limitations?|risks?|caveats?|"
            r"gotchas?|pitfalls?|rough edges|weak(?:nesses|\s+spots?)|"
            r"what (?:doesn'?t|does not|didn'?t|did not) work)(?![\w-])",
            "risk",
        ),
        (r"(?:open questions?|questions|unknowns|to decide)\b", "question"),
        (r"(?:todos?|to ?do|next steps|backlog|tasks)\b", "todo"),
        (r"(?:requirements?|must[- ]haves?)\b", "must"),
        (r"(?:ideas?|nice to haves?|wishlist|future work|stretch goals?)\b", "idea"),
    )
)
# These heading cues beat whatever a bullet or sentence says; the others only fill in when a
# bullet says nothing.
_STRONG_SECTION_CUES = frozenset({"goal", "non-goal", "user", "risk"})
_QUESTION_MARK = re.compile(r"\?(?:[\s*_)`\"']|$)")


def section_cue(heading: str) -> str | None:
    """The cue a heading gives the bullets under it ("Goals" -> goal), or None."""
    for pattern, cue in _SECTION_CUES:
        if pattern.search(heading):
            return cue
    return None


def cue_of(text: str, section_cue: str | None, is_bullet: bool) -> str | None:
    """The one cue of a bullet or sentence: strong heading cues, the text's own, then weak.

    Under a Goals / Non-goals / Users heading every bullet takes the heading's cue; a sentence
    there does too unless it is plainly a TODO or a question.
    """
    if is_bullet and section_cue in _STRONG_SECTION_CUES:
        return section_cue
    if _CUE_USER_STORY.search(text) or _CUE_USER_LINE.match(text):
        return "user"
    if _CUE_TODO.match(text):
        return "todo"
    bare = text.rstrip(" *_)`\"'")
    if bare.endswith("?") or _CUE_QUESTION_START.match(text) or (is_bullet and _QUESTION_MARK.search(text)):
        return "question"
    if section_cue in _STRONG_SECTION_CUES:
        # "The desk wants:" introduces the list below it; it is not a goal or user itself.
        return None if text.rstrip(" *_").endswith(":") else section_cue
    if _CUE_MUST.search(text):
        return "must"
    if _CUE_SHOULD.search(text):
        return "should"
    if _CUE_NEED.search(text):
        return "need"
    if _CUE_IDEA.match(text):
        return "idea"
    return section_cue if is_bullet else None
