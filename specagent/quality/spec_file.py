"""Read a spec file (SPEC.md or spec.json) for checking: the spec, its schema findings, item lines.

SPEC.md is read back with the reader, so a person's edits are checked too. spec.json is read
leniently: items that fail the schema are reported (SA001/SA002) and left out, and the rest is
still checked. Reading the repository the spec is checked against is the pipeline's job
(:mod:`specagent.pipeline.check`); this module only reads the spec file it is given.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from specagent.errors import SpecFileError
from specagent.quality.findings import Finding, finding
from specagent.spec.markdown import SECTION_TITLES
from specagent.spec.model import ID_RE, LIST_SECTIONS, SECTION_PREFIXES, Meta, Spec
from specagent.spec.reader import read_json, read_markdown

_MD_ID = re.compile(r"^(?:- \*\*|### |\| )(?P<id>[A-Z]+-\d+)\b")
_JSON_ID = re.compile(r'"id"\s*:\s*"(?P<id>[^"]+)"')
_JSON_SECTION = re.compile(r'^\s*"(?P<key>\w+)"\s*:')
_MD_SECTION = re.compile(r"^## \d+\. (?P<title>.+?)\s*$")
_ANY_SECTION = re.compile(r"^## (?:\d+\. )?(?P<title>.+?)\s*$")
#: Front matter keys that mark SPEC.md as a specagent spec (``root`` is written beside meta).
_META_KEYS = frozenset(Meta.model_fields) | {"root"}
#: Top-level keys of spec.json: meta and the sections.
_SPEC_KEYS = frozenset(Spec.model_fields)
NOT_A_SPEC_MD = "not a specagent spec: no front matter and no spec sections"
NOT_A_SPEC_JSON = "not a specagent spec: no meta and no spec sections"


def _read(path: Path) -> str:
    if not path.exists():
        raise SpecFileError(f"{path}: no such file")
    if not path.is_file():
        raise SpecFileError(f"{path}: not a file (give SPEC.md or spec.json)")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecFileError(f"{path}: cannot read ({exc})") from None


def json_lines(text: str) -> dict[str, int]:
    """Item id -> line of its ``"id"`` key in spec.json."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        for m in _JSON_ID.finditer(line):
            found.setdefault(m["id"], number)
        section = _JSON_SECTION.match(line)
        if section and section["key"] in SECTION_PREFIXES:
            found.setdefault(f"section:{section['key']}", number)
    return found


def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def _item_at(data: dict[str, Any], loc: tuple[Any, ...]) -> tuple[Any, str | None]:
    """The item dict an error location points into, and its id."""
    node: Any = data
    item: Any = None
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "id" in node:
            item = node
    item_id = item.get("id") if isinstance(item, dict) else None
    return item, item_id if isinstance(item_id, str) else None


def _salvage(data: dict[str, Any], errors: list[Any]) -> Spec | None:
    """The spec without the items that failed validation (None if even that fails)."""
    drop: dict[tuple[str, ...], set[int]] = {}
    for err in errors:
        loc = err["loc"]
        if len(loc) >= 2 and loc[0] in LIST_SECTIONS and isinstance(loc[1], int):
            drop.setdefault((loc[0],), set()).add(loc[1])
        elif len(loc) >= 3 and loc[0] == "overview" and isinstance(loc[2], int):
            drop.setdefault(("overview", loc[1]), set()).add(loc[2])
        elif loc and loc[0] == "meta":
            data["meta"] = {}
        elif loc and loc[0] == "overview" and len(loc) >= 2 and loc[1] == "problem":
            data["overview"]["problem"] = None
    for key, indexes in drop.items():
        holder: Any = data
        for part in key[:-1]:
            holder = holder[part]
        holder[key[-1]] = [x for i, x in enumerate(holder[key[-1]]) if i not in indexes]
    try:
        return Spec.model_validate(data)
    except ValidationError:
        return None


