"""Facts from calls: environment variables read, files read and written, services called."""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import (
    SECRET_RE,
    Ctx,
    dotted,
    kwargs,
    last_name,
    unparse,
)

# --------------------------------------------------------------------------------------------
# environment variables
# --------------------------------------------------------------------------------------------


@dataclass
class _EnvRead:
    name: str
    accessor: str
    default: Any
    has_default: bool
    node: ast.AST
    #: the read raises when the variable is unset (``os.environ["X"]``); ``os.getenv`` does not
    strict: bool = False


def _env_key(ctx: Ctx, node: ast.AST | None) -> str | None:
    key = ctx.string(node)
    if key and "{" not in key and key.strip() == key:
        return key
    return None


def _env_reads(ctx: Ctx) -> list[_EnvRead]:
    reads: list[_EnvRead] = []
    for sub in ctx.index.subscripts:
        if not isinstance(sub.ctx, ast.Load):
            continue
        with ctx.guard("environment read", sub):
            if ctx.qual(sub.value) != "os.environ":
                continue
            key = _env_key(ctx, sub.slice)
            if key:
                reads.append(_EnvRead(key, "os.environ", None, False, sub, strict=True))
    for call in ctx.index.calls:
        with ctx.guard("environment read", call):
            name = ctx.qual(call.func)
            if name not in (
                "os.getenv",
                "os.environ.get",
                "os.environ.setdefault",
                "os.environ.pop",
                "decouple.config",
            ):
                continue
            kw = kwargs(call)
            key_node = call.args[0] if call.args else kw.get("key")
            key = _env_key(ctx, key_node)
            if not key:
                continue
            default_node = call.args[1] if len(call.args) > 1 else kw.get("default")
            accessor = {"os.getenv": "os.getenv", "decouple.config": "dotenv"}.get(name, "os.environ")
            default = ctx.value_or_text(default_node) if default_node is not None else None
            # getenv/environ.get give None when unset; a subscript, pop() or decouple raise
            strict = default_node is None and name in ("os.environ.pop", "decouple.config")
            reads.append(_EnvRead(key, accessor, default, default_node is not None, call, strict))
    return reads


def extract_env_vars(ctx: Ctx) -> None:
    """One ENV_VAR per variable name, first read cited.

    ``required`` when some read fails without it (``os.environ["X"]``); ``os.getenv("X")`` with
    no default tolerates absence, so on its own it is not required.
    """
    by_name: dict[str, list[_EnvRead]] = {}
    for read in sorted(_env_reads(ctx), key=lambda r: (r.node.lineno, r.node.col_offset)):  # type: ignore[attr-defined]
        by_name.setdefault(read.name, []).append(read)
    for name, reads in by_name.items():
        first = reads[0]
        with_default = next((r for r in reads if r.has_default), None)
        ctx.add_node(
            FactKind.ENV_VAR,
            name,
            {
                "accessor": first.accessor,
                "default": with_default.default if with_default else None,
                "required": any(r.strict for r in reads),
                "is_secret": bool(SECRET_RE.search(name)),
            },
            first.node,
        )


def add_setting_env(
    ctx: Ctx,
    name: str,
    *,
    default: Any,
    required: bool,
    node: ast.AST,
    secret: bool = False,
) -> None:
    """An ENV_VAR read through a settings mechanism (pydantic-settings, click/typer envvar)."""
    ctx.add_node(
        FactKind.ENV_VAR,
        name,
        {
            "accessor": "settings",
            "default": default,
            "required": required,
            "is_secret": secret or bool(SECRET_RE.search(name)),
        },
        node,
    )


# --------------------------------------------------------------------------------------------
# file io
# --------------------------------------------------------------------------------------------

_EXT_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".pkl": "pickle",
    ".pickle": "pickle",
    ".joblib": "joblib",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".npy": "npy",
    ".npz": "npz",
    ".txt": "text",
    ".md": "text",
    ".log": "text",
    ".xlsx": "excel",
    ".xls": "excel",
    ".feather": "feather",
    ".h5": "hdf5",
    ".hdf5": "hdf5",
    ".pt": "torch",
    ".pth": "torch",
    ".html": "html",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".svg": "svg",
    ".pdf": "pdf",
    ".db": "sqlite",
    ".sqlite": "sqlite",
    ".xml": "xml",
    ".onnx": "onnx",
}

