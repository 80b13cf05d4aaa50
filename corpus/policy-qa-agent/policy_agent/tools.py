"""The agent's tools: policy search, leave balance, escalation to the HR helpdesk."""
from __future__ import annotations

import json
import logging

import httpx
from langchain.tools import tool

from . import retrieval
from .schemas import EscalationCategory, EscalationTicket, LeaveBalance, TicketReceipt
from .settings import get_settings

log = logging.getLogger(__name__)


@tool
def search_policies(query: str, country: str = "DE") -> str:
    """Search the HR policy handbook (leave, travel, expenses, remote work, benefits,
    code of conduct). Use this for any question about what a policy says.
    `country` is a two-letter code: DE, AT or PL. Returns passages with policy id,
    version and page so you can cite them."""
    hits = retrieval.search(query, country=country)
    if not hits:
        return "NO_RESULTS: nothing in the policy handbook matched. Ask a clarifying question or escalate."
    return json.dumps([h.model_dump(mode="json") for h in hits], ensure_ascii=False)


def _leave_client() -> httpx.Client:
    s = get_settings()
    return httpx.Client(
        base_url=s.leave_api_url,
        headers={"Authorization": f"Bearer {s.leave_api_token.get_secret_value()}"},
        timeout=s.leave_api_timeout_s,
    )


@tool
def get_leave_balance(employee_id: str) -> str:
    """Look up the current leave balance (annual leave taken/remaining, carry-over,
    sick days) of ONE employee. `employee_id` looks like E123456. Only call this for
    the employee who is asking; the UI passes their id in the system prompt."""
    # TODO: enforce server-side that employee_id == logged-in user (today only the prompt says so)
    try:
        with _leave_client() as client:
            resp = client.get(f"/v2/employees/{employee_id}/balances", params={"year": "current"})
            resp.raise_for_status()
    except httpx.TimeoutException:
        log.warning("leave API timeout for %s", employee_id)
        return "ERROR: the leave system did not answer in time. Tell the user to try again later."
    except httpx.HTTPStatusError as exc:
        if exc.response.status_code == 404:
            return f"ERROR: no employee {employee_id} in the leave system."
        log.error("leave API %s: %s", exc.response.status_code, exc.response.text[:200])
        return "ERROR: the leave system returned an error."
    data = resp.json()
    # the API returns hours for part-timers; we only handle days for now
    if data.get("unit", "days") != "days":  # FIXME: part-time employees get no balance at all
        return "ERROR: balance is kept in hours for this employee; escalate to HR."
    bal = LeaveBalance(
        employee_id=employee_id,
        annual_days_entitled=data["entitlement"],
        annual_days_taken=data["taken"],
        annual_days_remaining=data["remaining"],
        carry_over_days=data.get("carryOver", 0.0),
        carry_over_expires=data.get("carryOverExpires"),
        sick_days_taken=data.get("sickDays", 0),
        as_of=data["asOf"],
    )
    return bal.model_dump_json()


@tool
def escalate_to_hr(summary: str, details: str, category: str = "other",
                   priority: str = "normal") -> str:
    """Open a ticket with the HR helpdesk. Use when the policy does not answer the
    question, when the user asks for an exception, or when the user asks to talk to a
    person. `category` is one of leave, pay, conduct, legal, other. Do NOT escalate
    twice in one conversation."""
    s = get_settings()
    ticket = EscalationTicket(
        category=EscalationCategory(category) if category in EscalationCategory._value2member_map_
        else EscalationCategory.OTHER,
        summary=summary[:200],
        details=details,
        priority=priority if priority in ("low", "normal", "high") else "normal",
    )
    payload = {"queue": s.helpdesk_queue, "source": "hr-policy-assistant", **ticket.model_dump(mode="json")}
    resp = httpx.post(
        f"{s.helpdesk_url}/api/v1/tickets",
        json=payload,
        headers={"Authorization": f"Token {s.helpdesk_token.get_secret_value()}"},
        timeout=10.0,
    )
    # no retry: a duplicate ticket is worse than a missing one (HR's call)
    if resp.status_code != 201:
        log.error("helpdesk %s: %s", resp.status_code, resp.text[:200])
        return "ERROR: could not open a ticket. Give the user the HR mailbox instead: hr-help@example.com"
    receipt = TicketReceipt.model_validate(resp.json())
    return f"Ticket {receipt.ticket_id} opened: {receipt.url}"


ALL_TOOLS = [search_policies, get_leave_balance, escalate_to_hr]
