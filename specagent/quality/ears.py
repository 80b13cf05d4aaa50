"""EARS (Easy Approach to Requirements Syntax, Mavin et al.) pattern recognition.

- ubiquitous:   The <system> shall <response>.
- event:        When <trigger>, the <system> shall <response>.
- state:        While <state>, the <system> shall <response>.
- unwanted:     If <condition>, then the <system> shall <response>. ("then" may be left out:
                writers outside EARS drop it, and the comma already closes the condition.)
- optional:     Where <feature>, the <system> shall <response>.
- complex:      two or more of the preconditions above, in that order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEYWORD = {"when": "event", "while": "state", "if": "unwanted", "where": "optional"}
# Main clause: an optional article, a subject of one to six words, one "shall", a response.
_MAIN = re.compile(
    r"^(?:the |a |an )?(?P<system>[\w`./'-]+(?: [\w`./'-]+){0,5}?) shall (?:not )?(?P<response>\S.*)$",
    re.IGNORECASE,
)
_PRE = re.compile(r"^(?P<kw>when|while|if|where)\b(?P<body>[^,]+),\s*", re.IGNORECASE)
# A precondition's keyword opening the text, whether or not a comma closes it.
_OPENS_PRE = re.compile(r"^(when|while|if|where)\b", re.IGNORECASE)
_SHALL = re.compile(r"\bshall\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class EarsResult:
    """The pattern a statement follows, or why it follows none."""

    pattern: str | None  # ubiquitous | event | state | unwanted | optional | complex
    problem: str | None = None


def classify(statement: str) -> EarsResult:
    """Which EARS pattern ``statement`` follows (``pattern`` None with a ``problem`` if none)."""
    text = " ".join(statement.strip().rstrip(".").split())
    if not text:
        return EarsResult(None, "empty statement")
    shalls = len(_SHALL.findall(text))
    if shalls == 0:
        return EarsResult(None, "no 'shall' (EARS states the system's response with 'shall')")
    if shalls > 1:
        return EarsResult(None, "more than one 'shall' (one requirement per statement)")
    kinds: list[str] = []
    rest = text
    while True:
        m = _PRE.match(rest)
        if not m:
            break
        kind = _KEYWORD[m["kw"].lower()]
        rest = rest[m.end() :]
        if kind == "unwanted" and rest.lower().startswith("then "):
            rest = rest[5:]
        kinds.append(kind)
    if _OPENS_PRE.match(rest):
        return EarsResult(None, "precondition not closed by a comma")
    if not _MAIN.match(rest):
        return EarsResult(None, "main clause is not '<system> shall <response>'")
    if not kinds:
        return EarsResult("ubiquitous")
    if len(kinds) == 1:
        return EarsResult(kinds[0])
    return EarsResult("complex")


# Modal verbs a writer uses where EARS says "shall"; "can" is left alone: it states a capability,
# not an obligation, and rewriting it would change what the sentence promises.
_MODAL = re.compile(r"\b(?:must|should|will)(?: be able to)?\b", re.IGNORECASE)
# The subject of the main clause: an article and at most five words right before "shall".
_SUBJECT = re.compile(r"(?:the|a|an) [\w`./'-]+(?: [\w`./'-]+){0,4}? shall\b", re.IGNORECASE)
_ARTICLE = re.compile(r"\s(?=(?:the|a|an)\s)", re.IGNORECASE)


def normalize(statement: str) -> str:
    """``statement`` rewritten into an EARS pattern where the rewrite is mechanical and keeps its
    meaning (one "must"/"should"/"will" [be able to] becomes "shall"; a comma closes a "When ..."
    precondition before "the <system> shall"), else ``statement`` unchanged."""
    if classify(statement).pattern is not None:
        return statement
    text = " ".join(statement.split())
    if not _SHALL.search(text):
        modals = _MODAL.findall(text)
        if len(modals) != 1:
            return statement
        text = _MODAL.sub("shall", text, count=1)
    if _PRE.match(text) is None and _OPENS_PRE.match(text):
        # The last article from which a short subject runs to "shall" starts the main clause.
        starts = [m.end() for m in _ARTICLE.finditer(text) if _SUBJECT.match(text, m.end())]
        if starts:
            at = starts[-1]
            text = f"{text[:at].rstrip()}, {text[at:]}"
    return text if classify(text).pattern is not None else statement