# call (last attribute or resolved name) -> (mode, format, index of the path argument, kwarg)
_PANDAS_READ = {
    "read_csv": "csv",
    "read_table": "tsv",
    "read_json": "json",
    "read_parquet": "parquet",
    "read_excel": "excel",
    "read_pickle": "pickle",
    "read_feather": "feather",
    "read_hdf": "hdf5",
    "read_html": "html",
    "read_xml": "xml",
    "read_orc": "orc",
    "read_ndjson": "jsonl",
    "scan_csv": "csv",
    "scan_parquet": "parquet",
}
_PANDAS_WRITE = {
    "to_csv": "csv",
    "to_json": "json",
    "to_parquet": "parquet",
    "to_excel": "excel",
    "to_pickle": "pickle",
    "to_feather": "feather",
    "to_hdf": "hdf5",
    "to_html": "html",
    "to_xml": "xml",
    "write_csv": "csv",
    "write_parquet": "parquet",
    "write_json": "json",
    "write_ndjson": "jsonl",
}
_DF_LIBS = {"pandas", "polars", "modin", "dask", "geopandas"}

# resolved module function -> (mode, format, path argument index)
_MODULE_IO: dict[str, tuple[str, str, int]] = {
    "json.load": ("read", "json", 0),
    "json.dump": ("write", "json", 1),
    "pickle.load": ("read", "pickle", 0),
    "pickle.dump": ("write", "pickle", 1),
    "joblib.load": ("read", "joblib", 0),
    "joblib.dump": ("write", "joblib", 1),
    "numpy.load": ("read", "npy", 0),
    "numpy.save": ("write", "npy", 0),
    "numpy.savez": ("write", "npz", 0),
    "numpy.savez_compressed": ("write", "npz", 0),
    "numpy.loadtxt": ("read", "text", 0),
    "numpy.savetxt": ("write", "text", 0),
    "numpy.genfromtxt": ("read", "text", 0),
    "yaml.safe_load": ("read", "yaml", 0),
    "yaml.load": ("read", "yaml", 0),
    "yaml.full_load": ("read", "yaml", 0),
    "yaml.safe_dump": ("write", "yaml", 1),
    "yaml.dump": ("write", "yaml", 1),
    "tomllib.load": ("read", "toml", 0),
    "tomli.load": ("read", "toml", 0),
    "toml.load": ("read", "toml", 0),
    "toml.dump": ("write", "toml", 1),
    "torch.load": ("read", "torch", 0),
    "torch.save": ("write", "torch", 1),
    "csv.reader": ("read", "csv", 0),
    "csv.DictReader": ("read", "csv", 0),
    "csv.writer": ("write", "csv", 0),
    "csv.DictWriter": ("write", "csv", 0),
    "matplotlib.pyplot.savefig": ("write", "image", 0),
    "cloudpickle.load": ("read", "pickle", 0),
    "cloudpickle.dump": ("write", "pickle", 1),
    "dill.load": ("read", "pickle", 0),
    "dill.dump": ("write", "pickle", 1),
}
_OPEN_FUNCTIONS = frozenset(("open", "io.open", "builtins.open", "codecs.open", "gzip.open", "bz2.open", "lzma.open"))
_MODE_RE = re.compile(r"^[rwxabtU+]{1,4}$")
# parsers of text: file io only when fed straight from ``path.read_text()``
_PARSE_TEXT = {
    "json.loads": "json",
    "yaml.safe_load": "yaml",
    "yaml.load": "yaml",
    "tomllib.loads": "toml",
    "tomli.loads": "toml",
    "toml.loads": "toml",
}
# which keyword names carry the path, by the call's last name
_PATH_KWARGS = ("path_or_buf", "filepath_or_buffer", "path", "io", "file", "fname", "filename", "f")

_PATH_METHODS = {
    "read_text": ("read", "text"),
    "read_bytes": ("read", "binary"),
    "write_text": ("write", "text"),
    "write_bytes": ("write", "binary"),
}


_EXT_RE = re.compile(r"\.(?:" + "|".join(e[1:] for e in _EXT_FORMATS) + r"|bin|safetensors|gguf)$", re.I)


def _format_of(target: str | None, fallback: str) -> str:
    if target:
        ext = posixpath.splitext(target.split("?")[0])[1].lower()
        if ext in _EXT_FORMATS:
            return _EXT_FORMATS[ext]
    return fallback


