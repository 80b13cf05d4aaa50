"""Structured output that works on any OpenAI-compatible server.

Three modes, tried in order until the server accepts one (a server that lacks a mode answers
400, and the next is tried; the mode that worked is remembered for the rest of the run):

1. ``json_schema``: ``response_format`` with the strict JSON Schema (OpenAI, vLLM, llama.cpp's
   server enforce it as a grammar, so enums and ``maxItems`` hold);
2. ``json_object``: JSON mode; the schema goes into the prompt and pydantic checks the answer;
3. ``prompt``: no ``response_format`` at all; the schema goes into the prompt and the answer is
   read from a fenced ```json block (or its outermost braces).

Whatever the mode, the answer is validated by pydantic afterwards, so the fallbacks are as safe
as the first mode, only more likely to need a repair round.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import BaseModel

Mode = Literal["json_schema", "json_object", "prompt"]
MODES: tuple[Mode, ...] = ("json_schema", "json_object", "prompt")

_FENCE = re.compile(r"```(?:json)?\s*(\{.*?\})\s*```", re.DOTALL)
# Words a server uses when it rejects a response_format it does not support.
_UNSUPPORTED = re.compile(r"response_format|json_schema|json_object|schema|not supported|unsupported", re.IGNORECASE)


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of ``model`` in the shape strict mode wants: every property required and
    no extra properties, in every object (pydantic's ``extra="forbid"`` already says the latter)."""
    schema = model.model_json_schema()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "const" in node:
                # pydantic writes a one-value Literal as const; enum is what every server knows.
                node["enum"] = [node.pop("const")]
            if node.get("type") == "object" and "properties" in node:
                node["additionalProperties"] = False
                node["required"] = list(node["properties"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def response_format(mode: Mode, name: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    """The ``response_format`` request field for ``mode`` (None: send none)."""
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "strict": True, "schema": schema}}
    if mode == "json_object":
        return {"type": "json_object"}
    return None


def schema_instruction(mode: Mode, schema: dict[str, Any]) -> str | None:
    """Text appended to the last message when the server does not enforce the schema."""
    if mode == "json_schema":
        return None
    text = "Answer with one JSON object valid against this JSON Schema:\n" + json.dumps(schema, separators=(",", ":"))
    if mode == "prompt":
        text += "\nPut it in a ```json fenced block and write nothing else."
    return text


def extract_json(content: str) -> str:
    """The JSON text inside an answer: a fenced block, else the outermost braces, else as is."""
    fenced = _FENCE.search(content)
    if fenced:
        return fenced.group(1)
    start, end = content.find("{"), content.rfind("}")
    if 0 <= start < end:
        return content[start : end + 1]
    return content


def is_unsupported(status: int | None, message: str) -> bool:
    """Whether a server's error means "I do not support this response_format"."""
    return status in (400, 422, 501) and bool(_UNSUPPORTED.search(message))
