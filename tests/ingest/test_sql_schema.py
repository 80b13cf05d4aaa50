"""Tables declared in SQL (``CREATE TABLE`` in ``.sql`` files and Python strings) become stored
data contracts, each column with its type, whether an insert must give it, and its constraints."""

from __future__ import annotations

import textwrap
from pathlib import Path

from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_parser import parse_python
from specagent.ingest.sql_ddl import sql_tables
from specagent.ingest.sql_schema import parse_sql
from specagent.pipeline.draft import draft
from specagent.spec.model import Citation
from specagent.spec.resolve import resolve


def _tables(facts: list[Fact]) -> dict[str, Fact]:
    return {f.name: f for f in facts if f.kind is FactKind.DATA_MODEL and f.detail.framework == "sql"}


def _fields(fact: Fact) -> dict[str, tuple]:
    dumped = [f.model_dump() for f in fact.detail.fields]  # the keys the parser gave
    return {f["name"]: (f["type"], f["required"], f["default"], f["constraints"], f["doc"]) for f in dumped}


def _resolves(path: str, text: str, facts: list[Fact]) -> None:
    for fact in facts:
        span = fact.source.span
        citation = Citation(path=path, start_line=span.start_line, end_line=span.end_line, quote=fact.source.quote)
        assert resolve(citation, {path: text}) is None, fact


SQLITE_MODULE = '''\
"""Results store."""
import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_hash    TEXT NOT NULL,
    state       TEXT NOT NULL,     -- new | done
    score       REAL DEFAULT 0,
    created_at  TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX IF NOT EXISTS ix_results_hash ON results(doc_hash);
"""


def init(conn: sqlite3.Connection) -> None:
    """Create the tables."""
    conn.executescript(SCHEMA)
    conn.execute("CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, started REAL)")
    conn.execute(
        "CREATE TABLE audit ("
        " at TEXT NOT NULL,"
        " who TEXT"
        ")"
    )
'''


def test_python_string_tables_are_facts_cited_at_their_statements() -> None:
    result = parse_python("store.py", SQLITE_MODULE)
    tables = _tables(result.facts)
    assert sorted(tables) == ["audit", "results", "runs"]
    results = tables["results"]
    assert results.detail.table == "results"
    assert results.detail.table_constraints == []
    assert _fields(results) == {
        "id": ("INTEGER", False, None, {"primary_key": True, "autoincrement": True}, None),
        "doc_hash": ("TEXT", True, None, {"unique": True}, None),
        "state": ("TEXT", True, None, None, "new | done"),
        "score": ("REAL", False, "0", None, None),
        "created_at": ("TEXT", False, "CURRENT_TIMESTAMP", {"nullable": False}, None),
    }
    # From the CREATE line to the index on it, quoting the CREATE line.
    assert (results.source.span.start_line, results.source.span.end_line) == (5, 12)
    assert results.source.quote == "CREATE TABLE IF NOT EXISTS results ("
    runs = tables["runs"]
    assert _fields(runs) == {
        "run_id": ("TEXT", True, None, {"primary_key": True}, None),
        "started": ("REAL", False, None, None, None),
    }
    assert runs.source.span.start_line == runs.source.span.end_line == 19
    # Implicit concatenation: no verbatim offsets, so the CREATE line is found in the source.
    audit = tables["audit"]
    assert [f.name for f in audit.detail.fields] == ["at", "who"]
    assert (audit.source.span.start_line, audit.source.quote) == (21, '"CREATE TABLE audit ("')
    _resolves("store.py", SQLITE_MODULE, result.facts)


def test_docstrings_fstrings_and_tests() -> None:
    text = textwrap.dedent(
        '''\
        """Example: CREATE TABLE nothing (a INT)."""
        TABLE = "events"


        def make(conn):
            """CREATE TABLE ignored (x TEXT)"""
            conn.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (kind TEXT NOT NULL, at REAL)")
            conn.execute(f"CREATE TABLE {conn.prefix}_log (line TEXT)")
        '''
    )
    tables = _tables(parse_python("db.py", text).facts)
    # Docstrings run nothing; a module constant fills the f-string; an unknown part stays as written.
    assert sorted(tables) == ["events", "{conn.prefix}_log"]
    assert _fields(tables["events"])["kind"] == ("TEXT", True, None, None, None)
    assert tables["events"].source.span.start_line == 7
    # A test's tables are fixtures, not the prototype's stored data.
    assert _tables(parse_python("tests/test_db.py", text).facts) == {}


