"""A tag that opens a docstring line (``FIXME: ...``) is a TODO fact like a ``# FIXME`` comment,
carried over the docstring's following lines; tags inside other strings (prompts, messages) or
in the middle of a docstring sentence are not."""

from __future__ import annotations

import textwrap

from specagent.ingest.models import FactKind
from specagent.ingest.python_parser import parse_python
from specagent.spec.model import Citation
from specagent.spec.resolve import resolve

SOURCE = textwrap.dedent(
    '''\
    """Search helpers.

    TODO(ana): move to the service package
    """

    PROMPT = """
    FIXME: this is text the model reads, not a note
    """


    def search(query: str) -> list[str]:
        """Top hits by similarity.

        FIXME: no filter on version, so superseded versions are
        returned next to the current ones.
        HACK - the cache key ignores the user
        """
        return []


    class Store:
        """FIXME: not thread safe"""

        def get(self) -> None:
            """Return the row; the TODO list is kept elsewhere.

            XXX: slow on large tables"""
    '''
)


def test_tags_opening_docstring_lines_are_todos() -> None:
    facts = [f for f in parse_python("search.py", SOURCE).facts if f.kind is FactKind.TODO]
    got = sorted((f.source.span.start_line, f.source.span.end_line, f.detail.tag, f.detail.text) for f in facts)
    assert got == [
        (3, 3, "TODO", "move to the service package"),
        (14, 15, "FIXME", "no filter on version, so superseded versions are returned next to the current ones."),
        (16, 16, "HACK", "the cache key ignores the user"),
        (22, 22, "FIXME", "not thread safe"),
        (27, 27, "XXX", "slow on large tables"),
    ]
    for fact in facts:
        span, quote = fact.source.span, fact.source.quote
        citation = Citation(path="search.py", start_line=span.start_line, end_line=span.end_line, quote=quote)
        assert resolve(citation, {"search.py": SOURCE}) is None, fact