class _FileIO:
    """Collects FILE_IO facts; ``with open(...) as f`` handles are followed to their path."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        # id(open call) -> its fact fields (emitted unless a json/pickle/... call consumed it)
        self.opens: dict[int, dict[str, Any]] = {}
        self.handles: dict[str, ast.Call] = {}
        self.consumed: set[int] = set()
        self.folded: set[int] = set()  # read_text() calls already reported by their caller
        self.out: list[tuple[ast.Call, dict[str, Any]]] = []
        handle_at: list[tuple[int, int, str, ast.Call]] = []
        for item in ctx.index.withs:
            if isinstance(item.optional_vars, ast.Name) and isinstance(item.context_expr, ast.Call):
                handle_at.append(
                    (item.context_expr.lineno, item.context_expr.col_offset, item.optional_vars.id, item.context_expr)
                )
        for assign in ctx.index.assigns:
            if (
                isinstance(assign, ast.Assign)
                and len(assign.targets) == 1
                and isinstance(assign.targets[0], ast.Name)
                and isinstance(assign.value, ast.Call)
            ):
                handle_at.append((assign.value.lineno, assign.value.col_offset, assign.targets[0].id, assign.value))
        handle_at.sort(key=lambda h: (h[0], h[1]))
        self._handle_at = handle_at
        self._next_handle = 0

    def _advance(self, call: ast.Call) -> None:
        # Handles bound before this call are visible to it (calls are visited in source order).
        while self._next_handle < len(self._handle_at):
            line, col, name, value = self._handle_at[self._next_handle]
            if (line, col) > (call.lineno, call.col_offset):
                break
            if self._is_open(value):
                self.handles[name] = value
            else:
                self.handles.pop(name, None)
            self._next_handle += 1

    def _is_open(self, call: ast.Call) -> bool:
        name = self.ctx.qual(call.func)
        return name in _OPEN_FUNCTIONS or self._is_path_open(call)

    def _is_path_open(self, call: ast.Call) -> bool:
        """``Path(...).open(...)`` or ``some_path.open("w")``: the receiver is the path."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr != "open":
            return False
        if isinstance(func.value, ast.Call):
            return last_name(func.value.func) in ("Path", "PurePath")
        if self.ctx.qual(func) in _OPEN_FUNCTIONS or self.ctx.is_imported_name(func.value):
            return False  # gzip.open(...), Image.open(...), webbrowser.open(...)
        mode = call.args[0] if call.args else kwargs(call).get("mode")
        return mode is None or bool(
            isinstance(mode, ast.Constant) and isinstance(mode.value, str) and _MODE_RE.match(mode.value)
        )

    def _target(self, node: ast.AST | None, depth: int = 0) -> tuple[str, ast.Call | None]:
        """Text of a path argument; a handle from ``open`` is followed to the opened path."""
        if node is None:
            return "", None
        if depth > 3:  # `fh = open(fh)` must not chase itself
            return unparse(node), None
        if isinstance(node, ast.Call) and self._is_open(node):
            return self._open_target(node, depth + 1), node
        if isinstance(node, ast.Name) and node.id in self.handles:
            opened = self.handles[node.id]
            return self._open_target(opened, depth + 1), opened
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("read_text", "read_bytes")
        ):
            # json.load(s)(path.read_text()): one read of a json file, not a text read too
            self.folded.add(id(node))
            return self.path_text(node.func.value), None
        return self.path_text(node), None

    def path_text(self, node: ast.AST, depth: int = 0) -> str:
        """A path expression as text, with constants, ``Path(...)``, ``/`` and joins folded."""
        text = self._path_parts(node, depth)
        if text is not None:
            return text
        if (
            isinstance(node, ast.Call)
            and last_name(node.func) in ("Path", "PurePath", "PosixPath")
            and len(node.args) == 1
            and depth < 5
        ):
            return self.path_text(node.args[0], depth + 1)
        return unparse(node)

    def _path_parts(self, node: ast.AST, depth: int) -> str | None:
        ctx = self.ctx
        if depth > 5:
            return None
        text = ctx.string(node)
        if text is not None:
            return text
        if isinstance(node, ast.Name) and node.id in ctx.constants:
            return self._path_parts(ctx.constants[node.id], depth + 1)
        if isinstance(node, ast.Call):
            name = last_name(node.func)
            if name in ("Path", "PurePath", "PosixPath") and len(node.args) == 1:
                return self._path_parts(node.args[0], depth + 1)
            if ctx.qual(node.func) == "os.path.join" and node.args:
                parts = [self._part(arg, depth) for arg in node.args]
                return posixpath.join(*parts) if any("{" not in p for p in parts) else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            left, right = self._part(node.left, depth), self._part(node.right, depth)
            if "{" in left and "{" in right:
                return None
            return posixpath.join(left, right)
        return None

    def _part(self, node: ast.AST, depth: int) -> str:
        text = self._path_parts(node, depth + 1)
        return text if text is not None else "{" + unparse(node) + "}"

    def _open_target(self, call: ast.Call, depth: int = 0) -> str:
        if self._is_path_open(call):
            return self.path_text(call.func.value)  # type: ignore[attr-defined]
        node = call.args[0] if call.args else kwargs(call).get("file")
        return self._target(node, depth)[0]

    def visit(self, call: ast.Call) -> None:
        self._advance(call)
        if id(call) in self.folded:
            return
        ctx = self.ctx
        name = ctx.qual(call.func) or ""
        attr = last_name(call.func) or ""
        kw = kwargs(call)

        if name in _PARSE_TEXT and call.args and isinstance(call.args[0], ast.Call):
            inner = call.args[0]
            if isinstance(inner.func, ast.Attribute) and inner.func.attr in ("read_text", "read_bytes"):
                target, _ = self._target(inner)
                self._emit(call, "read", _PARSE_TEXT[name], target, dotted(call.func) or name)
                return

        if self._is_open(call):
            is_path_open = self._is_path_open(call)
            mode_node = (
                call.args[0]
                if is_path_open and call.args
                else call.args[1]
                if not is_path_open and len(call.args) > 1
                else kw.get("mode")
            )
            mode = ctx.string(mode_node) if mode_node is not None else "r"
            mode = mode or "r"
            target = self._open_target(call)
            writes = any(ch in mode for ch in "wax+")
            self.opens[id(call)] = {
                "call": "Path.open" if is_path_open else "open",
                "mode": "write" if writes else "read",
                "format": _format_of(target, "binary" if "b" in mode else "text"),
                "target": target,
                "_node": call,
            }
            return

        if name in _MODULE_IO:
            mode, fmt, index = _MODULE_IO[name]
            node = call.args[index] if len(call.args) > index else None
            if node is None:
                node = next((kw[k] for k in _PATH_KWARGS if k in kw), None)
            if node is None:
                return
            target, opened = self._target(node)
            if opened is not None:
                self.consumed.add(id(opened))
            fmt = _format_of(target, fmt) if fmt == "image" else fmt
            self._emit(call, mode, fmt, target, dotted(call.func) or name)
            return

        # read_csv(...) on anything but a dataframe library is the project's own function
        if attr in _PANDAS_READ and name.split(".")[0] in _DF_LIBS:
            node = call.args[0] if call.args else next((kw[k] for k in _PATH_KWARGS if k in kw), None)
            if node is not None:
                target, opened = self._target(node)
                if opened is not None:
                    self.consumed.add(id(opened))
                call_text = dotted(call.func) or f"pd.{attr}"
                self._emit(call, "read", _PANDAS_READ[attr], target, call_text)
            return

        if attr in _PANDAS_WRITE and isinstance(call.func, ast.Attribute):
            node = call.args[0] if call.args else next((kw[k] for k in _PATH_KWARGS if k in kw), None)
            if node is None or (isinstance(node, ast.Constant) and node.value is None):
                return  # to_csv() with no path returns a string
            target, opened = self._target(node)
            if opened is not None:
                self.consumed.add(id(opened))
            self._emit(call, "write", _PANDAS_WRITE[attr], target, f"DataFrame.{attr}")
            return

        if attr in _PATH_METHODS and isinstance(call.func, ast.Attribute):
            receiver = call.func.value
            if isinstance(receiver, ast.Call) and last_name(receiver.func) in (
                "Path",
                "PurePath",
            ):
                target = self._target(receiver.args[0] if receiver.args else None)[0]
            else:
                target = self.path_text(receiver)
            mode, fmt = _PATH_METHODS[attr]
            self._emit(call, mode, _format_of(target, fmt), target, f"Path.{attr}")
            return

        if attr == "savefig" and isinstance(call.func, ast.Attribute) and call.args:
            target, _ = self._target(call.args[0])
            self._emit(call, "write", _format_of(target, "image"), target, "savefig")

    def _emit(self, call: ast.Call, mode: str, fmt: str, target: str, call_text: str) -> None:
        self.out.append((call, {"mode": mode, "format": fmt, "target": target, "call": call_text}))

    def finish(self) -> None:
        for key, fields in self.opens.items():
            if key not in self.consumed:
                node = fields.pop("_node")
                self.out.append((node, fields))
        self.out.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
        for node, fields in self.out:
            detail = {
                "mode": fields["mode"],
                "format": fields["format"],
                "target": fields["target"],
                "call": fields["call"],
            }
            self.ctx.add_node(FactKind.FILE_IO, fields["target"] or fields["call"], detail, node)


