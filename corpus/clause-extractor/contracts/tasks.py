"""Celery task: run the extraction pipeline for one contract."""
import logging
import time
from decimal import Decimal

import anthropic
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .llm import ClauseClassifier
from .models import Clause, ClauseType, Contract
from .pipeline import build_nlp, read_pages, split_sections, tag_sections

log = logging.getLogger(__name__)

# Transient errors worth retrying. Bad PDFs and parse errors are not in here on purpose.
RETRYABLE = (
    anthropic.APIConnectionError,
    anthropic.RateLimitError,
    anthropic.InternalServerError,
)


@shared_task(
    bind=True,
    autoretry_for=RETRYABLE,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=settings.EXTRACTION_SOFT_TIME_LIMIT,
    time_limit=settings.EXTRACTION_HARD_TIME_LIMIT,
    acks_late=True,
)
def extract_clauses(self, contract_id: int) -> dict:
    contract = Contract.objects.get(pk=contract_id)
    contract.status = Contract.Status.PROCESSING
    contract.error = ""
    contract.save(update_fields=["status", "error"])
    started = time.perf_counter()

    try:
        pages = read_pages(contract.file.path)
        contract.page_count = len(pages)
        if not any(p.strip() for p in pages):
            # Scanned PDF without a text layer. No OCR yet (see notes/known_problems.md).
            raise ValueError("no text layer found (scanned PDF?)")

        nlp = build_nlp()
        sections = tag_sections(nlp, split_sections(pages))
        classifier = ClauseClassifier()
        rows = []
        for section in sections:
            result = classifier.classify(section.text, hints=section.ruler_labels)
            clause_type = result.clause_type
            if result.confidence < settings.MIN_CLAUSE_CONFIDENCE:
                clause_type = ClauseType.OTHER
            rows.append(
                Clause(
                    contract=contract,
                    clause_type=clause_type,
                    heading=section.heading[:255],
                    text=section.text,
                    page_start=section.page_start,
                    page_end=section.page_end,
                    confidence=result.confidence,
                    source=Clause.Source.LLM,
                    ruler_labels=section.ruler_labels,
                )
            )

        with transaction.atomic():
            # re-extraction replaces machine clauses but keeps reviewer corrections
            contract.clauses.exclude(source=Clause.Source.MANUAL).delete()
            Clause.objects.bulk_create(rows)
            contract.llm_cost_usd = Decimal(str(round(classifier.total_cost_usd, 4)))
            contract.status = Contract.Status.DONE
            contract.extracted_at = timezone.now()
            contract.save()
    except SoftTimeLimitExceeded:
        log.warning("contract %s hit the %ss soft time limit", contract_id,
                    settings.EXTRACTION_SOFT_TIME_LIMIT)
        _fail(contract, f"timed out after {settings.EXTRACTION_SOFT_TIME_LIMIT}s")
        raise
    except RETRYABLE:
        if self.request.retries >= self.max_retries:
            _fail(contract, "LLM unavailable after retries")
        raise
    except Exception as exc:  # noqa: BLE001 - store any other failure on the contract
        log.exception("extraction failed for contract %s", contract_id)
        _fail(contract, str(exc))
        return {"contract_id": contract_id, "status": "failed"}

    elapsed = time.perf_counter() - started
    log.info(
        "contract %s: %d pages, %d sections, %.1fs, $%.4f",
        contract_id, contract.page_count, len(rows), elapsed, classifier.total_cost_usd,
    )
    return {"contract_id": contract_id, "status": "done", "clauses": len(rows),
            "seconds": round(elapsed, 2)}


def _fail(contract: Contract, message: str) -> None:
    contract.status = Contract.Status.FAILED
    contract.error = message[:2000]
    contract.save(update_fields=["status", "error", "page_count"])
