"""Layout/regex field extractor with an LLM fallback for missing fields.

Flow: OCR pages -> regex + simple layout heuristics per field -> any required field
that is missing (or below regex.min_confidence) is asked to the LLM in one call ->
build and validate an Invoice.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Optional

import yaml
from pydantic import ValidationError

from app.llm_fallback import LlmFallback
from app.ocr import OcrPage
from app.schema import FieldSource, Invoice, LineItem

log = logging.getLogger(__name__)

CONFIG_PATH = os.getenv("EXTRACT_CONFIG", "config/extract.yaml")
REQUIRED_FIELDS = ("vendor_name", "invoice_number", "invoice_date", "total")
OPTIONAL_FIELDS = ("due_date", "currency", "subtotal", "vat_amount", "vendor_vat_id")

INVOICE_NO_RE = re.compile(
    r"(?:invoice|rechnung|inv)\s*(?:no\.?|nr\.?|number|#|-?nummer)\s*[:\-]?\s*([A-Z0-9][A-Z0-9\-/]{2,20})",
    re.IGNORECASE,
)
DATE_RE = re.compile(
    r"(?:invoice date|date of issue|rechnungsdatum|datum|date)\s*[:\-]?\s*"
    r"(\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2} [A-Za-z]+ \d{4}|[A-Za-z]+ \d{1,2}, \d{4})",
    re.IGNORECASE,
)
DUE_RE = re.compile(
    r"(?:due date|payment due|fällig(?:keit)?(?: am)?|zahlbar bis)\s*[:\-]?\s*"
    r"(\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2} [A-Za-z]+ \d{4})",
    re.IGNORECASE,
)
AMOUNT = r"([€£$]?\s?-?\d{1,3}(?:[.,\s]\d{3})*[.,]\d{2})"
TOTAL_RE = re.compile(r"(?:total due|amount due|grand total|gesamtbetrag|total|summe)\s*(?:\(?[A-Z]{3}\)?)?\s*[:\-]?\s*" + AMOUNT, re.IGNORECASE)
SUBTOTAL_RE = re.compile(r"(?:subtotal|net amount|nettobetrag|zwischensumme)\s*[:\-]?\s*" + AMOUNT, re.IGNORECASE)
VAT_RE = re.compile(r"(?:vat|mwst\.?|ust\.?|tax)\s*(?:\d{1,2}(?:[.,]\d)?\s?%)?\s*[:\-]?\s*" + AMOUNT, re.IGNORECASE)
VAT_ID_RE = re.compile(r"\b([A-Z]{2}\s?[0-9A-Z]{8,12})\b")
CURRENCY_RE = re.compile(r"\b(EUR|GBP|USD|CHF|SEK|DKK|PLN)\b|([€£$])")
LINE_ITEM_RE = re.compile(r"^(.{3,60}?)\s+(\d+(?:[.,]\d+)?)\s+" + AMOUNT + r"\s+" + AMOUNT + r"\s*$", re.MULTILINE)


def load_config(path: str = CONFIG_PATH) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def parse_amount(raw: str) -> Optional[Decimal]:
    s = raw.replace("€", "").replace("£", "").replace("$", "").replace(" ", "").strip()
    # decide decimal separator from the last one seen: 1.234,56 vs 1,234.56
    if "," in s and (s.rfind(",") > s.rfind(".")):
        s = s.replace(".", "").replace(",", ".")
    else:
        s = s.replace(",", "")
    try:
        return Decimal(s).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def parse_date(raw: str, formats: list[str]) -> Optional[date]:
    raw = raw.strip()
    for fmt in formats:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    # HACK: 2-digit years ("03.05.24"); assume 20xx
    m = re.match(r"(\d{1,2})[./](\d{1,2})[./](\d{2})$", raw)
    if m:
        return date(2000 + int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return None


@dataclass
class ExtractionResult:
    invoice: Optional[Invoice]
    status: str
    errors: list[str] = field(default_factory=list)
    llm_calls: int = 0
    llm_cost_usd: float = 0.0


class InvoiceExtractor:
    def __init__(self, config: Optional[dict] = None, llm: Optional[LlmFallback] = None):
        self.config = config or load_config()
        self.min_conf = float(self.config["regex"]["min_confidence"])
        self.date_formats = self.config["regex"]["date_formats"]
        enabled = os.getenv("LLM_FALLBACK_ENABLED", "true").lower() == "true"
        self.llm = llm if llm is not None else (LlmFallback(self.config["llm"]) if enabled else None)

    # --- per-field rules -------------------------------------------------
    def _vendor_from_layout(self, page: OcrPage) -> tuple[Optional[str], float]:
        """Vendor = the largest text line in the top 15% of page 1 (logo text / letterhead)."""
        if not page.words:
            return None, 0.0
        page_h = max(w["top"] + w["height"] for w in page.words)
        top = [w for w in page.words if w["top"] < 0.15 * page_h and w["conf"] > 50]
        if not top:
            return None, 0.0
        lines: dict[tuple, list[dict]] = {}
        for w in top:
            lines.setdefault(w["line"], []).append(w)
        best = max(lines.values(), key=lambda ws: max(w["height"] for w in ws))
        name = " ".join(w["text"] for w in sorted(best, key=lambda w: w["left"]))
        conf = min(1.0, sum(w["conf"] for w in best) / len(best) / 100)
        # letterheads that are just a logo give us "INVOICE" as the biggest line
        if name.strip().upper() in {"INVOICE", "RECHNUNG", "TAX INVOICE"}:
            return None, 0.0
        return name.strip(), conf * 0.8

    def _regex_fields(self, text: str) -> dict[str, tuple[object, float]]:
        found: dict[str, tuple[object, float]] = {}
        if m := INVOICE_NO_RE.search(text):
            found["invoice_number"] = (m.group(1), 0.9)
        if m := DATE_RE.search(text):
            d = parse_date(m.group(1), self.date_formats)
            if d:
                found["invoice_date"] = (d, 0.85)
        if m := DUE_RE.search(text):
            d = parse_date(m.group(1), self.date_formats)
            if d:
                found["due_date"] = (d, 0.8)
        # total: take the LAST match, "Total" also appears in table headers
        totals = TOTAL_RE.findall(text)
        if totals:
            amt = parse_amount(totals[-1])
            if amt is not None:
                found["total"] = (amt, 0.75 if len(totals) > 1 else 0.9)
        if m := SUBTOTAL_RE.search(text):
            found["subtotal"] = (parse_amount(m.group(1)), 0.8)
        if m := VAT_RE.search(text):
            found["vat_amount"] = (parse_amount(m.group(1)), 0.7)
        if m := VAT_ID_RE.search(text):
            found["vendor_vat_id"] = (m.group(1).replace(" ", ""), 0.6)
        if m := CURRENCY_RE.search(text):
            found["currency"] = (m.group(1) or m.group(2), 0.7)
        return found

    def _line_items(self, text: str) -> list[LineItem]:
        items = []
        for desc, qty, unit, amount in LINE_ITEM_RE.findall(text):
            try:
                items.append(
                    LineItem(
                        description=desc.strip(),
                        quantity=Decimal(qty.replace(",", ".")),
                        unit_price=parse_amount(unit),
                        amount=parse_amount(amount),
                    )
                )
            except (ValidationError, InvalidOperation, TypeError):
                continue  # a bad row is dropped, not fatal
        return items

    # --- main entry --------------------------------------------------------
    def extract(self, pages: list[OcrPage]) -> ExtractionResult:
        if not pages:
            return ExtractionResult(None, "failed", ["no pages"])
        text = "\n".join(p.text for p in pages)
        fields = self._regex_fields(text)
        sources = {k: FieldSource(method="regex", confidence=c) for k, (_, c) in fields.items()}
        vendor, vconf = self._vendor_from_layout(pages[0])
        if vendor:
            fields["vendor_name"] = (vendor, vconf)
            sources["vendor_name"] = FieldSource(method="layout", confidence=vconf)

        missing = [f for f in REQUIRED_FIELDS if f not in fields or fields[f][1] < self.min_conf]
        result = ExtractionResult(invoice=None, status="ok")
        if missing and self.llm is not None:
            llm_out = self.llm.fill_fields(text, missing + [f for f in OPTIONAL_FIELDS if f not in fields])
            result.llm_calls = 1
            result.llm_cost_usd = llm_out.cost_usd
            for name, value in llm_out.fields.items():
                if value in (None, ""):
                    continue
                if name in ("total", "subtotal", "vat_amount"):
                    value = parse_amount(str(value))
                elif name in ("invoice_date", "due_date"):
                    value = parse_date(str(value), self.date_formats + ["%Y-%m-%d"])
                if value is not None:
                    fields[name] = (value, 0.65)
                    sources[name] = FieldSource(method="llm", confidence=0.65)

        values = {k: v for k, (v, _) in fields.items() if v is not None}
        values["line_items"] = self._line_items(text)
        values["sources"] = sources
        try:
            invoice = Invoice(**values)
        except ValidationError as exc:
            result.status = "failed" if any(f not in values for f in REQUIRED_FIELDS) else "needs_review"
            result.errors = [e["msg"] for e in exc.errors()]
            return result
        low_conf = [k for k, s in sources.items() if s.confidence < self.min_conf]
        if invoice.warnings or low_conf or len(pages) >= self.config["ocr"]["max_pages"]:
            result.status = "needs_review"
        result.invoice = invoice
        return result
