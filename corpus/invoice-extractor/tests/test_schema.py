from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from app.schema import Invoice, LineItem


def _invoice(**kw):
    base = dict(
        vendor_name="Brandt Bürobedarf GmbH",
        invoice_number="RE-2024-0117",
        invoice_date=date(2024, 3, 5),
        currency="EUR",
        subtotal=Decimal("100.00"),
        vat_amount=Decimal("19.00"),
        total=Decimal("119.00"),
    )
    base.update(kw)
    return Invoice(**base)


def test_valid_invoice():
    inv = _invoice()
    assert inv.total == Decimal("119.00")
    assert inv.warnings == []


def test_totals_must_add_up():
    with pytest.raises(ValidationError, match="subtotal"):
        _invoice(total=Decimal("129.00"))


def test_total_tolerance_two_cents():
    assert _invoice(total=Decimal("119.02")).total == Decimal("119.02")


def test_currency_symbol_is_normalised():
    assert _invoice(currency="€").currency == "EUR"


def test_unknown_currency_rejected():
    with pytest.raises(ValidationError, match="unsupported currency"):
        _invoice(currency="JPY")


def test_due_date_before_invoice_date_is_only_a_warning():
    inv = _invoice(due_date=date(2024, 2, 1))
    assert "due_date before invoice_date" in inv.warnings


def test_line_item_amount_checked():
    with pytest.raises(ValidationError):
        LineItem(description="Toner", quantity=Decimal("2"), unit_price=Decimal("10.00"), amount=Decimal("25.00"))