# --------------------------------------------------------------------------------------------
# services
# --------------------------------------------------------------------------------------------

_MODEL_KWARGS = ("model", "model_name", "engine", "deployment_name", "azure_deployment", "model_id")

_LLM_PACKAGES = {
    "openai": "openai",
    "anthropic": "anthropic",
    "ollama": "ollama",
    "litellm": "litellm",
    "cohere": "cohere",
    "mistralai": "mistralai",
    "groq": "groq",
    "together": "together",
    "google": "google",
}
_LANGCHAIN_PREFIXES = ("langchain", "llama_index")
_HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"}
_VECTOR_DBS = {
    "chromadb": "chromadb",
    "pinecone": "pinecone",
    "qdrant_client": "qdrant",
    "weaviate": "weaviate",
    "pymilvus": "milvus",
    "lancedb": "lancedb",
}
_DATABASES = {
    "sqlite3": ("connect",),
    "psycopg": ("connect", "AsyncConnection", "Connection"),
    "psycopg2": ("connect",),
    "psycopg_pool": ("ConnectionPool", "AsyncConnectionPool"),
    "asyncpg": ("connect", "create_pool"),
    "pymysql": ("connect",),
    "mysql": ("connect",),
    "pymongo": ("MongoClient",),
    "motor": ("AsyncIOMotorClient",),
    "duckdb": ("connect",),
    "redis": ("Redis", "StrictRedis", "from_url", "ConnectionPool"),
    "elasticsearch": ("Elasticsearch", "AsyncElasticsearch"),
}
_QUEUES = {
    "celery": ("Celery",),
    "pika": ("BlockingConnection", "SelectConnection"),
    "kafka": ("KafkaProducer", "KafkaConsumer"),
    "confluent_kafka": ("Producer", "Consumer"),
    "aiokafka": ("AIOKafkaProducer", "AIOKafkaConsumer"),
}
_CLOUD = {
    "boto3": ("client", "resource", "Session"),
    "google.cloud": (),
    "azure": (),
}
_LOCAL_MODELS = {
    "sentence_transformers": ("SentenceTransformer", "CrossEncoder"),
    "transformers": ("pipeline", "from_pretrained"),
}