def load_json_for_check(text: str) -> tuple[Spec | None, list[Finding], dict[str, int]]:
    """Parse spec.json leniently: schema errors become findings, valid items are kept."""
    lines = json_lines(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [finding("SA001", f"not JSON: {exc.msg}", line=exc.lineno)], lines
    if not isinstance(data, dict):
        return None, [finding("SA001", "spec.json must hold a JSON object")], lines
    if not _SPEC_KEYS & set(data):
        return None, [finding("SA001", NOT_A_SPEC_JSON, line=1)], lines
    try:
        return Spec.model_validate(data), [], lines
    except ValidationError as exc:
        errors = exc.errors()
    findings = []
    for err in errors:
        _, item_id = _item_at(data, err["loc"])
        code = "SA002" if "malformed item id" in err["msg"] else "SA001"
        findings.append(
            finding(
                code,
                f"{_where(err['loc'])}: {err['msg']}",
                item_id,
                lines.get(item_id) if item_id else None,
            )
        )
    return _salvage(data, errors), findings, lines


def looks_like_spec_markdown(text: str) -> bool:
    """Whether SPEC.md text has specagent front matter or at least one spec section heading.

    Without either, the reader would happily read any Markdown as an empty spec, and a file that
    is not a spec at all would pass with only "section empty" warnings.
    """
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end < 0:
            return True  # broken front matter: the reader names the precise problem
        try:
            meta = yaml.safe_load(text[4:end])
        except yaml.YAMLError:
            return True
        if isinstance(meta, dict) and _META_KEYS & {str(k) for k in meta}:
            return True
    titles = {t.lower() for t in SECTION_TITLES.values()}
    in_code = False
    for line in text.split("\n"):
        if line.startswith("```"):
            in_code = not in_code
            continue
        m = None if in_code else _ANY_SECTION.match(line)
        if m and m["title"].lower() in titles:
            return True
    return False


def load_markdown_for_check(path: Path, text: str) -> tuple[Spec | None, list[Finding], dict[str, int]]:
    """Read SPEC.md with the reader; malformed IDs are reported and read under a stand-in ID."""
    titles = {title: key for key, title in SECTION_TITLES.items()}
    lines: dict[str, int] = {}
    findings: list[Finding] = []
    stand_ins: dict[str, str] = {}
    out_lines = text.split("\n")
    for number, line in enumerate(out_lines, start=1):
        m = _MD_ID.match(line)
        if not m:
            if line.startswith("### Problem"):
                lines.setdefault("problem", number)
            section = _MD_SECTION.match(line)
            if section and section["title"] in titles:
                lines.setdefault(f"section:{titles[section['title']]}", number)
            continue
        item_id = m["id"]
        lines.setdefault(item_id, number)
        if ID_RE.match(item_id):
            continue
        findings.append(finding("SA002", f"malformed item id {item_id!r} (expected e.g. FR-001)", item_id, number))
        prefix = item_id.split("-", 1)[0]
        if ID_RE.match(f"{prefix}-001"):
            # Read the item under a stand-in so the rest of the spec is still checked.
            stand_in = stand_ins.setdefault(item_id, f"{prefix}-{900000 + len(stand_ins)}")
            lines[stand_in] = number
            out_lines[number - 1] = line.replace(item_id, stand_in, 1)
    if not looks_like_spec_markdown(text):
        return None, [finding("SA001", NOT_A_SPEC_MD, line=1)], lines
    companion = None
    sibling = path.with_name("spec.json")
    if sibling.exists():
        try:
            companion = read_json(sibling.read_text(encoding="utf-8"))
        except (OSError, SpecFileError):
            companion = None
    try:
        spec = read_markdown("\n".join(out_lines), companion)
    except SpecFileError as exc:
        findings.append(finding("SA001", str(exc)))
        return None, findings, lines
    if stand_ins:
        back = {v: k for k, v in stand_ins.items()}
        for _, item in spec.iter_items():
            if item.id in back:
                # model_construct-free rename: ids are plain strings once validated
                object.__setattr__(item, "id", back[item.id])
    return spec, findings, lines


def load_for_check(path: Path) -> tuple[Spec | None, list[Finding], dict[str, int]]:
    """(spec or None, schema findings, item id -> line) for SPEC.md or spec.json."""
    path = Path(path)
    text = _read(path)
    if path.suffix.lower() == ".json":
        return load_json_for_check(text)
    return load_markdown_for_check(path, text)
