"""The OpenAI-compatible provider: which key and base URL a model call uses.

Any endpoint that speaks the OpenAI protocol works (OpenAI, Azure-style gateways, Ollama, vLLM,
llama.cpp's server, LM Studio): set ``OPENAI_API_KEY`` and, for anything but OpenAI itself,
``OPENAI_BASE_URL``. A local server without authentication still needs some key value.
"""

from __future__ import annotations

from dataclasses import dataclass

from specagent.config import Settings
from specagent.errors import UsageError


@dataclass(frozen=True)
class Provider:
    """Connection details for one OpenAI-compatible endpoint."""

    api_key: str
    base_url: str | None
    timeout_s: float
    max_retries: int

    @property
    def where(self) -> str:
        return self.base_url or "api.openai.com"


def provider_from(settings: Settings, purpose: str) -> Provider:
    """The provider ``settings`` configure; a missing key is one line that says how to fix it."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
    if not key:
        raise UsageError(
            f"{purpose} needs an OpenAI-compatible endpoint: set OPENAI_API_KEY "
            "(and OPENAI_BASE_URL for a local or self-hosted server)"
        )
    return Provider(
        api_key=key,
        base_url=settings.openai_base_url or None,
        timeout_s=settings.request_timeout_s,
        max_retries=settings.max_retries,
    )
