"""Data models shared by the CLI, the worker and the notebook."""
from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Literal, Optional

from pydantic import BaseModel, Field, field_validator


class Category(str, Enum):
    billing = "billing"
    bug_report = "bug_report"
    account_access = "account_access"
    feature_request = "feature_request"
    how_to = "how_to"


class Ticket(BaseModel):
    """One inbound ticket as it arrives from the helpdesk export or the Redis queue."""

    id: str = Field(..., description="Helpdesk ticket id, e.g. T-10492")
    subject: str = ""
    body: str
    channel: Literal["email", "web_form", "chat"] = "email"
    customer_tier: Optional[Literal["free", "pro", "enterprise"]] = None
    created_at: Optional[datetime] = None

    @field_validator("body")
    @classmethod
    def body_not_empty(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("ticket body is empty")
        # NOTE: very long bodies (pasted logs) blow up the prompt; cut to 4,000 chars.
        return v[:4000]


class LabelledTicket(Ticket):
    """A ticket from the labelled sample: the gold label set by the support leads."""

    label: Category


class TriageResult(BaseModel):
    """What the classifier returns for one ticket and what the worker writes to Postgres."""

    ticket_id: str
    label: Category
    confidence: float = Field(..., ge=0.0, le=1.0)
    source: Literal["model", "rules"]
    model: Optional[str] = None
    reason: Optional[str] = None
    latency_ms: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
