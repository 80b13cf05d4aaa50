from tests.conftest import AUTH


def test_create_item_returns_201(client):
    resp = client.post(
        "/api/v1/items",
        json={"sku": "GRD-0001", "name": "Rake", "unit_price": "12.50", "quantity_on_hand": 3},
        headers=AUTH,
    )
    assert resp.status_code == 201
    assert resp.json()["sku"] == "GRD-0001"


def test_duplicate_sku_is_409(client, item):
    resp = client.post(
        "/api/v1/items",
        json={"sku": "GRD-0042", "name": "Another hose", "unit_price": "9.99"},
        headers=AUTH,
    )
    assert resp.status_code == 409


def test_requires_token(client):
    assert client.get("/api/v1/items").status_code == 401


def test_low_stock_flag(client, item):
    resp = client.patch(f"/api/v1/items/{item['id']}", json={"quantity_on_hand": 4}, headers=AUTH)
    assert resp.json()["low_stock"] is True


def test_order_decrements_stock(client, item):
    resp = client.post(
        "/api/v1/orders",
        json={"customer_email": "ana@example.com", "lines": [{"item_id": item["id"], "quantity": 2}]},
        headers=AUTH,
    )
    assert resp.status_code == 201
    assert resp.json()["total"] == "49.80"
    assert client.get(f"/api/v1/items/{item['id']}", headers=AUTH).json()["quantity_on_hand"] == 10


def test_order_more_than_stock_is_409(client, item):
    resp = client.post(
        "/api/v1/orders",
        json={"customer_email": "ana@example.com", "lines": [{"item_id": item["id"], "quantity": 50}]},
        headers=AUTH,
    )
    assert resp.status_code == 409
