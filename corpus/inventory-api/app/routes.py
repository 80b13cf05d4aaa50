"""HTTP routes under /api/v1: items CRUD, orders, low-stock list, forecast."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Response, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import forecast
from app.db import get_db
from app.models import Item, Order, OrderLine, OrderStatus, StockMovement
from app.schemas import (
    ForecastOut,
    ItemCreate,
    ItemOut,
    ItemUpdate,
    OrderCreate,
    OrderOut,
    OrderStatusUpdate,
)
from app.settings import get_settings, load_config


def require_token(authorization: str = Header(default="")) -> None:
    """Every route needs ``Authorization: Bearer <API_TOKEN>``."""
    if authorization != f"Bearer {get_settings().api_token}":
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="invalid token")


router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_token)])


def _item_out(item: Item) -> ItemOut:
    threshold = item.reorder_level or get_settings().low_stock_threshold
    out = ItemOut.model_validate(item)
    out.low_stock = item.quantity_on_hand <= threshold
    return out


def _order_out(order: Order) -> OrderOut:
    total = sum((line.unit_price * line.quantity for line in order.lines), Decimal("0"))
    return OrderOut.model_validate({**order.__dict__, "lines": order.lines, "total": total})


def _get_item(db: Session, item_id: int) -> Item:
    item = db.get(Item, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail=f"item {item_id} not found")
    return item


@router.get("/items", response_model=list[ItemOut])
def list_items(
    low_stock: bool = False,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
    db: Session = Depends(get_db),
) -> list[ItemOut]:
    items = db.scalars(select(Item).order_by(Item.sku).offset(offset).limit(limit)).all()
    out = [_item_out(i) for i in items]
    # filtering after the page is cut means a "low stock" page can come back short
    return [o for o in out if o.low_stock] if low_stock else out


@router.post("/items", response_model=ItemOut, status_code=status.HTTP_201_CREATED)
def create_item(payload: ItemCreate, db: Session = Depends(get_db)) -> ItemOut:
    if db.scalar(select(Item).where(Item.sku == payload.sku)):
        raise HTTPException(status_code=409, detail=f"sku {payload.sku} already exists")
    item = Item(**payload.model_dump())
    db.add(item)
    db.commit()
    db.refresh(item)
    return _item_out(item)


@router.get("/items/{item_id}", response_model=ItemOut)
def get_item(item_id: int, db: Session = Depends(get_db)) -> ItemOut:
    return _item_out(_get_item(db, item_id))


@router.patch("/items/{item_id}", response_model=ItemOut)
def update_item(item_id: int, payload: ItemUpdate, db: Session = Depends(get_db)) -> ItemOut:
    item = _get_item(db, item_id)
    changes = payload.model_dump(exclude_unset=True)
    if "quantity_on_hand" in changes:
        delta = changes["quantity_on_hand"] - item.quantity_on_hand
        db.add(StockMovement(item_id=item.id, delta=delta, reason="count"))
    for key, value in changes.items():
        setattr(item, key, value)
    db.commit()
    db.refresh(item)
    return _item_out(item)


@router.delete("/items/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_item(item_id: int, db: Session = Depends(get_db)) -> Response:
    db.delete(_get_item(db, item_id))
    db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/items/{item_id}/forecast", response_model=ForecastOut)
def item_forecast(item_id: int, db: Session = Depends(get_db)) -> ForecastOut:
    """Moving-average demand for the next days and whether stock is below the reorder point."""
    item = _get_item(db, item_id)
    cfg = load_config().get("forecast", {})
    window = get_settings().forecast_window_days
    horizon = cfg.get("horizon_days", 14)
    history = forecast.daily_sales(db, item.id, days=max(window, 28))
    daily = forecast.moving_average_forecast(history, window=window, horizon=horizon)
    lead_time = item.supplier.lead_time_days if item.supplier else cfg.get("lead_time_days", 5)
    rop = forecast.reorder_point(daily, lead_time, cfg.get("safety_stock_days", 3))
    return ForecastOut(
        item_id=item.id,
        sku=item.sku,
        window_days=window,
        horizon_days=horizon,
        daily_forecast=daily,
        reorder_point=round(rop, 1),
        needs_reorder=item.quantity_on_hand <= rop,
    )


@router.post("/orders", response_model=OrderOut, status_code=status.HTTP_201_CREATED)
def create_order(payload: OrderCreate, db: Session = Depends(get_db)) -> OrderOut:
    """Create an order and take its quantities out of stock; 409 if any line is short."""
    order = Order(customer_email=payload.customer_email, status=OrderStatus.pending)
    db.add(order)
    db.flush()
    for line in payload.lines:
        item = _get_item(db, line.item_id)
        # FIXME: no row lock (SELECT ... FOR UPDATE); two concurrent orders can oversell an item
        if item.quantity_on_hand < line.quantity:
            db.rollback()
            raise HTTPException(status_code=409, detail=f"not enough stock for {item.sku}")
        item.quantity_on_hand -= line.quantity
        db.add(OrderLine(order_id=order.id, item_id=item.id, quantity=line.quantity,
                         unit_price=item.unit_price))
        db.add(StockMovement(item_id=item.id, delta=-line.quantity, reason="sale",
                             order_id=order.id))
    db.commit()
    db.refresh(order)
    return _order_out(order)


@router.get("/orders", response_model=list[OrderOut])
def list_orders(
    status_filter: OrderStatus | None = Query(None, alias="status"),
    limit: int = Query(50, ge=1, le=200),
    db: Session = Depends(get_db),
) -> list[OrderOut]:
    query = select(Order).order_by(Order.created_at.desc()).limit(limit)
    if status_filter is not None:
        query = query.where(Order.status == status_filter)
    return [_order_out(o) for o in db.scalars(query).all()]


@router.get("/orders/{order_id}", response_model=OrderOut)
def get_order(order_id: int, db: Session = Depends(get_db)) -> OrderOut:
    order = db.get(Order, order_id)
    if order is None:
        raise HTTPException(status_code=404, detail=f"order {order_id} not found")
    return _order_out(order)


@router.patch("/orders/{order_id}/status", response_model=OrderOut)
def update_order_status(
    order_id: int, payload: OrderStatusUpdate, db: Session = Depends(get_db)
) -> OrderOut:
    order = db.get(Order, order_id)
    if order is None:
        raise HTTPException(status_code=404, detail=f"order {order_id} not found")
    # TODO: enforce allowed transitions (pending -> confirmed -> shipped; no un-cancel)
    order.status = payload.status
    db.commit()
    db.refresh(order)
    return _order_out(order)


@router.delete("/orders/{order_id}", status_code=status.HTTP_204_NO_CONTENT)
def cancel_order(order_id: int, db: Session = Depends(get_db)) -> Response:
    """Cancel an order and put its quantities back in stock."""
    order = db.get(Order, order_id)
    if order is None:
        raise HTTPException(status_code=404, detail=f"order {order_id} not found")
    if order.status == OrderStatus.shipped:
        raise HTTPException(status_code=409, detail="order already shipped")
    for line in order.lines:
        line.item.quantity_on_hand += line.quantity
        db.add(StockMovement(item_id=line.item_id, delta=line.quantity, reason="cancel",
                             order_id=order.id))
    order.status = OrderStatus.cancelled
    db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
