import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.models import Clause, ClauseType, Contract

pytestmark = pytest.mark.django_db


def _contract(**kw):
    return Contract.objects.create(
        title="MSA Acme", file=SimpleUploadedFile("msa.pdf", b"%PDF-1.4"), **kw
    )


def test_upload_returns_202(api, django_capture_on_commit_callbacks):
    pdf = SimpleUploadedFile("nda.pdf", b"%PDF-1.4 fake", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        resp = api.post("/api/contracts/", {"title": "NDA", "file": pdf}, format="multipart")
    assert resp.status_code == 202
    assert resp.json()["status"] == "pending"


def test_upload_rejects_non_pdf(api):
    doc = SimpleUploadedFile("nda.docx", b"PK..", content_type="application/octet-stream")
    resp = api.post("/api/contracts/", {"title": "NDA", "file": doc}, format="multipart")
    assert resp.status_code == 400


def test_clauses_hide_other_by_default(api):
    c = _contract(status=Contract.Status.DONE)
    Clause.objects.create(contract=c, clause_type=ClauseType.GOVERNING_LAW, text="laws of England",
                          page_start=9, page_end=9, confidence=0.97)
    Clause.objects.create(contract=c, clause_type=ClauseType.OTHER, text="Notices...",
                          page_start=10, page_end=10, confidence=0.9)
    resp = api.get(f"/api/contracts/{c.id}/clauses/")
    assert [x["clause_type"] for x in resp.json()["clauses"]] == ["governing_law"]


def test_clauses_unknown_type_is_400(api):
    c = _contract()
    resp = api.get(f"/api/contracts/{c.id}/clauses/?type=indemnity")
    assert resp.status_code == 400


def test_reextract_while_processing_is_409(api):
    c = _contract(status=Contract.Status.PROCESSING)
    resp = api.post(f"/api/contracts/{c.id}/reextract/")
    assert resp.status_code == 409
