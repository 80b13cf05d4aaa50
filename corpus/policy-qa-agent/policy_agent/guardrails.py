"""Input/output guardrails: PII masking and the no-legal-advice rule.

Runs *outside* the agent: mask_pii() before the user text reaches the LLM, and
check_legal() decides whether we answer at all. Regex-based on purpose (fast, no extra
model call); Presidio was tried and dropped, see notes/decisions.md D4.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .settings import load_prompt

# order matters: IBAN before the generic long-number rule
PII_PATTERNS: dict[str, re.Pattern[str]] = {
    "IBAN": re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,3})?\b"),
    "EMAIL": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"),
    "PHONE": re.compile(r"(?<!\w)(?:\+49|0049|0)[\s/-]?\d{2,5}[\s/-]?\d{3,9}\b"),
    "TAX_ID": re.compile(r"\b\d{11}\b"),                # German Steuer-ID
    "SOCIAL_SECURITY": re.compile(r"\b\d{2}\s?\d{6}\s?[A-Z]\s?\d{3}\b"),
}

# employee ids (E123456) are NOT masked: get_leave_balance needs them
EMPLOYEE_ID = re.compile(r"\bE\d{6}\b")

LEGAL_TRIGGERS = [
    r"\b(sue|lawsuit|lawyer|attorney|court|tribunal)\b",
    r"\bk(ü|ue)ndigungsschutz",
    r"\b(is|was) (it|this|that) (legal|illegal|lawful)\b",
    r"\bwrongful(ly)? (dismiss|terminat)",
    r"\bdiscriminat(ion|ed)\b.*\b(claim|case)\b",
    r"\bsettlement (agreement|offer)\b",
]
_LEGAL_RE = re.compile("|".join(LEGAL_TRIGGERS), re.IGNORECASE)


@dataclass
class GuardResult:
    text: str
    masked: dict[str, int] = field(default_factory=dict)
    refuse: bool = False
    reason: str | None = None


def mask_pii(text: str) -> GuardResult:
    counts: dict[str, int] = {}
    for label, pattern in PII_PATTERNS.items():
        text, n = pattern.subn(f"[{label}]", text)
        if n:
            counts[label] = n
    return GuardResult(text=text, masked=counts)


def check_legal(text: str) -> GuardResult:
    """Refuse questions asking for legal advice. HR's rule: we explain policy, never law."""
    if _LEGAL_RE.search(text):
        return GuardResult(text=load_prompt("legal_refusal.txt"), refuse=True, reason="legal_advice")
    return GuardResult(text=text)


def apply_input_guards(text: str) -> GuardResult:
    legal = check_legal(text)
    if legal.refuse:
        return legal
    return mask_pii(text)


def mask_output(text: str) -> str:
    # the leave API sometimes echoes the employee's e-mail in error messages
    return mask_pii(text).text
    # TODO: output-side check for legal wording ("you are entitled by law to ...")
