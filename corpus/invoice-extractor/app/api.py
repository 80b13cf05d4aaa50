"""Flask API: POST /extract, GET /invoices/<id>, GET /healthz."""
from __future__ import annotations

import logging
import os
import time

from dotenv import load_dotenv
from flask import Flask, jsonify, request
from pdf2image.exceptions import PDFPageCountError

from app import store
from app.extractor import InvoiceExtractor, load_config
from app.ocr import ocr_pdf
from app.schema import ExtractResponse

load_dotenv()
log = logging.getLogger(__name__)

MAX_UPLOAD_MB = int(os.getenv("MAX_UPLOAD_MB", "15"))


def create_app(extractor: InvoiceExtractor | None = None) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_MB * 1024 * 1024
    cfg = load_config()
    app.extensions["extractor"] = extractor or InvoiceExtractor(cfg)
    store.init_db()

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok", llm_fallback=app.extensions["extractor"].llm is not None)

    @app.post("/extract")
    def extract():
        """Upload one PDF as multipart field `file`; returns an ExtractResponse."""
        upload = request.files.get("file")
        if upload is None or upload.filename == "":
            return jsonify(error="missing multipart field 'file'"), 400
        if not upload.filename.lower().endswith(".pdf") and upload.mimetype != "application/pdf":
            return jsonify(error="only PDF uploads are supported"), 415
        pdf_bytes = upload.read()
        started = time.perf_counter()
        try:
            pages = ocr_pdf(
                pdf_bytes,
                dpi=cfg["ocr"]["dpi"],
                max_pages=cfg["ocr"]["max_pages"],
                psm=cfg["ocr"]["psm"],
            )
        except PDFPageCountError:
            return jsonify(error="could not read PDF"), 422
        result = app.extensions["extractor"].extract(pages)
        latency_ms = int((time.perf_counter() - started) * 1000)
        invoice_json = result.invoice.model_dump_json() if result.invoice else None
        row_id = store.save_extraction(
            pdf_bytes,
            upload.filename,
            result.status,
            invoice_json,
            result.errors,
            pages=len(pages),
            latency_ms=latency_ms,
            llm_calls=result.llm_calls,
            llm_cost_usd=result.llm_cost_usd,
        )
        resp = ExtractResponse(
            id=row_id,
            invoice=result.invoice,
            status=result.status,
            errors=result.errors,
            pages=len(pages),
            latency_ms=latency_ms,
            llm_calls=result.llm_calls,
            llm_cost_usd=round(result.llm_cost_usd, 6),
        )
        code = 200 if result.status != "failed" else 422
        return app.response_class(resp.model_dump_json(), status=code, mimetype="application/json")

    @app.get("/invoices/<int:invoice_id>")
    def get_invoice(invoice_id: int):
        # TODO: no auth at all; anyone on the network can read every invoice
        row = store.get_extraction(invoice_id)
        if row is None:
            return jsonify(error="not found"), 404
        return jsonify(row)

    @app.errorhandler(413)
    def too_large(_):
        return jsonify(error=f"file larger than {MAX_UPLOAD_MB} MB"), 413

    return app
