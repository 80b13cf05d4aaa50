"""Ingest a prototype: walk, read safely, redact secrets, parse each file into facts and chunks."""

from __future__ import annotations

import gc
import hashlib
import json
import re
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from specagent.config import Settings
from specagent.errors import InputPathError
from specagent.events import (
    EventSink,
    StageFinished,
    StageProgress,
    StageStarted,
    Warned,
    null_sink,
)
from specagent.ingest.models import (
    Chunk,
    ChunkKind,
    Fact,
    FactKind,
    FileKind,
    IngestWarning,
    ParseResult,
    SourceFile,
    SourceRef,
    Span,
    make_chunk_id,
)
from specagent.ingest.reading import decode, looks_binary, read_head_lines
from specagent.ingest.walk import SAMPLABLE_SUFFIXES, Found, WalkReport, walk

#: Lines per chunk for files no parser understands (and for Python that does not parse).
TEXT_WINDOW = 60


class Ingested(BaseModel):
    """Everything ingest learned about a prototype."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    root: Path
    files: list[SourceFile] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    chunks: list[Chunk] = Field(default_factory=list)
    warnings: list[IngestWarning] = Field(default_factory=list)
    #: Redacted text of every file read, by relative path (what citations are checked against).
    texts: dict[str, str] = Field(default_factory=dict, exclude=True, repr=False)
    quiet_skips: int = 0

    @property
    def lines(self) -> int:
        """Lines of text read across all files."""
        return sum(text.count("\n") + (0 if text.endswith("\n") else 1) for text in self.texts.values() if text)

    @property
    def fingerprint(self) -> str:
        """sha256 over the files' paths and hashes: equal inputs, equal fingerprint."""
        digest = hashlib.sha256()
        for f in sorted(self.files, key=lambda f: f.path):
            digest.update(f"{f.path}\0{f.sha256}\n".encode())
        return digest.hexdigest()


def text_chunks(path: str, text: str, kind: ChunkKind = ChunkKind.TEXT) -> list[Chunk]:
    """Fixed windows of lines: the fallback chunking for anything without structure."""
    lines = text.split("\n")
    chunks = []
    for start in range(0, len(lines), TEXT_WINDOW):
        window = lines[start : start + TEXT_WINDOW]
        body = "\n".join(window).strip()
        if not body:
            continue
        span = Span(start_line=start + 1, end_line=start + len(window))
        chunks.append(Chunk(id=make_chunk_id(path, span, body), path=path, span=span, kind=kind, text=body))
    return chunks


def _parse_other(path: str, text: str) -> ParseResult:
    return ParseResult(chunks=text_chunks(path, text))


def _parse_text(path: str, text: str) -> ParseResult:
    """Files no parser claims: text chunks, plus the tables a ``.sql`` file creates."""
    result = _parse_other(path, text)
    if path.lower().endswith(".sql"):
        from specagent.ingest.sql_schema import parse_sql

        result.facts.extend(parse_sql(path, text))
    return result


def _parser_for(kind: FileKind, sampled: bool) -> Callable[[str, str], ParseResult]:
    # Imported here so a broken optional parser cannot stop the others from loading.
    if kind is FileKind.PYTHON:
        from specagent.ingest.python_parser import parse_python

        return parse_python
    if kind is FileKind.NOTEBOOK:
        from specagent.ingest.notebook import parse_notebook

        return parse_notebook
    if kind is FileKind.NOTES:
        from specagent.ingest.notes import parse_notes

        return parse_notes
    if kind is FileKind.CONFIG:
        from specagent.ingest.config import parse_config

        return parse_config
    if kind is FileKind.DATA:
        from specagent.ingest.data_files import parse_data

        return lambda path, text: parse_data(path, text, sampled)
    return _parse_text


#: String literals naming a path on one person's machine: the code runs only there.
MACHINE_PATH_RE = re.compile(
    r"""(?P<q>["'])(?P<path>(?:/Users/|/home/|/mnt/|/media/|/Volumes/|~/|[A-Za-z]:\\\\)[^"'\n]{2,200})(?P=q)"""
)


