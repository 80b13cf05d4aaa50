"""Postgres table for triage labels (SQLAlchemy Core)."""
from __future__ import annotations

from sqlalchemy import (Column, DateTime, Float, Integer, MetaData, String, Table, Text,
                        create_engine, func)
from sqlalchemy.dialects.postgresql import insert

metadata = MetaData()

ticket_labels = Table(
    "ticket_labels",
    metadata,
    Column("ticket_id", String(32), primary_key=True),
    Column("label", String(32), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("source", String(8), nullable=False),  # "model" | "rules"
    Column("model", String(64)),
    Column("reason", Text),
    Column("latency_ms", Float),
    Column("prompt_tokens", Integer),
    Column("completion_tokens", Integer),
    Column("cost_usd", Float),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
)


def get_engine(database_url: str):
    # TODO: pool size is the SQLAlchemy default (5); fine for one worker, check before scaling out
    return create_engine(database_url, pool_pre_ping=True)


def init_db(engine) -> None:
    # no migrations yet; create_all is idempotent but won't add new columns
    metadata.create_all(engine)


def upsert_label(conn, row: dict) -> None:
    stmt = insert(ticket_labels).values(**row)
    stmt = stmt.on_conflict_do_update(
        index_elements=[ticket_labels.c.ticket_id],
        set_={k: stmt.excluded[k] for k in row if k != "ticket_id"},
    )
    conn.execute(stmt)
