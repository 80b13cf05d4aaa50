"""Shared pieces of the offline drafter: text clean-up, citations, path rules, word lists.

Every item it writes comes from a fact and cites it. What facts cannot tell (targets, budgets,
users when the notes are silent) becomes an open question, never invented text. Output is
deterministic: the same facts give the same spec. IDs here are provisional and sequential;
:func:`specagent.spec.ids.assign_ids` makes them stable against an earlier draft.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from specagent.ingest.details import FileIoDetail
from specagent.ingest.models import Fact
from specagent.spec.model import Citation, distinct

#: Extensions that make a FILE_IO target a file path rather than an expression.
FILE_EXTENSIONS = frozenset(
    """csv tsv json jsonl ndjson parquet pkl pickle joblib yaml yml toml txt md npy npz xlsx xls
    h5 hdf5 onnx pt pth db sqlite sqlite3 log html feather arrow avro orc gz zip""".split()
)
LATENCY_WORDS = ("latency", "p50", "p90", "p95", "p99", "duration", "time", "seconds")
COST_WORDS = ("cost", "price", "$", "usd", "spend")
THROUGHPUT_WORDS = ("throughput", "rows/s", "req/s", "qps", "rps", "per second", "tokens/s")
MEMORY_WORDS = ("memory", "ram", "mb", "gb", "rss")
NFR_WORDS = re.compile(
    r"\b(latency|p9\d|ms|seconds?|cost|\$|throughput|rps|qps|uptime|availability|memory|"
    r"secure|privacy|gdpr|pii|scal\w+|concurren\w+)\b",
    re.IGNORECASE,
)
PROBLEM_HEADINGS = re.compile(
    r"\b(problem|overview|motivation|background|about|summary|purpose|context|why|what is this|introduction)\b", re.I
)
STORY_RE = re.compile(
    r"\bas an? (?P<who>.+?),? I (?:want|need|would like) (?:to )?(?P<what>.+?)"
    r"(?:,? so (?:that )?(?P<why>.+?))?[.]?$",
    re.IGNORECASE,
)
WHITESPACE = re.compile(r"\s+")
#: A citation quote only has to identify the lines; a prefix does that and keeps SPEC.md short.
QUOTE_LIMIT = 48


def clean(text: Any, limit: int = 300) -> str:
    """One line, trimmed: spec fields never carry raw newlines (keeps SPEC.md round-trips exact)."""
    value = WHITESPACE.sub(" ", str(text)).strip()
    if len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return value


def tick(name: Any) -> str:
    """An identifier in backticks (backticks inside are dropped)."""
    return f"`{str(name).replace('`', '')}`"


def cite(fact: Fact) -> Citation:
    """The citation of a fact: its path, span and quote."""
    span = fact.source.span
    quote = fact.source.quote
    return Citation(
        path=fact.source.path,
        start_line=span.start_line,
        end_line=max(span.end_line, span.start_line),
        cell=span.cell,
        quote=clean(quote, QUOTE_LIMIT) if quote else None,
    )


def cites(facts: Iterable[Fact], limit: int = 5) -> list[Citation]:
    return sorted(distinct(cite(fact) for fact in facts), key=lambda c: (c.path, c.cell or 0, c.start_line))[:limit]


def fact_order(fact: Fact) -> tuple[Any, ...]:
    span = fact.source.span
    return (fact.source.path, span.cell or 0, span.start_line, fact.kind.value, fact.name)


#: Folders whose text is the product's content (a knowledge base, prompts, fixtures), not the
#: team's notes about the product: a "must" there is data, not a requirement.
CONTENT_DIRS = frozenset(
    "data datasets dataset kb knowledge knowledge_base corpus docs_kb samples sample fixtures examples "
    "prompts templates assets static test tests testdata test_data".split()
)

# A line addressed to the reader ("You must log in", "Put the key in .env") or narrating ("I
# should ...") is an instruction or a story, not something the product must do.
_READER_SUBJECT = re.compile(
    r"\b(?:you|u|i|you'll|i'll)\s+(?:\w+\s+)?(?:must|should|shall|need\s+to|have\s+to)\b", re.IGNORECASE
)
_IMPERATIVE_START = re.compile(
    r"^[\W_]*(?:please|note|make sure|ensure you|remember|put|place|copy|move|run|install|set|create|add|"
    r"download|clone|open|log ?in|sign ?in|go to|navigate|click|edit|rename|replace|export|start|use|see|"
    r"check|visit|read|follow|don't|do not)\b",
    re.I,
)
# "`audio_format`: Format of the resulting files (must be mp3 or wav)": a field's definition.
_DEFINITION_START = re.compile(r"^[\W_]*`?[\w.\-/]+`?\s*(?::|—|–|\s-\s)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|https?://\S+")


def _words(prose: str) -> list[str]:
    return re.findall(r"[A-Za-z][\w'-]*", prose)


def states_requirement(text: str) -> bool:
    """Whether a notes line states something the product must do, in a sentence.

    Fragments, field definitions, link text, setup steps and lines addressed to the reader are
    not requirements, whatever modal verb they hold.
    """
    prose = _LINK.sub(lambda m: m.group(1) or "", text)
    if len(_words(prose)) < 5:
        return False
    return not (_READER_SUBJECT.search(prose) or _IMPERATIVE_START.match(prose) or _DEFINITION_START.match(prose))


def states_goal(text: str) -> bool:
    """Whether a goal or non-goal bullet says something: three words or more once links are
    reduced to their text ("FastAPI", "[Docs](https://...)" are names, not goals)."""
    return len(_words(_LINK.sub(lambda m: m.group(1) or "", text))) >= 3


def is_team_note(path: str, cell: int | None) -> bool:
    """Notes that state what the team wants: README, notes and docs, not content or notebooks."""
    pure = PurePosixPath(path)
    if cell is not None or pure.suffix == ".ipynb" or "prompt" in pure.name.lower():
        return False
    return not any(part.lower() in CONTENT_DIRS for part in pure.parts[:-1])


def norm_pkg(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# Import names whose distribution is called something else. The first is the usual one (named
# when nothing declares the import); any of them declares it, since builds of one library
# (headless, binary, contrib) install the same import name.
IMPORT_TO_DISTS: dict[str, tuple[str, ...]] = {
    "sklearn": ("scikit-learn",),
    "yaml": ("pyyaml",),
    "cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python", "opencv-contrib-python-headless"),
    "PIL": ("pillow", "pillow-simd"),
    "bs4": ("beautifulsoup4",),
    "dotenv": ("python-dotenv",),
    "jwt": ("pyjwt",),
    "dateutil": ("python-dateutil",),
    "attr": ("attrs",),
    "Crypto": ("pycryptodome",),
    "skimage": ("scikit-image",),
    "google": ("google-api-core",),
    "psycopg2": ("psycopg2", "psycopg2-binary"),
    "multipart": ("python-multipart",),
}


def import_dists(module: str) -> tuple[str, ...]:
    """The distributions that provide top-level import ``module`` (the first is the usual one)."""
    return IMPORT_TO_DISTS.get(module, (module,))


CONSTRAINT_WORDS = {
    "primary_key": "primary key",
    "unique": "unique",
    "index": "indexed",
    "ge": ">=",
    "gt": ">",
    "le": "<=",
    "lt": "<",
    "max_length": "max length",
    "min_length": "min length",
    "foreign_key": "references",
    "sql_type": "SQL",
    "server_default": "server default",
    "onupdate": "on update",
    "pattern": "pattern",
    "regex": "pattern",
    "multiple_of": "multiple of",
}


def constraint_text(value: Any) -> str:
    """Field constraints as a reader wants them: ``primary key; references `items.id```."""
    if not value:
        return ""
    if not isinstance(value, dict):
        return str(value)
    parts = []
    for key, raw in value.items():
        if key == "nullable":
            if raw is False:
                parts.append("not null")
            continue
        if key == "sql_type" and "(" not in str(raw):
            continue  # `Integer` says no more than the field's type
        word = CONSTRAINT_WORDS.get(key, key.replace("_", " "))
        if raw is True:
            parts.append(word)
        elif raw is not None and raw is not False and raw != "":  # 0 is a real bound (ge=0)
            shown = (
                tick(raw)
                if key in {"foreign_key", "sql_type", "server_default", "onupdate", "pattern", "regex"}
                else str(raw)
            )
            parts.append(f"{word} {shown}")
    return "; ".join(parts)


class IdCounter:
    """Provisional sequential IDs per prefix."""

    def __init__(self) -> None:
        self._next: dict[str, int] = defaultdict(int)

    def __call__(self, prefix: str) -> str:
        self._next[prefix] += 1
        return f"{prefix}-{self._next[prefix]:03d}"


def file_target(io: Fact) -> str:
    """The file a FILE_IO fact reads or writes, as the repository names it.

    A notebook runs in its own folder, so its relative paths are resolved from there.
    """
    target = str(io.detail_as(FileIoDetail).target or io.name).strip("'\"")
    if io.source.path.endswith(".ipynb") and target.startswith(("./", "../")):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(io.source.path), target))
    return target.removeprefix("./")