POSTGRES = """\
-- Accounts of the service.
CREATE TABLE IF NOT EXISTS "public"."accounts" (
  id BIGSERIAL PRIMARY KEY,
  email VARCHAR(255) NOT NULL UNIQUE,
  -- who may do what
  role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member')),
  balance NUMERIC(10, 2) DEFAULT -1.5,
  org_id INTEGER REFERENCES orgs(id) ON DELETE SET NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  key VARCHAR(8),
  tags TEXT[],
  updated TIMESTAMP GENERATED ALWAYS AS (created_at + interval '1 day') STORED,
  CONSTRAINT uq_email_org UNIQUE (email, org_id),
  CHECK (balance >= 0)
);

CREATE TABLE line_items (
  sku TEXT,
  qty INT NOT NULL,
  account_id BIGINT NOT NULL,
  PRIMARY KEY (sku),
  KEY idx_qty (qty),
  FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE INDEX ix_accounts_key ON accounts (key);
CREATE TABLE copy AS SELECT * FROM accounts;
CREATE VIRTUAL TABLE search USING fts5(body);
"""


def test_sql_file_dialects() -> None:
    facts = parse_sql("db/schema.sql", POSTGRES)
    tables = _tables(facts)
    # CREATE TABLE ... AS SELECT and virtual tables declare no columns: no contract.
    assert sorted(tables) == ["line_items", "public.accounts"]
    accounts = tables["public.accounts"]
    assert accounts.detail.doc == "Accounts of the service."
    assert accounts.detail.table_constraints == ["unique (email, org_id)", "check (balance >= 0)"]
    assert _fields(accounts) == {
        "id": ("BIGSERIAL", False, None, {"primary_key": True}, None),
        "email": ("VARCHAR(255)", True, None, {"unique": True}, None),
        "role": (
            "TEXT",
            False,
            "'member'",
            {"check": "role IN ('admin', 'member')", "nullable": False},
            "who may do what",
        ),
        "balance": ("NUMERIC(10, 2)", False, "-1.5", None, None),
        "org_id": ("INTEGER", False, None, {"foreign_key": "orgs.id", "on_delete": "set null"}, None),
        "created_at": ("TIMESTAMP WITH TIME ZONE", False, "now()", {"nullable": False}, None),
        "key": ("VARCHAR(8)", False, None, {"index": True}, None),
        "tags": ("TEXT[]", False, None, None, None),
        "updated": ("TIMESTAMP", False, None, {"generated": "created_at + interval '1 day'"}, None),
    }
    # The index on ``accounts`` (line 26) is part of what the citation covers.
    assert (accounts.source.span.start_line, accounts.source.span.end_line) == (2, 26)
    items = tables["line_items"]
    assert _fields(items) == {
        "sku": ("TEXT", True, None, {"primary_key": True}, None),
        "qty": ("INT", True, None, {"index": True}, None),
        "account_id": (
            "BIGINT",
            True,
            None,
            {"foreign_key": "accounts.id", "on_delete": "cascade"},
            None,
        ),
    }
    assert (items.source.span.start_line, items.source.span.end_line) == (17, 24)
    _resolves("db/schema.sql", POSTGRES, facts)


def test_composite_keys_and_broken_text() -> None:
    (table,) = sql_tables("create table pairs (a text not null, b text, primary key (a, b), unique (b, a))")
    assert table.table_constraints == ["primary key (a, b)", "unique (b, a)"]
    assert [(f.name, f.required) for f in table.fields] == [("a", True), ("b", True)]
    # Unbalanced or half-written statements give nothing rather than a wrong table.
    assert sql_tables("CREATE TABLE t (a INT, b TEXT") == []
    assert sql_tables("CREATE TABLE (a INT)") == []
    assert sql_tables("we CREATE TABLE manually in prod") == []


def test_drafted_as_stored_contract(tmp_path: Path) -> None:
    (tmp_path / "store.py").write_text(SQLITE_MODULE, encoding="utf-8")
    (tmp_path / "schema.sql").write_text(
        "CREATE TABLE results (id INTEGER PRIMARY KEY, doc_hash TEXT NOT NULL);\n", encoding="utf-8"
    )
    (tmp_path / "models.py").write_text(
        textwrap.dedent(
            """\
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Run(Base):
                __tablename__ = "runs"
                run_id = Column(String, primary_key=True)
            """
        ),
        encoding="utf-8",
    )
    contracts = {c.name: c for c in draft(tmp_path).spec.data_contracts if c.role == "stored"}
    # ``runs`` is the ORM model's table, ``results`` is declared twice: each is drafted once,
    # ``results`` from its fullest declaration, citing the other too.
    assert sorted(contracts) == ["Run", "audit", "results"]
    results = contracts["results"]
    assert results.format == "SQL table"
    assert [(s.path, s.start_line) for s in results.sources] == [("store.py", 5), ("schema.sql", 1)]
    state = next(f for f in results.fields if f.name == "state")
    assert (state.type, state.required, state.constraints, state.description) == ("TEXT", True, None, "new | done")
    doc_hash = next(f for f in results.fields if f.name == "doc_hash")
    assert doc_hash.constraints == "unique"
    assert next(f for f in results.fields if f.name == "score").constraints == "default 0"
    assert [s.path for s in contracts["Run"].sources] == ["models.py", "store.py"]
