"""Application factory: wires routes, creates tables, exposes /health."""

from __future__ import annotations

from fastapi import FastAPI

from app.db import Base, engine
from app.routes import router
from app.settings import load_config


def create_app() -> FastAPI:
    cfg = load_config().get("app", {})
    app = FastAPI(title=cfg.get("title", "Inventory API"), version="0.3.0")
    app.include_router(router)

    @app.on_event("startup")
    def _create_tables() -> None:
        # FIXME: create_all is not a migration; the first schema change will need Alembic
        Base.metadata.create_all(bind=engine)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
