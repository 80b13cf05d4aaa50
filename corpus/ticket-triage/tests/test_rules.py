import pytest

from triage.models import Category, Ticket
from triage.redact import redact
from triage.rules import classify_rules


def _t(body, subject=""):
    return Ticket(id="T-1", subject=subject, body=body)


@pytest.mark.parametrize("body,expected", [
    ("I forgot my password and can't log in", Category.account_access),
    ("We were charged twice, please refund", Category.billing),
    ("Export gives an error 500", Category.bug_report),
    ("Would be great to have dark mode", Category.feature_request),
    ("How do I add a second user?", Category.how_to),
])
def test_rules_basic(body, expected):
    assert classify_rules(_t(body)).label == expected


def test_rules_unmatched_defaults_to_how_to_with_low_confidence():
    r = classify_rules(_t("hello there"))
    assert r.label == Category.how_to
    assert r.confidence == 0.2
    assert r.source == "rules"


def test_cancellation_is_billing():
    # the prompt says cancellations are billing; the rules agree (the gold data doesn't, see notes)
    assert classify_rules(_t("Please cancel our subscription")).label == Category.billing


def test_redact_masks_email():
    assert redact("write to a.b@example.com") == "write to [EMAIL]"


@pytest.mark.xfail(reason="phone redaction not switched on yet")
def test_redact_masks_phone():
    assert "[PHONE]" in redact("call +43 660 1234567")
