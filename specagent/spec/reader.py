"""Read a spec back: spec.json directly, SPEC.md by the grammar :mod:`specagent.spec.markdown` writes.

Reading SPEC.md (not only spec.json) is what lets ``check`` review a person's edits and lets a
new draft keep the items a person locked. Structured values SPEC.md does not show (a metric's
parsed baseline value and unit) are taken from the spec.json beside it when the item IDs match.

The document is split here (front matter, sections); :mod:`specagent.spec.reader_items` reads
each section's items.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from specagent.errors import SpecFileError
from specagent.spec.markdown import SECTION_TITLES
from specagent.spec.model import Meta, Spec
from specagent.spec.reader_items import ItemReader

SECTION_RE = re.compile(r"^## (?:\d+\. )?(?P<title>.+?)\s*$")
TITLE_TO_KEY = {title.lower(): key for key, title in SECTION_TITLES.items()}


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter as a mapping, and the text after it."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 4)
    if end < 0:
        raise SpecFileError("front matter is not closed by a '---' line")
    try:
        meta = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError as exc:
        raise SpecFileError(f"front matter is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(meta, dict):
        raise SpecFileError("front matter must be a mapping")
    return meta, text[end + 5 :]


def _sections(body: str) -> dict[str, list[str]]:
    """The lines of each known section, by key; code blocks and unknown sections are left out."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    in_code = False
    for line in body.split("\n"):
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        match = SECTION_RE.match(line) if line.startswith("## ") else None
        if match:
            key = TITLE_TO_KEY.get(match["title"].lower())
            current = sections.setdefault(key, []) if key else None
            continue
        if current is not None:
            current.append(line)
    return sections


def _read(text: str, companion: Spec | None) -> Spec:
    """The spec SPEC.md's ``text`` states; ``companion`` gives its warnings and citation hashes."""
    meta, body = _front_matter(text)
    root_rel = str(meta.pop("root", "..") or "..")
    items = ItemReader(_sections(body), root_rel, companion)
    if companion is not None and "warnings" not in meta:
        meta["warnings"] = companion.meta.warnings
    spec = items.spec(Meta.model_validate(meta))
    if companion is not None:
        copy_hashes(companion, spec)
    return spec


def copy_hashes(source: Spec, target: Spec) -> None:
    """Give ``target``'s citations the hashes ``source`` holds for the same item and place.

    SPEC.md does not show citation hashes (they would be noise to a reader); spec.json keeps
    them, and a citation a person left where it was keeps its hash this way.
    """
    known: dict[tuple[str, str, int, int, int | None], str] = {}
    for owner, c in source.iter_citations():
        if c.hash:
            known[(owner, c.path, c.start_line, c.end_line, c.cell)] = c.hash
    for owner, c in target.iter_citations():
        if c.hash is None:
            c.hash = known.get((owner, c.path, c.start_line, c.end_line, c.cell))


def read_markdown(text: str, companion: Spec | None = None, source: str = "SPEC.md") -> Spec:
    """Parse SPEC.md text. ``companion`` (the spec.json beside it) fills values SPEC.md omits;
    ``source`` names the file in errors."""
    try:
        return _read(text, companion)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SpecFileError(f"{source} does not form a valid spec: {where}: {first['msg']}") from None


def read_json(text: str, source: str = "spec.json") -> Spec:
    """Parse spec.json text; ``source`` names the file in errors."""
    try:
        return Spec.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the document"
        raise SpecFileError(f"{source} is not a valid spec: {where}: {first['msg']}") from None


def read_spec(path: Path) -> Spec:
    """Read SPEC.md or spec.json; one-line SpecFileError when that is impossible."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecFileError(f"{path}: cannot read ({exc})") from None
    if path.suffix.lower() == ".json":
        return read_json(text, str(path))
    companion = None
    sibling = path.with_name("spec.json")
    if sibling.exists():
        try:
            companion = read_json(sibling.read_text(encoding="utf-8"), str(sibling))
        except (OSError, SpecFileError):
            companion = None
    return read_markdown(text, companion, str(path))


def locate(path: Path) -> dict[str, int]:
    """Item id -> 1-based line in SPEC.md where the item starts (for annotations)."""
    found: dict[str, int] = {}
    pattern = re.compile(r"^(?:- \*\*|### |\| )(?P<id>[A-Z]+-\d+)\b")
    try:
        lines = Path(path).read_text(encoding="utf-8").split("\n")
    except OSError:
        return found
    for number, line in enumerate(lines, start=1):
        match = pattern.match(line)
        if match:
            found.setdefault(match["id"], number)
        elif line.startswith("### Problem"):
            found.setdefault("problem", number)
    return found


def read_spec_ref(ref: str, cwd: Path | None = None) -> Spec:
    """A spec from a path, or from git as ``REV:PATH`` (``origin/main:spec/spec.json``).

    A path that exists wins; otherwise ``REV:PATH`` is read with ``git show`` (PATH relative to
    the repository's top, or to ``cwd`` with a ``./`` prefix). A SPEC.md from git takes its
    spec.json companion from the same revision.
    """
    from specagent.gitinfo import show

    cwd = Path(cwd) if cwd is not None else Path.cwd()
    path = Path(ref)
    if path.exists() or ":" not in ref or re.match(r"^[A-Za-z]:[\\/]", ref):
        return read_spec(path)
    revision, _, inner = ref.partition(":")
    text = show(ref, cwd)
    if text is None:
        raise SpecFileError(f"{ref}: git cannot show it (unknown revision, or no such file at {revision})")
    if inner.lower().endswith(".json"):
        return read_json(text, ref)
    sibling = inner.rsplit("/", 1)[0] + "/spec.json" if "/" in inner else "spec.json"
    companion_text = show(f"{revision}:{sibling}", cwd)
    companion = None
    if companion_text is not None:
        try:
            companion = read_json(companion_text, f"{revision}:{sibling}")
        except SpecFileError:
            companion = None
    return read_markdown(text, companion, ref)
