"""Streamlit chat UI for the HR policy assistant.

    streamlit run app.py

The employee id comes from the SSO header in production; locally set HRQA_DEV_EMPLOYEE_ID.
"""
from __future__ import annotations

import logging
import os
import uuid

import streamlit as st
from langchain_core.messages import AIMessage, HumanMessage

from policy_agent.agent import build_agent, run_turn
from policy_agent.retrieval import save_feedback
from policy_agent.settings import get_settings

logging.basicConfig(level=logging.INFO)
settings = get_settings()

st.set_page_config(page_title="HR Policy Assistant", page_icon="💬")
st.title("HR Policy Assistant")
st.caption("Answers come from the HR policy handbook. Not legal advice. "
           "Don't paste bank details or health information.")


def current_employee_id() -> str | None:
    # FIXME: behind the proxy the id is in X-Employee-Id; st.context.headers is read-only and
    # not available in all Streamlit versions, so we fall back to an env var for the demo
    headers = getattr(st, "context", None) and st.context.headers
    if headers and headers.get("X-Employee-Id"):
        return headers["X-Employee-Id"]
    return os.getenv("HRQA_DEV_EMPLOYEE_ID")


if "conversation_id" not in st.session_state:
    st.session_state.conversation_id = str(uuid.uuid4())
    st.session_state.history = []          # LangChain messages
    st.session_state.display = []          # (role, text, meta)
    st.session_state.agent = build_agent(settings, employee_id=current_employee_id())

with st.sidebar:
    st.markdown(f"**Model:** `{settings.model}`")
    country = st.selectbox("Country", ["DE", "AT", "PL"], index=0)
    if st.button("New conversation"):
        for key in ("conversation_id", "history", "display", "agent"):
            st.session_state.pop(key, None)
        st.rerun()


def render_feedback(idx: int) -> None:
    rating = st.feedback("thumbs", key=f"fb_{st.session_state.conversation_id}_{idx}")
    if rating is not None and not st.session_state.get(f"fb_saved_{idx}"):
        comment = st.text_input("What was wrong?", key=f"fbc_{idx}") if rating == 0 else None
        save_feedback(st.session_state.conversation_id, idx, rating, comment, settings.model)
        st.session_state[f"fb_saved_{idx}"] = True
        st.toast("Thanks for the feedback!")


for i, (role, text, meta) in enumerate(st.session_state.display):
    with st.chat_message(role):
        st.markdown(text)
        if role == "assistant":
            if meta.get("tools"):
                st.caption("Tools: " + ", ".join(meta["tools"]) + f" · {meta['latency_s']:.1f} s")
            render_feedback(i)

if prompt := st.chat_input("Ask about leave, travel, expenses, remote work ..."):
    st.session_state.display.append(("user", prompt, {}))
    with st.chat_message("user"):
        st.markdown(prompt)
    with st.chat_message("assistant"), st.spinner("Looking it up ..."):
        # country is passed as a hint in the text; the tool signature has its own default
        result = run_turn(
            st.session_state.agent,
            st.session_state.history,
            f"[country: {country}] {prompt}",
            settings=settings,
            conversation_id=st.session_state.conversation_id,
        )
        st.markdown(result.answer)
    st.session_state.history += [HumanMessage(prompt), AIMessage(result.answer)]
    # TODO: history grows unbounded; trim to the last 10 turns before it hits the context window
    st.session_state.display.append(
        ("assistant", result.answer, {"tools": result.tool_calls, "latency_s": result.latency_s})
    )
    st.rerun()
