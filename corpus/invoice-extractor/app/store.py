"""SQLite persistence for extraction results (plain sqlite3, no ORM)."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator, Optional

DB_PATH = os.getenv("INVOICE_DB_PATH", "./invoices.sqlite3")

SCHEMA = """
CREATE TABLE IF NOT EXISTS extractions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    file_sha256   TEXT NOT NULL,
    filename      TEXT,
    status        TEXT NOT NULL,          -- ok | needs_review | failed
    invoice_json  TEXT,                   -- Invoice.model_dump_json()
    errors_json   TEXT,
    pages         INTEGER,
    latency_ms    INTEGER,
    llm_calls     INTEGER DEFAULT 0,
    llm_cost_usd  REAL DEFAULT 0,
    created_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_extractions_sha ON extractions(file_sha256);
"""


@contextmanager
def connect(path: str = DB_PATH) -> Iterator[sqlite3.Connection]:
    # check_same_thread=False because gunicorn threads; fine for the prototype
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        yield conn
        conn.commit()
    finally:
        conn.close()


def init_db(path: str = DB_PATH) -> None:
    with connect(path) as conn:
        conn.executescript(SCHEMA)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save_extraction(
    pdf_bytes: bytes,
    filename: Optional[str],
    status: str,
    invoice_json: Optional[str],
    errors: list[str],
    pages: int,
    latency_ms: int,
    llm_calls: int,
    llm_cost_usd: float,
    path: str = DB_PATH,
) -> int:
    # NOTE: the same PDF uploaded twice gets two rows; dedupe on file_sha256 is an open question
    with connect(path) as conn:
        cur = conn.execute(
            "INSERT INTO extractions (file_sha256, filename, status, invoice_json, errors_json,"
            " pages, latency_ms, llm_calls, llm_cost_usd, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sha256(pdf_bytes),
                filename,
                status,
                invoice_json,
                json.dumps(errors),
                pages,
                latency_ms,
                llm_calls,
                llm_cost_usd,
                datetime.now(timezone.utc).isoformat(),
            ),
        )
        return int(cur.lastrowid)


def get_extraction(extraction_id: int, path: str = DB_PATH) -> Optional[dict]:
    with connect(path) as conn:
        row = conn.execute("SELECT * FROM extractions WHERE id = ?", (extraction_id,)).fetchone()
    if row is None:
        return None
    out = dict(row)
    out["invoice"] = json.loads(out.pop("invoice_json")) if out["invoice_json"] else None
    out["errors"] = json.loads(out.pop("errors_json") or "[]")
    return out
