import pytest

from policy_agent.guardrails import apply_input_guards, check_legal, mask_pii


def test_masks_iban_and_email():
    r = mask_pii("My IBAN is DE89 3704 0044 0532 0130 00, mail me at jan.k@example.com")
    assert "[IBAN]" in r.text and "[EMAIL]" in r.text
    assert r.masked == {"IBAN": 1, "EMAIL": 1}


def test_keeps_employee_id():
    r = mask_pii("How much leave does E123456 have?")
    assert "E123456" in r.text


@pytest.mark.parametrize("q", [
    "Can I sue the company over unpaid overtime?",
    "Is it legal to refuse my holiday in August?",
    "Should I get a lawyer?",
])
def test_refuses_legal_questions(q):
    assert check_legal(q).refuse


def test_policy_question_not_refused():
    r = apply_input_guards("How many days can I work from home?")
    assert not r.refuse


@pytest.mark.xfail(reason="keyword list misses enforceability questions, known_issues.md #4")
def test_non_compete_is_refused():
    assert check_legal("Is the non-compete clause in my contract enforceable?").refuse
