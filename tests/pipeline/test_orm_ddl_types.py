"""A table both mapped by an ORM model and declared in SQL is drafted once, from the model; the
``CREATE TABLE`` still gives what it says more precisely: a sized or parameterised column type
(``vector(384)``, ``VARCHAR(200)``) as the database declares it, and a column comment as the
field's description."""

from __future__ import annotations

from pathlib import Path

from specagent.pipeline.draft import draft
from specagent.spec.resolve import resolve

MODELS = '''\
"""Storage."""
from pgvector.sqlalchemy import Vector
from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Doc(Base):
    __tablename__ = "docs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String)
    code: Mapped[str] = mapped_column(String(2))
    body: Mapped[str] = mapped_column(Text, comment="raw text")
    embedding = mapped_column(Vector(384))
    price: Mapped[float] = mapped_column()
'''

SCHEMA = """\
CREATE TABLE IF NOT EXISTS docs (
    id        INTEGER PRIMARY KEY,
    title     VARCHAR(200) NOT NULL,   -- shown in search results
    code      CHAR(2) NOT NULL,
    body      TEXT NOT NULL,           -- the extracted text
    embedding vector(384) NOT NULL,
    price     NUMERIC(10,2)
);
"""


def test_orm_fields_take_the_precise_sql_types_and_comments(tmp_path: Path) -> None:
    (tmp_path / "models.py").write_text(MODELS, encoding="utf-8")
    (tmp_path / "schema.sql").write_text(SCHEMA, encoding="utf-8")
    result = draft(tmp_path)
    (doc,) = [c for c in result.spec.data_contracts if c.format == "SQL table `docs`"]
    assert doc.name == "Doc"
    assert [(f.name, f.type, f.required, f.constraints, f.description) for f in doc.fields] == [
        ("id", "int", False, "primary key", None),
        # the ORM left the length out
        ("title", "str", True, "SQL `VARCHAR(200)`", "shown in search results"),
        # the DDL's spelling of a sized type is the one the database has
        ("code", "str", True, "SQL `CHAR(2)`", None),
        # TEXT says no more than str; the model's own comment is kept
        ("body", "str", True, "comment raw text", "the extracted text"),
        # an untyped column names the same type as the DDL: one type, as declared in SQL
        ("embedding", "vector(384)", False, None, None),
        ("price", "float", True, "SQL `NUMERIC(10, 2)`", None),
    ]
    assert [(s.path, s.start_line) for s in doc.sources] == [("models.py", 11), ("schema.sql", 1)]
    assert [why for _, c in result.spec.iter_citations() if (why := resolve(c, result.ingested.texts))] == []
