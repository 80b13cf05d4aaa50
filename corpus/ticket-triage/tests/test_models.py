import pytest
from pydantic import ValidationError

from triage.models import Category, Ticket, TriageResult


def test_empty_body_rejected():
    with pytest.raises(ValidationError):
        Ticket(id="T-1", body="   ")


def test_long_body_truncated():
    assert len(Ticket(id="T-1", body="x" * 10_000).body) == 4000


def test_confidence_must_be_between_0_and_1():
    with pytest.raises(ValidationError):
        TriageResult(ticket_id="T-1", label=Category.billing, confidence=1.3, source="model")


def test_unknown_label_rejected():
    with pytest.raises(ValidationError):
        TriageResult(ticket_id="T-1", label="sales", confidence=0.9, source="model")