@dataclass
class _Service:
    name: str
    kind: str
    client: str
    endpoint: str | None
    models: list[str]
    node: ast.Call
    file_models: bool = False  # take the file's model names (LLM clients)


def _model_names(ctx: Ctx, call: ast.Call) -> list[str]:
    kw = kwargs(call)
    out = []
    for key in _MODEL_KWARGS:
        if key in kw:
            text = ctx.string(kw[key], at=call.lineno)
            if text and "{" not in text:
                out.append(text)
    return out


def _env_reference(ctx: Ctx, node: ast.AST | None, depth: int = 0) -> str | None:
    """``${NAME}`` when the value is read from environment variable NAME with no default."""
    if node is None or depth > 3:
        return None
    if isinstance(node, ast.Name) and node.id in ctx.constants:
        return _env_reference(ctx, ctx.constants[node.id], depth + 1)
    if isinstance(node, ast.Subscript) and ctx.qual(node.value) == "os.environ":
        key = ctx.string(node.slice)
        return f"${{{key}}}" if key else None
    if isinstance(node, ast.Call) and ctx.qual(node.func) in ("os.getenv", "os.environ.get"):
        key = ctx.string(node.args[0]) if node.args else None
        return f"${{{key}}}" if key else None
    return None


#: hosts that mean "this machine": a call there is the app talking to itself (or a test of it)
_LOCAL_HOSTS = frozenset(("localhost", "127.0.0.1", "0.0.0.0", "::1", "testserver"))
#: local ports of well-known servers that are services in their own right, not the app
# A URL read from configuration: ``CONFIG['dashboard_url']``, ``settings.api_url``.
_CONFIG_LOOKUP = re.compile(r"^[A-Za-z_][\w.]*(?:\[[^\[\]()]+\])+$|^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")
_SERVICE_PORTS = frozenset((1234, 4566, 6333, 6334, 7700, 8108, 8983, 9200, 11434, 19530))