def _lines_to_scan(path: str, text: str) -> list[tuple[int | None, list[str]]]:
    """(cell, lines) pairs: a notebook's code cells one by one, any other file whole."""
    if not path.endswith(".ipynb"):
        return [(None, text.split("\n"))]
    try:
        cells = json.loads(text).get("cells") or []
    except (ValueError, AttributeError):
        return []
    out: list[tuple[int | None, list[str]]] = []
    for number, cell in enumerate(cells, start=1):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source") or ""
            out.append((number, ("".join(source) if isinstance(source, list) else str(source)).split("\n")))
    return out


def _machine_path_facts(path: str, text: str) -> list[Fact]:
    facts = []
    for cell, lines in _lines_to_scan(path, text):
        for number, line in enumerate(lines, start=1):
            for match in MACHINE_PATH_RE.finditer(line):
                facts.append(
                    Fact(
                        kind=FactKind.HARDCODED_PATH,
                        name=match["path"],
                        detail={"path": match["path"]},
                        source=SourceRef(
                            path=path, span=Span(start_line=number, end_line=number, cell=cell), quote=match["path"]
                        ),
                    )
                )
    return facts


def _secret_facts(path: str, text: str, findings: list[Any]) -> list[Fact]:
    """A SECRET fact per redacted finding; in a notebook it cites the cell, not the JSON line."""
    facts = []
    for finding in findings:
        name = finding.variable or finding.secret_type
        span = Span(start_line=finding.line, end_line=finding.line)
        if path.endswith(".ipynb"):
            from specagent.ingest.notebook_cells import cell_position
            from specagent.ingest.secret_redaction import REDACTED

            if (where := cell_position(text, finding.line, hint=REDACTED)) is not None:
                span = Span(start_line=where[1], end_line=where[1], cell=where[0])
        facts.append(
            Fact(
                kind=FactKind.SECRET,
                name=name,
                detail={
                    "secret_type": finding.secret_type,
                    "variable": finding.variable,
                    "hard_coded": True,
                },
                source=SourceRef(path=path, span=span),
            )
        )
    return facts


def _read(found: Found, settings: Settings, result: Ingested) -> tuple[str, bool] | None:
    """Text of a file (sampled when large and samplable), or None when it must be skipped."""
    suffix = found.path.suffix.lower()
    sampled = False
    try:
        if found.size > settings.max_file_bytes:
            if suffix not in SAMPLABLE_SUFFIXES:
                result.warnings.append(
                    IngestWarning(
                        path=found.rel,
                        message=f"{found.size / 2**20:.1f} MiB is over the "
                        f"{settings.max_file_bytes / 2**20:.0f} MiB limit; skipped",
                    )
                )
                return None
            data = read_head_lines(found.path, settings.sample_rows + 1, 256 * 1024)
            sampled = True
        else:
            data = found.path.read_bytes()
    except OSError as exc:
        result.warnings.append(IngestWarning(path=found.rel, message=f"unreadable: {exc.strerror or exc}"))
        return None
    if looks_binary(data):
        result.warnings.append(IngestWarning(path=found.rel, message="binary content; skipped"))
        return None
    decoded = decode(data)
    if decoded.encoding == "latin-1":
        result.warnings.append(IngestWarning(path=found.rel, message="not UTF-8; read as latin-1"))
    return decoded.text, sampled


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many short-lived, acyclic objects.

    Ingest (and drafting) allocate hundreds of thousands of small objects (AST nodes, facts); with the collector
    on, its full passes grow with the heap and made a 100k-line draft take 2.3x the time of a 50k
    one. Reference counting still frees everything; one collection runs afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_root(root: Path) -> Path:
    """The prototype folder, resolved; a one-line InputPathError when it is missing or a file."""
    root = Path(root)
    if not root.exists():
        raise InputPathError(f"{root}: no such folder")
    if not root.is_dir():
        raise InputPathError(f"{root}: not a folder (give the prototype's folder)")
    return root.resolve()


