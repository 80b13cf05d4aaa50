"""Token usage and estimated cost of model calls.

Prices are USD per million tokens (input, output) for a few well-known models; a model not in
the table shows tokens only (its cost stays ``None``), so no figure is ever made up.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

#: USD per 1M tokens (input, output). Local models cost nothing but the machine.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "o4-mini": (1.10, 4.40),
    "local": (0.0, 0.0),
}


def price_of(model: str) -> tuple[float, float] | None:
    """(input, output) USD per 1M tokens, or None for a model the table does not know."""
    if model.startswith("local"):
        return PRICES["local"]
    return PRICES.get(model)


@dataclass
class Usage:
    """Calls, tokens and cost of one run; thread-safe so concurrent sections can add to it."""

    model: str
    calls: int = 0
    cached: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def tokens(self) -> int:
        return self.tokens_in + self.tokens_out

    @property
    def cost_usd(self) -> float | None:
        """Estimated cost; None when the model's price is unknown."""
        price = price_of(self.model)
        if price is None:
            return None
        return (self.tokens_in * price[0] + self.tokens_out * price[1]) / 1_000_000

    def add_call(self, tokens_in: int, tokens_out: int) -> None:
        """Count one model call that reached the endpoint."""
        with self._lock:
            self.calls += 1
            self.tokens_in += tokens_in
            self.tokens_out += tokens_out

    def add_cached(self) -> None:
        """Count one answer served from the cache or a recording (no call made)."""
        with self._lock:
            self.cached += 1

    def summary(self) -> str:
        """One line: ``3 calls (2 cached), 5,120 tokens in / 610 out, $0.0012``."""
        cost = self.cost_usd
        money = f", ${cost:.4f}" if cost is not None else " (cost unknown for this model)"
        return (
            f"{self.calls} model calls ({self.cached} cached), {self.tokens_in:,} tokens in / "
            f"{self.tokens_out:,} out{money}"
        )
