"""Pydantic models for extracted invoices.

Invoice is what /extract returns and what we store; LineItem is one row of the
line-item table. Validators enforce the checks finance asked for: totals add up and
currency is an ISO 4217 code we support.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Optional

from pydantic import BaseModel, Field, field_validator, model_validator

ALLOWED_CURRENCIES = {"EUR", "GBP", "USD", "CHF", "SEK", "DKK", "PLN"}
TOTAL_TOLERANCE = Decimal("0.02")


class LineItem(BaseModel):
    description: str
    quantity: Decimal = Field(default=Decimal("1"), ge=0)
    unit_price: Optional[Decimal] = None
    amount: Decimal
    vat_rate: Optional[Decimal] = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def amount_matches_qty_times_price(self) -> "LineItem":
        if self.unit_price is not None:
            expected = (self.quantity * self.unit_price).quantize(Decimal("0.01"))
            if abs(expected - self.amount) > TOTAL_TOLERANCE:
                raise ValueError(
                    f"line amount {self.amount} != quantity x unit_price ({expected})"
                )
        return self


class FieldSource(BaseModel):
    """Where a field value came from, for the review UI (not built yet)."""

    method: str  # "regex" | "layout" | "llm"
    confidence: float = Field(ge=0.0, le=1.0)
    page: int = 1


class Invoice(BaseModel):
    vendor_name: str
    vendor_vat_id: Optional[str] = None
    invoice_number: str
    invoice_date: date
    due_date: Optional[date] = None
    currency: str = "EUR"
    subtotal: Optional[Decimal] = None
    vat_amount: Optional[Decimal] = None
    total: Decimal
    line_items: list[LineItem] = Field(default_factory=list)
    sources: dict[str, FieldSource] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)

    @field_validator("currency")
    @classmethod
    def currency_is_iso(cls, v: str) -> str:
        v = v.strip().upper()
        if v in {"€", "EURO"}:
            v = "EUR"
        if v == "£":
            v = "GBP"
        if v not in ALLOWED_CURRENCIES:
            raise ValueError(f"unsupported currency code: {v}")
        return v

    @field_validator("invoice_number")
    @classmethod
    def invoice_number_not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("invoice_number is empty")
        return v.strip()

    @model_validator(mode="after")
    def totals_add_up(self) -> "Invoice":
        if self.subtotal is not None and self.vat_amount is not None:
            if abs(self.subtotal + self.vat_amount - self.total) > TOTAL_TOLERANCE:
                raise ValueError(
                    f"subtotal {self.subtotal} + vat {self.vat_amount} != total {self.total}"
                )
        if self.due_date and self.due_date < self.invoice_date:
            # not an error: some vendors print the due date wrong; flag it instead
            self.warnings.append("due_date before invoice_date")
        # FIXME: line item sum is only a warning because OCR drops table rows too often
        if self.line_items and self.subtotal is not None:
            s = sum((li.amount for li in self.line_items), Decimal("0"))
            if abs(s - self.subtotal) > TOTAL_TOLERANCE:
                self.warnings.append(f"line items sum {s} != subtotal {self.subtotal}")
        return self


class ExtractResponse(BaseModel):
    id: int
    invoice: Optional[Invoice] = None
    status: str  # "ok" | "needs_review" | "failed"
    errors: list[str] = Field(default_factory=list)
    pages: int
    latency_ms: int
    llm_calls: int = 0
    llm_cost_usd: float = 0.0