def ingest(
    root: Path,
    *,
    settings: Settings | None = None,
    on_event: EventSink = null_sink,
    skip_dirs: list[Path] | None = None,
    only: Collection[str] | None = None,
) -> Ingested:
    """Walk ``root`` and parse every file it should read. Bad files become warnings, not errors.

    ``only`` (relative POSIX paths) restricts reading and parsing to those files: an incremental
    index run parses what changed, not the whole prototype.
    """
    with gc_paused():
        return _ingest(root, settings=settings, on_event=on_event, skip_dirs=skip_dirs, only=only)


def _ingest_file(item: Found, settings: Settings, result: Ingested) -> None:
    """Read, redact and parse one walked file into ``result``; a parser's failure is a warning."""
    from specagent.ingest.schedules import schedule_facts
    from specagent.ingest.secrets import redact

    read = _read(item, settings, result)
    if read is None:
        return
    raw_text, sampled = read
    redacted = redact(item.rel, raw_text)
    text = redacted.text
    result.texts[item.rel] = text
    result.files.append(
        SourceFile(
            path=item.rel,
            kind=item.kind,
            sha256=hashlib.sha256(raw_text.encode("utf-8", "surrogatepass")).hexdigest(),
            size=item.size,
            sampled=sampled,
        )
    )
    result.facts.extend(_secret_facts(item.rel, text, redacted.findings))
    if item.kind in (FileKind.PYTHON, FileKind.NOTEBOOK):
        result.facts.extend(_machine_path_facts(item.rel, text))
    try:
        parsed = _parser_for(item.kind, sampled)(item.rel, text)
    except Exception as exc:  # a parser bug must not cost the whole draft
        result.warnings.append(
            IngestWarning(
                path=item.rel,
                message=f"could not parse ({type(exc).__name__}: {exc}); indexed as text",
            )
        )
        parsed = _parse_other(item.rel, text)
    result.facts.extend(parsed.facts)
    if item.kind not in (FileKind.PYTHON, FileKind.NOTEBOOK):  # Python finds its own, by AST
        try:
            result.facts.extend(schedule_facts(item.rel, text))
        except Exception as exc:  # a schedule-reader bug must cost this file's schedules only
            result.warnings.append(
                IngestWarning(path=item.rel, message=f"could not read schedules ({type(exc).__name__}: {exc})")
            )
    result.chunks.extend(parsed.chunks)
    result.warnings.extend(parsed.warnings)


def _ingest(
    root: Path,
    *,
    settings: Settings | None,
    on_event: EventSink,
    skip_dirs: list[Path] | None,
    only: Collection[str] | None,
) -> Ingested:
    settings = settings or Settings()
    root = check_root(root)
    started = time.perf_counter()
    report = WalkReport()
    found = list(walk(root, exclude=settings.exclude, skip_dirs=skip_dirs, report=report))
    if only is not None:
        wanted = set(only)
        found = [f for f in found if f.rel in wanted]
    result = Ingested(root=root, quiet_skips=report.quiet_skips)
    result.warnings.extend(IngestWarning(path=rel, message=msg) for rel, msg in report.warnings)
    on_event(StageStarted("ingest", total=len(found)))
    for done, item in enumerate(found, start=1):
        on_event(StageProgress("ingest", done, len(found), item.rel))
        _ingest_file(item, settings, result)
    # Tests name the URLs they request; point them at the route templates found repo-wide.
    from specagent.ingest.python_django_routes import link_django_routes
    from specagent.ingest.python_tests import link_test_targets

    # Django routes span files: urls.py include() prefixes, routers, and the views' methods.
    for link, what in ((link_django_routes, "Django routes across files"), (link_test_targets, "tests to routes")):
        try:
            result.facts = link(result.facts)
        except Exception as exc:  # a linking bug must cost the links, not the draft
            result.warnings.append(
                IngestWarning(path=".", message=f"could not link {what} ({type(exc).__name__}: {exc})")
            )
    for warning in result.warnings:
        on_event(Warned(warning.message, warning.path))
    on_event(
        StageFinished(
            "ingest",
            time.perf_counter() - started,
            f"{len(result.files)} files, {len(result.facts)} facts, {len(result.chunks)} chunks",
        )
    )
    return result
