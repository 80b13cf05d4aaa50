import pytest
from fastapi.testclient import TestClient

from app import main
from app.retriever import Hit


@pytest.fixture()
def client(monkeypatch):
    monkeypatch.setattr(main, "INGEST_TOKEN", "test-token")
    return TestClient(main.app)


def test_health_ok(client, monkeypatch):
    monkeypatch.setattr(main.retriever, "count", lambda: 14)
    resp = client.get("/health")
    assert resp.status_code == 200
    assert resp.json()["status"] == "ok"


def test_ask_rejects_short_question(client):
    resp = client.post("/ask", json={"question": "hi"})
    assert resp.status_code == 422


def test_ask_returns_sources(client, monkeypatch):
    hit = Hit(doc_id="refunds#timing", title="Refunds", text="5-10 business days", score=0.71)
    monkeypatch.setattr(main.retriever, "search", lambda q, k: [hit])
    monkeypatch.setattr(
        main, "answer_question", lambda q, hits, tier: ("5-10 business days [refunds#timing]", {"cost_usd": 0.0003})
    )
    resp = client.post("/ask", json={"question": "How long do refunds take?"})
    body = resp.json()
    assert resp.status_code == 200
    assert body["sources"][0]["doc_id"] == "refunds#timing"
    assert "[refunds#timing]" in body["answer"]


def test_ask_without_hits_escalates(client, monkeypatch):
    monkeypatch.setattr(main.retriever, "search", lambda q, k: [])
    resp = client.post("/ask", json={"question": "Do you sell gift cards?"})
    assert resp.json()["answer"] == main.NO_ANSWER


def test_ingest_requires_token(client):
    resp = client.post("/ingest", json={"path": "docs/kb"})
    assert resp.status_code == 401
