"""Module entry points: how a ``__main__`` module is run, and the queues a worker reads or writes."""

from __future__ import annotations

import textwrap

from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_parser import parse_python
from specagent.pipeline.offline import draft_offline
from specagent.spec.model import Interface


def _facts(files: dict[str, str]) -> list[Fact]:
    facts: list[Fact] = []
    for path, src in files.items():
        facts += parse_python(path, textwrap.dedent(src).lstrip("\n")).facts
    return facts


def _clis(files: dict[str, str]) -> dict[str, Interface]:
    spec = draft_offline(_facts(files), "demo")
    return {i.name: i for i in spec.interfaces if i.kind == "cli"}


WORKER = '''
"""Job worker: pop jobs, run them, push results.

Started by the deploy script.
"""
import redis

from jobs.config import load

INBOX = "jobs:in"


def run() -> None:
    settings = load()
    r = redis.Redis()
    while True:
        _, raw = r.blpop(INBOX, timeout=5)
        r.rpush(settings.results, raw)
        r.lpush(settings.audit, raw)


if __name__ == "__main__":
    run()
'''
CONFIG = """
from dataclasses import dataclass


@dataclass
class Settings:
    results: str = "jobs:done"
    audit: str = "audit:a"


@dataclass
class Other:
    audit: str = "audit:b"
"""


def test_worker_is_run_as_a_module_and_names_its_queues() -> None:
    clis = _clis({"jobs/__init__.py": "", "jobs/worker.py": WORKER, "jobs/config.py": CONFIG})
    assert list(clis) == ["python -m jobs.worker"]
    item = clis["python -m jobs.worker"]
    # `settings.audit` has two different defaults in the project: the expression, not a guess
    assert item.summary == (
        "Job worker: pop jobs, run them, push results. Reads queue `jobs:in` (`blpop`). "
        "Writes queue `jobs:done` (`rpush`), `settings.audit` (`lpush`)."
    )
    assert [(c.path, c.start_line) for c in item.sources] == [
        ("jobs/worker.py", 21),  # the __main__ block
        ("jobs/worker.py", 16),  # blpop
        ("jobs/worker.py", 17),  # rpush
        ("jobs/config.py", 4),  # Settings.results = "jobs:done"
        ("jobs/worker.py", 18),  # lpush
    ]


def test_scripts_outside_packages_run_by_path() -> None:
    main = 'if __name__ == "__main__":\n    print("hi")\n'
    clis = _clis({"run_job.py": main, "scripts/backfill.py": main, "tools/__init__.py": "", "tools/sync.py": main})
    assert sorted(clis) == ["python -m tools.sync", "python run_job.py", "python scripts/backfill.py"]
    assert all(not i.summary for i in clis.values())


def test_package_main_that_starts_another_cli_is_not_a_second_interface() -> None:
    cli = """
    import argparse


    def main() -> None:
        parser = argparse.ArgumentParser(description="Tool.")
        parser.add_argument("--n", type=int, default=1)
        parser.parse_args()


    if __name__ == "__main__":
        main()
    """
    files = {"tool/__init__.py": "", "tool/cli.py": cli, "tool/__main__.py": "from .cli import main\n\nmain()\n"}
    clis = _clis(files)
    assert list(clis) == ["python -m tool.cli"]  # argparse once, no `python -m tool` twin
    assert clis["python -m tool.cli"].summary == "Tool."


def test_package_main_that_runs_a_loop_is_python_dash_m_package() -> None:
    files = {
        "svc/__init__.py": "",
        "svc/loop.py": "def serve() -> None:\n    pass\n",
        "svc/__main__.py": '"""Serve forever."""\nfrom svc.loop import serve\n\nserve()\n',
    }
    clis = _clis(files)
    assert list(clis) == ["python -m svc"]
    assert clis["python -m svc"].summary == "Serve forever."
    [source] = clis["python -m svc"].sources
    assert (source.path, source.start_line, source.quote) == ("svc/__main__.py", 4, "serve()")


def test_queue_clients_by_their_calls() -> None:
    src = """
    import boto3
    import pika
    from kafka import KafkaConsumer

    QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/1/orders"


    def main(ch, sqs, producer):
        ch.basic_consume(queue="emails", on_message_callback=print)
        ch.basic_publish(exchange="", routing_key="bounces", body=b"")
        sqs.receive_message(QueueUrl=QUEUE_URL)
        consumer = KafkaConsumer("clicks", "views")
        producer.send("enriched", b"")
        stream = r.xread(streams={"events": "$"})
        r.brpoplpush("todo", "doing")


    if __name__ == "__main__":
        main(None, None, None)
    """
    [cmd] = [f for f in _facts({"consume.py": src}) if f.kind == FactKind.CLI_COMMAND]
    uses = [(q.name, q.mode, q.call) for q in cmd.detail.queues]
    assert uses == [
        ("emails", "read", "basic_consume"),
        ("bounces", "write", "basic_publish"),
        ("https://sqs.eu-west-1.amazonaws.com/1/orders", "read", "receive_message"),
        ("clicks", "read", "KafkaConsumer"),
        ("views", "read", "KafkaConsumer"),
        ("enriched", "write", "send"),
        ("events", "read", "xread"),
        ("todo", "read", "brpoplpush"),
        ("doing", "write", "brpoplpush"),
    ]


def test_send_is_no_queue_without_a_queue_client() -> None:
    src = """
    import socket


    def main(sock):
        sock.send(b"x")


    if __name__ == "__main__":
        main(socket.socket())
    """
    [cmd] = [f for f in _facts({"ping.py": src}) if f.kind == FactKind.CLI_COMMAND]
    assert cmd.detail.queues == []
