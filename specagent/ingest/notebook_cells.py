"""Read a notebook's JSON into cells and outputs: load and repair it, and the texts its outputs show.

These readers know nbformat and nothing of facts; :mod:`specagent.ingest.notebook` and the
output fact extractors (:mod:`notebook_frames`, :mod:`notebook_metrics`) build on them.
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

from specagent.ingest.models import IngestWarning

__all__ = [
    "cell_position",
    "cell_text",
    "load_notebook",
    "notebook_language",
    "one_line",
    "output_summary",
    "output_texts",
]

_OUTPUT_SUMMARY_MAX = 1500
_OUTPUT_LINES_MAX = 20
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def cell_text(value: Any) -> str:
    """A cell's source or an output's text: nbformat keeps either a string or a list of lines."""
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return value if isinstance(value, str) else ""


def load_notebook(path: str, text: str) -> tuple[Any | None, list[IngestWarning]]:
    """The notebook as nbformat v4, or None and a warning."""
    import nbformat
    from nbformat import reader

    try:
        raw = reader.parse_json(text)
    except reader.NotJSONError as exc:
        detail = str(exc.__cause__ or exc).splitlines()[0][:120]
        return None, [IngestWarning(path=path, message=f"not valid notebook JSON: {detail}")]
    if not isinstance(raw, dict):
        kind = "a list" if isinstance(raw, list) else f"a JSON {type(raw).__name__}"
        return None, [IngestWarning(path=path, message=f"not a notebook: the top level is {kind}, not an object")]
    out = _sanitise(path, raw)
    try:
        major, minor = reader.get_version(raw)
        if major not in nbformat.versions:
            return None, [*out, IngestWarning(path=path, message=f"not a notebook: unsupported nbformat {major!r}")]
        nb = nbformat.versions[major].to_notebook_json(raw, minor=minor)
    except Exception as exc:
        return None, [*out, IngestWarning(path=path, message=f"not a notebook: {one_line(exc)}")]
    try:
        nb = nbformat.convert(nb, 4)
    except Exception as exc:
        return None, [*out, IngestWarning(path=path, message=f"notebook not convertible: {one_line(exc)}")]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbformat.validate(nb)
    except Exception as exc:
        out.append(IngestWarning(path=path, message=f"notebook fails nbformat validation: {one_line(exc)}"))
    return nb, out


def _sanitise(path: str, raw: dict[str, Any]) -> list[IngestWarning]:
    """Make a hand-edited or truncated notebook readable, in place, saying what was dropped.

    A cell that is not an object becomes an empty raw cell, so later cells keep their
    numbers (citations count cells in file order); an output that is not an object is dropped.
    """
    out: list[IngestWarning] = []
    if "cells" in raw and "nbformat" not in raw:
        raw["nbformat"], raw["nbformat_minor"] = 4, 4  # a v4 body without its header
    if "cells" in raw and not isinstance(raw["cells"], list):
        out.append(IngestWarning(path=path, message="'cells' is not a list; no cells read"))
        raw["cells"] = []
    if raw.get("nbformat") == 4 and not isinstance(raw.get("metadata"), dict):
        raw["metadata"] = {}
    cell_lists = [raw["cells"]] if isinstance(raw.get("cells"), list) else []
    sheets = raw["worksheets"] if isinstance(raw.get("worksheets"), list) else []
    for sheet in sheets:
        if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list):
            cell_lists.append(sheet["cells"])
    number = 0
    for cells in cell_lists:
        for idx, cell in enumerate(cells):
            number += 1
            if not isinstance(cell, dict):
                out.append(IngestWarning(path=path, message=f"cell {number} is not a notebook cell object; skipped"))
                cells[idx] = {"cell_type": "raw", "source": "", "metadata": {}}
                continue
            if not isinstance(cell.get("source", ""), str | list):
                cell["source"] = ""
            elif isinstance(cell.get("source"), list):
                cell["source"] = [v if isinstance(v, str) else str(v) for v in cell["source"]]
            cell.setdefault("metadata", {})
            if "outputs" in cell:
                outputs = cell["outputs"] if isinstance(cell["outputs"], list) else []
                kept = [o for o in outputs if isinstance(o, dict)]
                if len(kept) != len(outputs) or not isinstance(cell["outputs"], list):
                    out.append(
                        IngestWarning(path=path, message=f"cell {number}: an output is not an output object; skipped")
                    )
                cell["outputs"] = kept
    return out


def one_line(exc: BaseException) -> str:
    """The first line of an error's message, short enough for a warning."""
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:160]