def _local_value(ctx: Ctx, name: str, line: int) -> ast.expr | None:
    """The value last bound to ``name`` before ``line`` inside the function around that line."""
    around: Any = None
    for func in ctx.index.funcs:
        if func.lineno > line:
            break
        if (func.end_lineno or func.lineno) >= line:
            around = func
    if around is None:
        return None
    found: ast.expr | None = None
    for assign in ctx.index.assigns:
        if assign.lineno >= line:
            break
        if assign.lineno < around.lineno or not isinstance(assign, ast.Assign) or len(assign.targets) != 1:
            continue
        target = assign.targets[0]
        if isinstance(target, ast.Name) and target.id == name:
            found = assign.value
    return found


def _url_template(ctx: Ctx, node: ast.AST | None, line: int, depth: int = 0) -> str | None:
    """A URL as text: known parts verbatim, env vars as ``${NAME}``, other parts as ``{expr}``."""
    if node is None or depth > 4:
        return None
    known = ctx.string(node, at=line)
    if known is not None and "{" not in known:
        return known
    env = _env_reference(ctx, node)
    if env:
        return env
    if isinstance(node, ast.Name) and node.id not in ctx.constants:
        local = _local_value(ctx, node.id, line)
        if local is not None:
            return _url_template(ctx, local, line, depth + 1)
    if isinstance(node, ast.Name) and node.id in ctx.constants:
        return _url_template(ctx, ctx.constants[node.id], line, depth + 1)
    parts: list[ast.AST] | None = None
    if isinstance(node, ast.JoinedStr):
        parts = [v.value if isinstance(v, ast.FormattedValue) else v for v in node.values]
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = [node.left, node.right]
    if parts is None:
        return known if known is not None else "{" + unparse(node) + "}"
    out = []
    for part in parts:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            out.append(part.value)
        else:
            out.append(_url_template(ctx, part, line, depth + 1) or "{" + unparse(part) + "}")
    return "".join(out)


def _http_service(ctx: Ctx, node: ast.AST | None, line: int) -> tuple[str | None, str | None, bool]:
    """(name, endpoint, is_self) of an HTTP call's URL.

    Named by host (``hooks.slack.com``), by the environment variable holding the URL
    (``${SLACK_WEBHOOK_URL}``) or by the expression it starts with (``CONFIG['dashboard_url']``);
    a URL on this machine is the app itself unless its port is a well-known server's.
    """
    url = _url_template(ctx, node, line)
    if not url:
        return None, None, False
    if "://" in url and not url.startswith(("{", "$")):
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError:
            return None, None, False
        if not host or "{" in host:
            return None, url, False
        name = f"{host}:{port}" if port else host
        return name, url, host in _LOCAL_HOSTS and port not in _SERVICE_PORTS
    lead = re.match(r"^\$\{[^}]+\}|^\{([^{}]+)\}", url)
    if lead is None:
        return None, None, False  # a relative path: where it goes depends on a base URL we cannot see
    if lead.group(1) is None:
        return lead.group(0), url, False  # ${SLACK_WEBHOOK_URL}
    if _CONFIG_LOOKUP.match(lead.group(1)):
        return lead.group(1), url, False  # CONFIG['dashboard_url'], settings.api_url
    return None, None, False  # a parameter or a call: says nothing about where it points


def _constant_models(ctx: Ctx) -> list[str]:
    """Module constants that name a model: ``MODEL = "gpt-4o-mini"``, ``EMBED_MODEL = ...``."""
    out = []
    for name, node in ctx.constants.items():
        upper = name.upper()
        if "MODEL" not in upper or any(w in upper for w in ("PATH", "DIR", "FILE", "URL")):
            continue
        text = ctx.string(node)
        if text and "{" not in text and " " not in text and not _EXT_RE.search(text):
            out.append(text)
    return out


def _first_string(ctx: Ctx, call: ast.Call, *keys: str) -> str | None:
    if call.args:
        text = ctx.string(call.args[0], at=call.lineno)
        if text:
            return text
    kw = kwargs(call)
    for key in keys:
        if key in kw:
            text = ctx.string(kw[key], at=call.lineno)
            if text:
                return text
    return None


