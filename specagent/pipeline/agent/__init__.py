"""The LLM drafting agent: evidence-bound section drafting over the offline spec."""

from specagent.pipeline.agent.run import AgentReport, draft_with_model, open_client

__all__ = ["AgentReport", "draft_with_model", "open_client"]
