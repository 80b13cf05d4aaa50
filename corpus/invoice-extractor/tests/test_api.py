import io

import pytest

from app import store
from app.extractor import ExtractionResult


class StubExtractor:
    llm = None

    def extract(self, pages):
        return ExtractionResult(invoice=None, status="failed", errors=["no pages"])


@pytest.fixture
def client(tmp_path, monkeypatch):
    # FIXME: store functions bind DB_PATH as a default arg at import time, so this patch
    # does not reach get_extraction(); the 404 test still reads ./invoices.sqlite3
    monkeypatch.setattr(store, "DB_PATH", str(tmp_path / "t.sqlite3"))
    monkeypatch.setattr("app.api.ocr_pdf", lambda *a, **k: [])
    from app.api import create_app

    return create_app(extractor=StubExtractor()).test_client()


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json["status"] == "ok"


def test_extract_requires_file(client):
    assert client.post("/extract", data={}).status_code == 400


def test_extract_rejects_non_pdf(client):
    data = {"file": (io.BytesIO(b"hello"), "invoice.png", "image/png")}
    assert client.post("/extract", data=data, content_type="multipart/form-data").status_code == 415


def test_unknown_invoice_is_404(client):
    assert client.get("/invoices/9999").status_code == 404
