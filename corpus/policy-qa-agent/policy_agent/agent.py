"""Builds the LangChain agent and runs one chat turn with the guardrails around it."""
from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field

from langchain.agents import create_agent
from langchain.chat_models import init_chat_model
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.errors import GraphRecursionError

from .guardrails import apply_input_guards, mask_output
from .settings import Settings, get_settings, load_prompt
from .tools import ALL_TOOLS

log = logging.getLogger(__name__)


@dataclass
class TurnResult:
    answer: str
    tool_calls: list[str] = field(default_factory=list)
    refused: bool = False
    latency_s: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    hit_step_limit: bool = False


def build_agent(settings: Settings | None = None, employee_id: str | None = None):
    s = settings or get_settings()
    model = init_chat_model(s.model, temperature=s.temperature, timeout=30, max_retries=2)
    system = load_prompt("system.md").format(
        employee_id=employee_id or "unknown",
        today=time.strftime("%Y-%m-%d"),
    )
    return create_agent(model=model, tools=ALL_TOOLS, system_prompt=system)


def run_turn(agent, history: list, user_text: str, settings: Settings | None = None,
             conversation_id: str | None = None) -> TurnResult:
    """One user message -> one answer. `history` is the list of prior LangChain messages."""
    s = settings or get_settings()
    conversation_id = conversation_id or str(uuid.uuid4())
    t0 = time.perf_counter()

    guard = apply_input_guards(user_text)
    if guard.refuse:
        return TurnResult(answer=guard.text, refused=True, latency_s=time.perf_counter() - t0)
    if guard.masked:
        log.info("conv=%s masked PII %s", conversation_id, guard.masked)

    messages = [*history, HumanMessage(guard.text)]
    try:
        state = agent.invoke(
            {"messages": messages},
            config={"recursion_limit": s.max_agent_steps * 2,  # one step = model node + tools node
                    "metadata": {"conversation_id": conversation_id}},
        )
    except GraphRecursionError:
        # HACK: the agent keeps calling search_policies with rephrased queries on vague
        # questions; we cut it off and ask the user to be more specific.
        log.warning("conv=%s hit step limit", conversation_id)
        return TurnResult(
            answer=load_prompt("clarify.txt"),
            latency_s=time.perf_counter() - t0,
            hit_step_limit=True,
        )

    new_msgs = state["messages"][len(messages):]
    tool_calls = [m.name for m in new_msgs if isinstance(m, ToolMessage)]
    final = next(m for m in reversed(new_msgs) if isinstance(m, AIMessage))
    usage = [m.usage_metadata or {} for m in new_msgs if isinstance(m, AIMessage)]
    return TurnResult(
        answer=mask_output(final.text),
        tool_calls=tool_calls,
        latency_s=time.perf_counter() - t0,
        input_tokens=sum(u.get("input_tokens", 0) for u in usage),
        output_tokens=sum(u.get("output_tokens", 0) for u in usage),
    )
