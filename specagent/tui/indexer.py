"""Run ``index_repository`` in a child process, its events relayed back to the app.

Why a process and not only a thread: parts of indexing hold the GIL for long stretches (the
vector store's writes), and in a thread they froze the interface for up to two seconds
(benchmarks/tui_bench.py measured it). In a child process the app answers keys at once. The
child (``python -m specagent.tui.indexer``) calls the same library function the CLI does; its
arguments arrive pickled on stdin, and its events, then its result, go back pickled on a copy
of stdout (the real stdout and stderr point at /dev/null, so nothing a library prints can reach
the terminal the TUI draws on, or the event stream). The child runs at a lower priority (nice
10): embedding takes every core, and the keys must still be answered. Cancelling sends SIGTERM: the child stops
at its next event (the index's own crash-safety covers a run stopped half-way); one that has
not stopped after :data:`STOP_GRACE_S` is killed.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from specagent.config import Settings
from specagent.errors import SpecagentError
from specagent.events import Event, EventSink
from specagent.pipeline.indexing import IndexReport, index_repository

#: Seconds a cancelled child gets to stop on its own before it is killed.
STOP_GRACE_S = 5.0


class IndexCancelled(Exception):
    """The person cancelled the run."""


class _Stop(Exception):
    pass


def _child_main() -> None:
    """The child: read (root, settings, lock_timeout), index, write events and the outcome."""
    out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    # Background work: on a busy machine the scheduler must prefer the interface's process.
    os.nice(10)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    root, settings, lock_timeout = pickle.load(sys.stdin.buffer)

    def send(kind: str, payload: Any) -> None:
        pickle.dump((kind, payload), out)
        out.flush()

    def sink(event: Event) -> None:
        if stop.is_set():
            raise _Stop
        send("event", event)

    try:
        report = index_repository(root, settings=settings, lock_timeout=lock_timeout, on_event=sink)
    except _Stop:
        send("cancelled", None)
    except SpecagentError as exc:
        send("error", str(exc))
    except Exception as exc:
        send("error", f"internal error: {type(exc).__name__}: {exc}")
    else:
        send("done", report)


def _read(stream: IO[bytes], into: queue.Queue[tuple[str, Any]]) -> None:
    try:
        while True:
            into.put(pickle.load(stream))
    except (EOFError, OSError, pickle.UnpicklingError):
        into.put(("eof", None))


def index_in_process(
    root: Path,
    settings: Settings,
    *,
    lock_timeout: float,
    on_event: EventSink,
    cancelled: Callable[[], bool],
) -> IndexReport:
    """Index ``root`` in a child process; raises SpecagentError (one line) or IndexCancelled."""
    child = subprocess.Popen(
        [sys.executable, "-m", "specagent.tui.indexer"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert child.stdin is not None and child.stdout is not None
    received: queue.Queue[tuple[str, Any]] = queue.Queue()
    reader = threading.Thread(target=_read, args=(child.stdout, received), daemon=True)
    reader.start()
    try:
        child.stdin.write(pickle.dumps((Path(root), settings, lock_timeout)))
        child.stdin.close()
        stop_asked: float | None = None
        while True:
            if stop_asked is None and cancelled():
                child.send_signal(signal.SIGTERM)
                stop_asked = time.monotonic()
            if stop_asked is not None and time.monotonic() - stop_asked > STOP_GRACE_S:
                raise IndexCancelled
            try:
                kind, payload = received.get(timeout=0.1)
            except queue.Empty:
                continue
            if kind == "event":
                on_event(payload)
            elif kind == "done":
                report: IndexReport = payload  # unpickled: the child sends its IndexReport with "done"
                return report
            elif kind == "cancelled":
                raise IndexCancelled
            elif kind == "error":
                raise SpecagentError(payload)
            else:  # the stream ended without an outcome
                if stop_asked is not None:
                    raise IndexCancelled
                raise SpecagentError(f"the indexer stopped unexpectedly (exit code {child.wait()})")
    finally:
        try:
            child.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        reader.join(timeout=1)
        child.stdout.close()


if __name__ == "__main__":
    _child_main()
