"""Citation hashes (what changed, where lines moved) and matching items across drafts."""

from __future__ import annotations

import json

from specagent.spec.markdown import render_markdown
from specagent.spec.match import match_items
from specagent.spec.model import Citation, Dependency, Interface, Spec
from specagent.spec.reader import read_markdown
from specagent.spec.spans import citation_hash, find_moved, hash_lines, stamp_hashes

CODE = "import os\n\n\ndef load(path):\n    with open(path) as f:\n        return f.read()\n\n\nX = 1\n"


def cite(path: str, start: int, end: int, **kw: object) -> Citation:
    return Citation(path=path, start_line=start, end_line=end, **kw)  # type: ignore[arg-type]


def test_the_hash_ignores_indentation_and_blank_lines_but_not_words() -> None:
    base = hash_lines(["def load(path):", "    return 1"])
    assert hash_lines(["  def load(path):", "", "        return   1", ""]) == base
    assert hash_lines(["def load(path):", "    return 2"]) != base
    assert base.endswith("/2")  # the line count rides along, for the search for moved lines


def test_lines_that_moved_are_found_in_their_file_then_in_others() -> None:
    c = cite("a.py", 4, 6)
    c.hash = citation_hash(c, {"a.py": CODE})
    shifted = "# header\n# more\n" + CODE
    place = find_moved(c, {"a.py": shifted})
    assert (place.path, place.start_line, place.end_line) == ("a.py", 6, 8)
    moved = {"a.py": "import os\n", "b.py": "'''doc'''\n\n" + CODE[CODE.index("def") :]}
    place = find_moved(c, moved)
    assert (place.path, place.start_line, place.end_line) == ("b.py", 3, 5)
    assert find_moved(c, {"a.py": CODE.replace("f.read()", "f.read().strip()")}) is None


def test_a_notebook_citation_hashes_its_cell_and_finds_it_in_another_cell() -> None:
    def notebook(*sources: str) -> str:
        cells = [{"cell_type": "code", "source": s, "outputs": [], "metadata": {}} for s in sources]
        return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})

    c = cite("nb.ipynb", 1, 2, cell=2)
    c.hash = citation_hash(c, {"nb.ipynb": notebook("x = 1", "acc = 0.9\nprint(acc)")})
    place = find_moved(c, {"nb.ipynb": notebook("x = 1", "# new cell", "acc = 0.9\nprint(acc)")})
    assert (place.cell, place.start_line, place.end_line) == (3, 1, 2)


def test_spec_md_reads_hashes_back_from_its_spec_json() -> None:
    spec = Spec(dependencies=[Dependency(id="DEP-001", kind="package", name="numpy", sources=[cite("a.py", 1, 1)])])
    stamp_hashes(spec, {"a.py": CODE})
    text = render_markdown(spec)
    assert spec.dependencies[0].sources[0].hash not in text
    assert read_markdown(text, companion=spec) == spec
    assert read_markdown(text).dependencies[0].sources[0].hash is None


def route(id_: str, path: str, handler: str, **kw: object) -> Interface:
    return Interface(id=id_, kind="http", name=f"GET {path}", route=path, method="GET", signature=f"`{handler}`", **kw)  # type: ignore[arg-type]


def test_matching_uses_key_then_identity_then_lines_then_wording() -> None:
    old = [route("IF-001", "/items", "list_items"), route("IF-002", "/items/{id}", "get_item")]
    new = [route("IF-009", "/items/{id}/details", "get_item"), route("IF-008", "/items", "list_items")]
    pairs = {a.id: b.id for a, b in match_items("interfaces", old, new)}
    assert pairs == {"IF-001": "IF-008", "IF-002": "IF-009"}  # the renamed route by its handler

    moved_from = cite("a.py", 4, 6, hash="abc/3")
    moved_to = cite("b.py", 1, 3, hash="abc/3")
    old_lib = Interface(id="IF-003", kind="library", name="a", sources=[moved_from])
    new_lib = Interface(id="IF-001", kind="library", name="b", sources=[moved_to])
    assert match_items("interfaces", [old_lib], [new_lib]) == [(old_lib, new_lib)]  # same lines, new file

    # Named things never pair by wording alone; a route never pairs with a CLI command.
    gone = Dependency(id="DEP-003", kind="package", name="gone")
    added = Dependency(id="DEP-004", kind="package", name="new-one")
    assert match_items("dependencies", [gone], [added]) == []
    cli = Interface(id="IF-004", kind="cli", name="GET /items")
    assert match_items("interfaces", [cli], [route("IF-001", "/items", "x")]) == []