def notebook_language(nb: Any) -> str:
    """The kernel's language, lower case; a notebook that names none is taken for Python."""
    meta = nb.get("metadata") or {}
    lang = (meta.get("kernelspec") or {}).get("language") or (meta.get("language_info") or {}).get("name")
    return str(lang or "python").lower()


def output_texts(outputs: list[Any]) -> list[tuple[str, str, str | None]]:
    """(kind, text/plain-ish text, html) for each output that carries text."""
    out: list[tuple[str, str, str | None]] = []
    for o in outputs:
        otype = o.get("output_type")
        if otype == "stream":
            out.append(("stream", cell_text(o.get("text")), None))
        elif otype in {"execute_result", "display_data"}:
            data = o.get("data") or {}
            out.append((otype, cell_text(data.get("text/plain")), cell_text(data.get("text/html")) or None))
    return out


def output_summary(outputs: list[Any]) -> str:
    """What a code cell's outputs show, cut short: the text a CELL chunk carries after its source."""
    parts: list[str] = []
    for o in outputs:
        otype = o.get("output_type")
        if otype == "stream":
            parts.append(cell_text(o.get("text")))
        elif otype in {"execute_result", "display_data"}:
            data = o.get("data") or {}
            plain = cell_text(data.get("text/plain"))
            if plain:
                parts.append(plain)
            else:
                kinds = [k for k in data if k.startswith("image/")]
                parts.append(f"[{', '.join(kinds) or 'rich output'}]")
        elif otype == "error":
            parts.append(f"{o.get('ename', 'Error')}: {o.get('evalue', '')}")
    lines = "\n".join(p.rstrip("\n") for p in parts if p).split("\n")
    text = "\n".join(lines[:_OUTPUT_LINES_MAX])
    if len(lines) > _OUTPUT_LINES_MAX:
        text += f"\n… ({len(lines) - _OUTPUT_LINES_MAX} more lines)"
    return text[:_OUTPUT_SUMMARY_MAX]


def cell_position(text: str, line: int, hint: str | None = None) -> tuple[int, int] | None:
    """Where line ``line`` of a notebook's JSON text sits in the notebook: (cell, line in the
    cell's source), or (cell, 1) for a line of the cell's outputs; None when it is neither
    (metadata, or text that is not notebook JSON). ``hint`` is text the wanted line holds (the
    redaction marker, say): a JSON line can carry a whole cell's source, one line of it wanted.

    Findings made on the raw file (secrets, say) are cited this way, as a reader sees the cell.
    """
    raw = text.split("\n")
    if not 1 <= line <= len(raw):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        return None
    wanted: list[str] = []
    for literal in _JSON_STRING.findall(raw[line - 1]):
        try:
            value = json.loads(literal)
        except ValueError:
            continue
        wanted.extend(piece.strip() for piece in value.split("\n") if piece.strip())
    wanted = [w for w in wanted if w not in {"source", "text", "outputs", "cell_type", "code", "markdown"}]
    if hint and any(hint in w for w in wanted):
        wanted = [w for w in wanted if hint in w]
    if not wanted:
        return None
    # Cells before this line, counted by their "cell_type" keys: where to look first.
    before = sum(1 for row in raw[:line] if '"cell_type"' in row)
    order = sorted(range(len(cells)), key=lambda i: (abs(i + 1 - before), i))
    for i in order:
        cell = cells[i]
        if not isinstance(cell, dict):
            continue
        source_lines = cell_text(cell.get("source")).split("\n")
        for number, source_line in enumerate(source_lines, start=1):
            if any(w in source_line for w in wanted):
                return i + 1, number
        outputs = [o for o in cell.get("outputs") or [] if isinstance(o, dict)]
        if any(w in shown for _, shown, _ in output_texts(outputs) for w in wanted):
            return i + 1, 1
    return None
