"""The queues a module reads from or writes to (``queues`` of a ``main`` CLI_COMMAND).

A worker run as ``python -m pkg.worker`` is known by the queue it pops from; the name is what
another system must push to. Found by the call alone: Redis list and stream commands (their names
say it), RabbitMQ through pika, SQS through boto3, Kafka through kafka-python/confluent/aiokafka.
"""

from __future__ import annotations

import ast

from specagent.ingest.python_common import Ctx, kwargs, last_name, unparse
from specagent.ingest.records import QueueUse

#: Redis list/stream commands (redis-py spells them in lower case) -> (mode of the first key,
#: mode of the second key for the commands that move an item from one list to another).
_REDIS = {
    "blpop": ("read", None),
    "brpop": ("read", None),
    "lpop": ("read", None),
    "rpop": ("read", None),
    "lpush": ("write", None),
    "rpush": ("write", None),
    "lpushx": ("write", None),
    "rpushx": ("write", None),
    "rpoplpush": ("read", "write"),
    "brpoplpush": ("read", "write"),
    "lmove": ("read", "write"),
    "blmove": ("read", "write"),
    "xadd": ("write", None),
}
#: Stream reads name their streams in a ``{name: last_id}`` mapping.
_REDIS_STREAMS = frozenset(("xread", "xreadgroup"))
#: Calls too common to trust unless the module imports the client that defines them.
_BY_IMPORT: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    # method -> (mode, keyword names of the queue, first one wins; positional 0 otherwise)
    "pika": {
        "basic_consume": ("read", ("queue",)),
        "basic_get": ("read", ("queue",)),
        "basic_publish": ("write", ("routing_key",)),
    },
    "boto3": {
        "receive_message": ("read", ("QueueUrl",)),
        "send_message": ("write", ("QueueUrl",)),
        "send_message_batch": ("write", ("QueueUrl",)),
    },
    "kafka": {"subscribe": ("read", ("topics",)), "send": ("write", ("topic",))},
    "aiokafka": {
        "subscribe": ("read", ("topics",)),
        "send": ("write", ("topic",)),
        "send_and_wait": ("write", ("topic",)),
    },
    "confluent_kafka": {"subscribe": ("read", ("topics",)), "produce": ("write", ("topic",))},
    "redis": {"subscribe": ("read", ()), "psubscribe": ("read", ()), "publish": ("write", ("channel",))},
}
#: Kafka consumers take their topics as positional arguments.
_CONSUMERS = frozenset(("KafkaConsumer", "AIOKafkaConsumer"))


def _names(ctx: Ctx, node: ast.expr | None, line: int) -> list[tuple[str | None, str]]:
    """(name, expression text) for each queue an argument names: one string, or a list of them.
    The name is None when this file cannot tell it (``settings.queue``)."""
    if node is None:
        return []
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [pair for elt in node.elts for pair in _names(ctx, elt, line)]
    listed = ctx.strings(node) if isinstance(node, ast.Name) else None
    if listed:
        return [(name, name) for name in listed]
    return [(ctx.string(node, at=line), unparse(node, 80))]


def _uses(ctx: Ctx, call: ast.Call) -> list[tuple[ast.expr | None, str]]:
    """(argument naming a queue, read|write) for one call, or nothing."""
    if not isinstance(call.func, ast.Attribute):
        name = last_name(call.func) or ""
        if name in _CONSUMERS:
            return [(arg, "read") for arg in call.args if not isinstance(arg, ast.Starred)]
        return []
    method = call.func.attr
    kw = kwargs(call)
    args = call.args
    if method in _REDIS:
        first, second = _REDIS[method]
        out: list[tuple[ast.expr | None, str]] = []
        key = args[0] if args else kw.get("name") or kw.get("keys") or kw.get("first_list") or kw.get("src")
        out.append((key, first))
        if second is not None:
            out.append((args[1] if len(args) > 1 else kw.get("second_list") or kw.get("dst"), second))
        return out
    if method in _REDIS_STREAMS:
        streams = kw.get("streams") or (args[-1] if args else None)
        if isinstance(streams, ast.Dict):
            return [(k, "read") for k in streams.keys if k is not None]
        return []
    for package, methods in _BY_IMPORT.items():
        if package in ctx.imported and method in methods:
            mode, keys = methods[method]
            node = next((kw[k] for k in keys if k in kw), None)
            if node is None and args:
                node = args[0]
            return [(node, mode)]
    return []


def queue_uses(ctx: Ctx) -> list[QueueUse]:
    """Every queue the module reads or writes, first use first, one entry per (queue, mode).

    Each entry: ``name`` (the queue, list, stream or topic, or None when this file cannot tell),
    ``expr`` (the argument as written: ``settings.queue``), ``mode`` (read|write), ``call`` (the
    method, e.g. ``blpop``), ``line`` and ``quote`` (for a citation).
    """
    out: dict[tuple[str, str], QueueUse] = {}
    for call in ctx.index.calls:
        with ctx.guard("queue call", call):
            for node, mode in _uses(ctx, call):
                if node is None or isinstance(node, ast.Starred):
                    continue
                for name, expr in _names(ctx, node, call.lineno):
                    key = (name or expr, mode)
                    if key not in out:
                        out[key] = QueueUse(
                            name=name,
                            expr=expr,
                            mode=mode,
                            call=last_name(call.func),
                            line=call.lineno,
                            quote=ctx.quote(call.lineno, call.lineno),
                        )
    return list(out.values())