class _Services:
    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.found: list[_Service] = []
        self.file_models: list[str] = []
        self.embedding_models: list[str] = []
        self.fallbacks: list[_Service] = []
        self.constant_models = _constant_models(ctx)

    def visit(self, call: ast.Call) -> None:
        ctx = self.ctx
        name = ctx.qual(call.func) or ""
        attr = last_name(call.func) or ""
        imported = ctx.is_imported_name(call.func)
        top = name.split(".")[0]
        kw = kwargs(call)
        models = _model_names(ctx, call)
        for model in models:
            if model not in self.file_models:
                self.file_models.append(model)
        if "Embedding" in attr or "embed" in name.lower():
            for model in models:
                if model not in self.embedding_models:
                    self.embedding_models.append(model)

        def add(
            name_: str,
            kind: str,
            client: str,
            endpoint: str | None = None,
            own_models: list[str] | None = None,
            file_models: bool = False,
        ) -> None:
            self.found.append(_Service(name_, kind, client, endpoint, own_models or [], call, file_models))

        # LLM SDKs
        if top in _LLM_PACKAGES and imported:
            if top == "google" and not name.startswith(("google.generativeai", "google.genai")):
                pass
            else:
                client = _LLM_PACKAGES[top]
                is_ctor = attr[:1].isupper() or attr in (
                    "create",
                    "chat",
                    "generate",
                    "completion",
                    "acompletion",
                    "embeddings",
                    "embed",
                    "embedding",
                    "GenerativeModel",
                )
                if is_ctor:
                    endpoint = ctx.string(kw.get("base_url") or kw.get("azure_endpoint") or kw.get("host"))
                    own = models or ([_first_string(ctx, call)] if attr == "GenerativeModel" and call.args else [])
                    add(client, "llm", client, endpoint, [m for m in own if m], True)
                return
        if top.startswith(_LANGCHAIN_PREFIXES) and imported:
            lower = attr.lower()
            if attr.endswith("Embeddings") or attr.endswith("Embedding"):
                add(attr, "llm", top, ctx.string(kw.get("base_url")), models, False)
                return
            if (
                attr == "init_chat_model"
                or attr.startswith("Chat")
                or (attr[:1].isupper() and ("llm" in lower or "openai" in lower or "ollama" in lower))
            ):
                own = models or [m for m in [_first_string(ctx, call, "model")] if m]
                endpoint = ctx.string(kw.get("base_url") or kw.get("openai_api_base"))
                add(attr if attr != "init_chat_model" else top, "llm", top, endpoint, own, True)
                return
            if attr in ("Chroma", "from_documents", "from_texts") and ("chroma" in name.lower() or attr == "Chroma"):
                path = ctx.string(kw.get("persist_directory"))
                add("chromadb", "vector_db", "chromadb", path, [], False)
                coll = ctx.string(kw.get("collection_name"))
                if coll:
                    add(coll, "vector_db", "chromadb", path, [], False)
                return
        if top in _VECTOR_DBS and imported:
            client = _VECTOR_DBS[top]
            if top == "chromadb" and attr in (
                "PersistentClient",
                "HttpClient",
                "Client",
                "EphemeralClient",
                "AsyncHttpClient",
                "CloudClient",
            ):
                endpoint = None
                if attr == "PersistentClient":
                    endpoint = _first_string(ctx, call, "path")
                    if endpoint is None and not call.args and "path" not in kw:
                        endpoint = "./chroma"  # chromadb's default
                elif "Http" in attr:
                    host = ctx.string(kw.get("host")) or "localhost"
                    port = ctx.value_or_text(kw.get("port")) if "port" in kw else 8000
                    endpoint = host if "://" in host else f"http://{host}:{port}"
                add("chromadb", "vector_db", client, endpoint, [], False)
                return
            if top != "chromadb" and (attr[:1].isupper() or attr in ("connect", "init")):
                endpoint = ctx.string(kw.get("url") or kw.get("host") or kw.get("path")) or (
                    _first_string(ctx, call) if attr == "connect" else None
                )
                add(client, "vector_db", client, endpoint, [], False)
            return
        # collections named on a vector store client whose variable we cannot type
        if attr in ("get_or_create_collection", "create_collection", "get_collection") and (
            "chromadb" in ctx.imported or "langchain_chroma" in ctx.imported
        ):
            coll = _first_string(ctx, call, "name")
            if coll:
                add(coll, "vector_db", "chromadb", None, [], False)
            return
        # HTTP clients
        if top in ("requests", "httpx", "aiohttp", "urllib", "urllib3") and imported:
            if attr in _HTTP_VERBS or attr in (
                "urlopen",
                "Client",
                "AsyncClient",
                "Session",
                "ClientSession",
                "Request",
            ):
                url_node = None
                if attr == "request" and len(call.args) > 1:
                    url_node = call.args[1]
                elif attr in ("Client", "AsyncClient", "ClientSession"):
                    url_node = kw.get("base_url")
                elif call.args:
                    url_node = call.args[0]
                else:
                    url_node = kw.get("url")
                host, url, is_self = _http_service(ctx, url_node, call.lineno)
                client = "urllib" if top.startswith("urllib") else top
                add(host or client, "self" if is_self else "http", client, url, [], False)
            return
        # SQL and other databases
        if attr in ("create_engine", "create_async_engine") and (top == "sqlalchemy" or not imported):
            add("sqlalchemy", "database", "sqlalchemy", _first_string(ctx, call, "url"), [], False)
            return
        if top == "flask_sqlalchemy" and attr == "SQLAlchemy":
            add("sqlalchemy", "database", "flask_sqlalchemy", None, [], False)
            return
        if top in _DATABASES and imported and attr in _DATABASES[top]:
            if top == "redis":
                endpoint = _first_string(ctx, call, "url") if attr == "from_url" else ctx.string(kw.get("url"))
            else:
                endpoint = _first_string(ctx, call, "dsn", "url", "conninfo", "database", "host")
            if top == "redis" and not endpoint:
                host = ctx.string(kw.get("host")) or "localhost"
                port = ctx.value_or_text(kw.get("port")) if "port" in kw else 6379
                endpoint = f"redis://{host}:{port}"
            add(top, "database", top, endpoint, [], False)
            return
        if top in _QUEUES and imported and attr in _QUEUES[top]:
            endpoint = ctx.string(kw.get("broker") or kw.get("bootstrap_servers"))
            add(top, "queue", top, endpoint, [], False)
            return
        if top == "boto3" and imported and attr in _CLOUD["boto3"]:
            svc = _first_string(ctx, call, "service_name")
            add(svc or "boto3", "cloud", "boto3", ctx.string(kw.get("endpoint_url")), [], False)
            return
        if (name.startswith("google.cloud.") or top == "azure") and imported and attr[:1].isupper():
            add(name.rsplit(".", 1)[0], "cloud", top, None, [], False)
            return
        if top in _LOCAL_MODELS and imported and (attr in _LOCAL_MODELS[top] or attr.startswith("AutoModel")):
            model = models[0] if models else None
            if attr in ("SentenceTransformer", "CrossEncoder", "from_pretrained") and call.args:
                model = ctx.string(call.args[0]) or model
            if model and "{" not in model:
                add(model, "other", top, model, [model], False)
            return
        # Calls on a client object whose type we cannot see: `client.chat.completions.create`.
        chain = dotted(call.func) or ""
        if chain.endswith(
            (
                ".chat.completions.create",
                ".completions.create",
                ".embeddings.create",
                ".responses.create",
                ".chat.completions.parse",
                ".beta.chat.completions.parse",
            )
        ):
            self.fallbacks.append(_Service("openai", "llm", "openai", None, models, call, True))
        elif chain.endswith(".messages.create") and "anthropic" in ctx.imported:
            self.fallbacks.append(_Service("anthropic", "llm", "anthropic", None, models, call, True))

    def finish(self) -> None:
        ctx = self.ctx
        clients = {s.client for s in self.found}
        for fallback in self.fallbacks:
            if fallback.client not in clients:
                clients.add(fallback.client)
                self.found.append(fallback)
        seen: set[tuple[str, str, str | None]] = set()
        self.found.sort(key=lambda s: (s.node.lineno, s.node.col_offset))
        for svc in self.found:
            key = (svc.name, svc.client, svc.endpoint)
            if key in seen:
                continue
            seen.add(key)
            extra = []
            if svc.file_models:
                extra = self.file_models + self.constant_models
            elif svc.kind == "vector_db":
                extra = self.embedding_models
            models: list[str] = []
            for model in svc.models + extra:
                if model not in models:
                    models.append(model)
            if svc.kind == "vector_db" and svc.endpoint is None and svc.name != svc.client:
                # a collection lives where the file's client of that store points
                svc.endpoint = next(
                    (s.endpoint for s in self.found if s.name == s.client == svc.client and s.endpoint),
                    None,
                )
            ctx.add_node(
                FactKind.SERVICE,
                svc.name,
                {"kind": svc.kind, "client": svc.client, "endpoint": svc.endpoint, "models": models},
                svc.node,
            )


def extract_calls(ctx: Ctx) -> None:
    """FILE_IO and SERVICE facts from every call in the file, one pass in source order."""
    files = _FileIO(ctx)
    services = _Services(ctx)
    for call in ctx.index.calls:
        with ctx.guard("file read/write", call):
            files.visit(call)
        with ctx.guard("service call", call):
            services.visit(call)
    with ctx.guard("file facts"):
        files.finish()
    with ctx.guard("service facts"):
        services.finish()
