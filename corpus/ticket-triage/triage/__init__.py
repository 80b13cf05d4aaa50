"""Support-ticket triage prototype (LLM + keyword fallback)."""
__version__ = "0.2.0"
