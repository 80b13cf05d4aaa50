"""Request and response bodies of the API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from app.models import OrderStatus


class ItemBase(BaseModel):
    sku: str = Field(pattern=r"^[A-Z]{3}-\d{4}$", examples=["GRD-0042"])
    name: str = Field(min_length=1, max_length=200)
    description: str | None = None
    unit_price: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    quantity_on_hand: int = Field(default=0, ge=0)
    reorder_level: int | None = Field(default=None, ge=0)
    warehouse_code: str = "AMS1"
    supplier_id: int | None = None


class ItemCreate(ItemBase):
    pass


class ItemUpdate(BaseModel):
    name: str | None = None
    description: str | None = None
    unit_price: Decimal | None = Field(default=None, gt=0)
    quantity_on_hand: int | None = Field(default=None, ge=0)
    reorder_level: int | None = Field(default=None, ge=0)


class ItemOut(ItemBase):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    low_stock: bool = False


class OrderLineIn(BaseModel):
    item_id: int
    quantity: int = Field(gt=0, le=1000)


class OrderLineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    item_id: int
    quantity: int
    unit_price: Decimal


class OrderCreate(BaseModel):
    customer_email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    lines: list[OrderLineIn] = Field(min_length=1)


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    customer_email: str
    status: OrderStatus
    created_at: datetime
    lines: list[OrderLineOut]
    total: Decimal


class OrderStatusUpdate(BaseModel):
    status: OrderStatus


class ForecastOut(BaseModel):
    item_id: int
    sku: str
    window_days: int
    horizon_days: int
    daily_forecast: list[float]
    reorder_point: float
    needs_reorder: bool
