"""The chat client's pieces: lazy model construction, cache keys, usage and cost, structured modes."""

from __future__ import annotations

from pathlib import Path

import pytest

from specagent.errors import ModelError
from specagent.llm.cache import ResponseCache, exchange_key
from specagent.llm.chat import ChatClient
from specagent.llm.record import Recorder, Replayer
from specagent.llm.structured import extract_json, is_unsupported, strict_schema
from specagent.llm.usage import Usage
from specagent.pipeline.agent.schemas import targets_schema

MESSAGES = [{"role": "system", "content": "rules"}, {"role": "user", "content": "task"}]
SCHEMA = {"type": "object", "properties": {}}


def _never() -> object:
    raise AssertionError("a cached answer must not build (or start) the model")


def test_a_cached_answer_never_builds_the_model(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "c.sqlite")
    key = exchange_key("local:m", MESSAGES, SCHEMA, {"max_tokens": 10, "temperature": 0}, "v1")
    cache.put(key, {"content": "{}", "finish_reason": "stop", "tokens_in": 5, "tokens_out": 1})
    client = ChatClient("local:m", _never, cache=cache)  # type: ignore[arg-type]
    answer = client.ask("t", MESSAGES, schema_name="S", schema=SCHEMA, max_tokens=10, prompt_version="v1")
    assert answer.source == "cache" and client.usage.calls == 0 and client.usage.cached == 1
    # Anything that shapes the answer is in the key.
    other = exchange_key("local:m", MESSAGES, SCHEMA, {"max_tokens": 10, "temperature": 0}, "v2")
    assert other != key


def test_replay_miss_is_one_line(tmp_path: Path) -> None:
    Recorder(tmp_path).save("k" * 64, "overview", {"model": "m", "messages": []}, {"content": "{}"})
    replayer = Replayer(tmp_path)
    assert replayer.models == {"m"}
    with pytest.raises(ModelError, match="no recorded answer for the risks request") as info:
        replayer.get("x" * 64, "risks")
    assert "\n" not in str(info.value)
    with pytest.raises(ModelError, match="no such recording folder"):
        Replayer(tmp_path / "missing")


def test_cost_is_known_only_for_priced_models() -> None:
    usage = Usage("gpt-4o-mini")
    usage.add_call(1_000_000, 1_000_000)
    assert usage.cost_usd == pytest.approx(0.75)
    unknown = Usage("my-gateway-model")
    unknown.add_call(10, 10)
    assert unknown.cost_usd is None and "cost unknown" in unknown.summary()
    assert Usage("local:qwen").cost_usd == 0.0


def test_strict_schema_requires_everything_and_lists_one_value_enums() -> None:
    schema = strict_schema(targets_schema(["E1", "E2"], ["SM-001"]))
    target = schema["$defs"]["TargetOut"]
    assert target["additionalProperties"] is False and set(target["required"]) == set(target["properties"])
    assert target["properties"]["item"]["enum"] == ["SM-001"]
    assert target["properties"]["cites"]["items"]["enum"] == ["E1", "E2"]
    assert target["properties"]["cites"]["maxItems"] == 3
    assert schema["properties"]["targets"]["maxItems"] == 1


def test_fenced_json_is_found_and_unsupported_formats_are_recognised() -> None:
    assert extract_json('Sure:\n```json\n{"a": 1}\n```\nbye') == '{"a": 1}'
    assert extract_json('noise {"a": {"b": 2}} tail') == '{"a": {"b": 2}}'
    assert is_unsupported(400, "response_format json_schema is not supported")
    assert not is_unsupported(400, "context length exceeded")
    assert not is_unsupported(500, "response_format")
