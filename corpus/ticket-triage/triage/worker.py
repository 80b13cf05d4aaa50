"""Queue worker: pop tickets from a Redis list, classify, write labels to Postgres.

Run with `python -m triage.worker` (REDIS_URL, DATABASE_URL, OPENAI_API_KEY in the env).
The helpdesk webhook (not in this repo) does RPUSH tickets:incoming <ticket json>.
"""
from __future__ import annotations

import json
import logging
import os
import signal

import redis
from pydantic import ValidationError

from triage.classifier import TriageClassifier
from triage.config import load_settings
from triage.db import get_engine, init_db, upsert_label
from triage.models import Ticket

log = logging.getLogger("triage.worker")
_running = True


def _stop(signum, frame):  # noqa: ARG001
    global _running
    _running = False
    log.info("got signal %s, finishing current ticket", signum)


def run(once: bool = False) -> int:
    settings = load_settings()
    r = redis.Redis.from_url(settings.redis_url, decode_responses=True)
    engine = get_engine(settings.database_url)
    init_db(engine)
    clf = TriageClassifier(settings)
    done = 0
    while _running:
        item = r.blpop(settings.queue, timeout=settings.poll_timeout_s)
        if item is None:
            if once:
                break
            continue
        _, raw = item
        try:
            ticket = Ticket.model_validate_json(raw)
        except ValidationError as exc:
            # FIXME: bad payloads are logged and dropped; no dead-letter list yet
            log.error("invalid ticket payload: %s", exc)
            continue
        # FIXME: BLPOP removes the ticket before it is classified; if the worker dies here
        # the ticket is lost. Switch to BLMOVE into a tickets:processing list.
        result = clf.classify(ticket)
        with engine.begin() as conn:
            upsert_label(conn, result.model_dump(mode="json"))
        done += 1
        log.info("%s -> %s (%.2f, %s, %.0f ms)", ticket.id, result.label.value,
                 result.confidence, result.source, result.latency_ms)
    return done


def main() -> None:
    logging.basicConfig(level=os.getenv("LOG_LEVEL", "INFO"))
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    n = run(once=os.getenv("TRIAGE_WORKER_ONCE") == "1")
    log.info("worker stopped after %d tickets", n)


if __name__ == "__main__":
    main()
