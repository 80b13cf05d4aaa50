"""Mask PII in ticket text before it is sent to OpenAI."""
from __future__ import annotations

import re

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# FIXME: phone numbers, IBANs and card numbers are NOT masked yet; tickets T-10233 and
# T-10417 in the sample contain a full IBAN and the last 4 card digits.
PHONE_RE = re.compile(r"\+?\d[\d \-]{7,}\d")


def redact(text: str, patterns: tuple[str, ...] = ("email",)) -> str:
    if "email" in patterns:
        text = EMAIL_RE.sub("[EMAIL]", text)
    if "phone" in patterns:
        # not switched on: it also eats invoice numbers like 2024-000123-77
        text = PHONE_RE.sub("[PHONE]", text)
    return text
