"""Policy search over pgvector, via SQLAlchemy 2.0."""
from __future__ import annotations

import logging
from datetime import date, datetime

from langchain_openai import OpenAIEmbeddings
from pgvector.sqlalchemy import Vector
from sqlalchemy import (BigInteger, Date, DateTime, Integer, SmallInteger, String, Text,
                        create_engine, func, select)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from .schemas import PolicyChunk
from .settings import get_settings

log = logging.getLogger(__name__)


class Base(DeclarativeBase):
    pass


class PolicyChunkRow(Base):
    __tablename__ = "policy_chunks"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    policy_id: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    version: Mapped[str] = mapped_column(Text)
    effective_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    country: Mapped[str] = mapped_column(String(2), default="DE")
    section: Mapped[str | None] = mapped_column(Text, nullable=True)
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content: Mapped[str] = mapped_column(Text)
    embedding = mapped_column(Vector(1536))
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class FeedbackRow(Base):
    __tablename__ = "chat_feedback"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(Text)
    message_index: Mapped[int] = mapped_column(Integer)
    rating: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    model: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


_engine = None
_SessionLocal: sessionmaker[Session] | None = None


def session() -> Session:
    global _engine, _SessionLocal
    if _SessionLocal is None:
        _engine = create_engine(get_settings().database_url, pool_pre_ping=True, pool_size=5)
        _SessionLocal = sessionmaker(bind=_engine, expire_on_commit=False)
    return _SessionLocal()


def embedder() -> OpenAIEmbeddings:
    s = get_settings()
    return OpenAIEmbeddings(model=s.embedding_model, dimensions=s.embedding_dim)


def search(query: str, country: str = "DE", k: int | None = None) -> list[PolicyChunk]:
    """Top-k chunks by cosine similarity, filtered by country.

    FIXME: no filter on version / effective_date, so superseded policy versions are
    returned next to the current ones (see notes/known_issues.md #1).
    """
    s = get_settings()
    k = k or s.top_k
    qvec = embedder().embed_query(query)
    distance = PolicyChunkRow.embedding.cosine_distance(qvec)
    stmt = (
        select(PolicyChunkRow, (1 - distance).label("score"))
        .where(PolicyChunkRow.country == country.upper())
        .order_by(distance)
        .limit(k)
    )
    with session() as db:
        rows = db.execute(stmt).all()
    hits = [
        PolicyChunk(
            policy_id=r.policy_id, title=r.title, version=r.version,
            effective_date=r.effective_date, country=r.country, section=r.section,
            page=r.page, content=r.content, score=round(float(score), 4),
        )
        for r, score in rows
    ]
    kept = [h for h in hits if h.score >= s.min_similarity]
    log.info("search q=%r country=%s hits=%d kept=%d", query[:60], country, len(hits), len(kept))
    return kept


def save_feedback(conversation_id: str, message_index: int, rating: int,
                  comment: str | None, model: str | None) -> None:
    with session() as db:
        db.add(FeedbackRow(conversation_id=conversation_id, message_index=message_index,
                           rating=rating, comment=comment, model=model))
        db.commit()
