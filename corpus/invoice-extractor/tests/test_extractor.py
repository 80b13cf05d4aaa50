from datetime import date
from decimal import Decimal

from app.extractor import InvoiceExtractor, parse_amount, parse_date
from app.llm_fallback import LlmResult
from app.ocr import OcrPage

SAMPLE_TEXT = """Nordlicht Software AB
Invoice No: NL-88213
Invoice date: 12/02/2024
Due date: 13/03/2024
Subtotal 1.000,00
VAT 25% 250,00
Total EUR 1.250,00
"""


class FakeLlm:
    def __init__(self, fields):
        self.fields = fields
        self.calls = []

    def fill_fields(self, text, wanted):
        self.calls.append(wanted)
        return LlmResult(fields={k: v for k, v in self.fields.items() if k in wanted}, cost_usd=0.0004)


def _page(text, vendor="Nordlicht Software AB"):
    words = [{"text": t, "left": 10 * i, "top": 5, "width": 40, "height": 30, "conf": 95.0, "line": (1, 1, 1)}
             for i, t in enumerate(vendor.split())]
    words.append({"text": "filler", "left": 0, "top": 1000, "width": 10, "height": 10, "conf": 90.0, "line": (9, 1, 1)})
    return OcrPage(number=1, text=text, words=words, mean_conf=93.0)


def test_parse_amount_both_separators():
    assert parse_amount("1.234,56") == Decimal("1234.56")
    assert parse_amount("$1,234.56") == Decimal("1234.56")


def test_parse_date_two_digit_year():
    assert parse_date("03.05.24", ["%d.%m.%Y"]) == date(2024, 5, 3)


def test_regex_path_needs_no_llm(config):
    llm = FakeLlm({})
    res = InvoiceExtractor(config, llm=llm).extract([_page(SAMPLE_TEXT)])
    assert res.invoice is not None
    assert res.invoice.invoice_number == "NL-88213"
    assert res.invoice.total == Decimal("1250.00")
    assert llm.calls == []


def test_llm_fills_missing_invoice_number(config):
    text = SAMPLE_TEXT.replace("Invoice No: NL-88213\n", "")
    llm = FakeLlm({"invoice_number": "NL-88213"})
    res = InvoiceExtractor(config, llm=llm).extract([_page(text)])
    assert res.llm_calls == 1
    assert res.invoice.invoice_number == "NL-88213"
    assert res.invoice.sources["invoice_number"].method == "llm"


def test_no_pages_fails(config):
    res = InvoiceExtractor(config, llm=FakeLlm({})).extract([])
    assert res.status == "failed"
