import os

os.environ.setdefault("API_TOKEN", "test-token")
os.environ["DATABASE_URL"] = "sqlite:///./test_inventory.db"

import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from app.db import Base, engine  # noqa: E402
from app.main import create_app  # noqa: E402

AUTH = {"Authorization": f"Bearer {os.environ['API_TOKEN']}"}


@pytest.fixture()
def client():
    Base.metadata.drop_all(bind=engine)
    Base.metadata.create_all(bind=engine)
    with TestClient(create_app()) as c:
        yield c


@pytest.fixture()
def item(client):
    resp = client.post(
        "/api/v1/items",
        json={"sku": "GRD-0042", "name": "Garden hose 25 m", "unit_price": "24.90",
              "quantity_on_hand": 12, "reorder_level": 5},
        headers=AUTH,
    )
    return resp.json()
