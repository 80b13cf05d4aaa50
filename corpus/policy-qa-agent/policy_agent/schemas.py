"""Data models shared by the tools, the UI and the eval notebook."""
from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Literal

from pydantic import BaseModel, Field


class PolicyChunk(BaseModel):
    """One retrieved passage of a policy PDF, as returned by search_policies."""

    policy_id: str = Field(description="Policy code from the file name, e.g. HR-LV-004")
    title: str
    version: str
    effective_date: date | None = None
    country: str = "DE"
    section: str | None = None
    page: int | None = None
    content: str
    score: float = Field(description="cosine similarity, 0..1")


class LeaveBalance(BaseModel):
    """Response of the Workforce leave API, trimmed to what the agent may see."""

    employee_id: str
    annual_days_entitled: float
    annual_days_taken: float
    annual_days_remaining: float
    carry_over_days: float = 0.0
    carry_over_expires: date | None = None
    sick_days_taken: int = 0
    as_of: date


class EscalationCategory(str, Enum):
    LEAVE = "leave"
    PAY = "pay"
    CONDUCT = "conduct"
    LEGAL = "legal"
    OTHER = "other"


class EscalationTicket(BaseModel):
    """Payload sent to the HR helpdesk when the agent cannot answer."""

    category: EscalationCategory
    summary: str = Field(max_length=200)
    details: str
    priority: Literal["low", "normal", "high"] = "normal"
    employee_id: str | None = None
    conversation_id: str | None = None


class TicketReceipt(BaseModel):
    ticket_id: str
    url: str
    created_at: datetime


class Feedback(BaseModel):
    """Thumbs up/down from the Streamlit chat, one row per assistant message."""

    conversation_id: str
    message_index: int
    rating: Literal[0, 1]
    comment: str | None = None
    model: str | None = None


class EvalItem(BaseModel):
    """One line of data/eval_set.jsonl."""

    id: str
    question: str
    category: str
    expected_tool: Literal["search_policies", "get_leave_balance", "escalate_to_hr", "none"]
    should_refuse: bool = False
    reference_answer: str | None = None
    gold_policy_id: str | None = None
