"""FILE_IO facts: files read and written through ``open``, pathlib, pandas and other libraries."""

from __future__ import annotations

import ast
import posixpath
import re
from typing import Any

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import (
    Ctx,
    dotted,
    kwargs,
    last_name,
    unparse,
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


EXT_RE = re.compile(r"\.(?:" + "|".join(e[1:] for e in _EXT_FORMATS) + r"|bin|safetensors|gguf)$", re.I)


def _format_of(target: str | None, fallback: str) -> str:
    if target:
        ext = posixpath.splitext(target.split("?")[0])[1].lower()
        if ext in _EXT_FORMATS:
            return _EXT_FORMATS[ext]
    return fallback


class FileIO:
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
        """Record the file a call reads or writes, if any: the first handler that knows it wins."""
        self._advance(call)
        if id(call) in self.folded:
            return
        name = self.ctx.qual(call.func) or ""
        attr = last_name(call.func) or ""
        kw = kwargs(call)
        for handler in (self._parsed_text, self._open, self._module_io, self._dataframe_io, self._path_io):
            if handler(call, name, attr, kw):
                return

    def _parsed_text(self, call: ast.Call, name: str, attr: str, kw: dict[str, ast.expr]) -> bool:
        """``json.loads(path.read_text())``: the file is read in the parser's format."""
        if name in _PARSE_TEXT and call.args and isinstance(call.args[0], ast.Call):
            inner = call.args[0]
            if isinstance(inner.func, ast.Attribute) and inner.func.attr in ("read_text", "read_bytes"):
                target, _ = self._target(inner)
                self._emit(call, "read", _PARSE_TEXT[name], target, dotted(call.func) or name)
                return True
        return False

    def _open(self, call: ast.Call, name: str, attr: str, kw: dict[str, ast.expr]) -> bool:
        """``open()`` and ``Path.open()``: held until what reads or writes the handle is seen."""
        if not self._is_open(call):
            return False
        is_path_open = self._is_path_open(call)
        mode_node = (
            call.args[0]
            if is_path_open and call.args
            else call.args[1]
            if not is_path_open and len(call.args) > 1
            else kw.get("mode")
        )
        mode = self.ctx.string(mode_node) if mode_node is not None else "r"
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
        return True

    def _module_io(self, call: ast.Call, name: str, attr: str, kw: dict[str, ast.expr]) -> bool:
        """A library function that takes a path or a handle (``json.load``, ``pickle.dump``...)."""
        if name not in _MODULE_IO:
            return False
        mode, fmt, index = _MODULE_IO[name]
        node = call.args[index] if len(call.args) > index else None
        if node is None:
            node = next((kw[k] for k in _PATH_KWARGS if k in kw), None)
        if node is None:
            return True
        target, opened = self._target(node)
        if opened is not None:
            self.consumed.add(id(opened))
        fmt = _format_of(target, fmt) if fmt == "image" else fmt
        self._emit(call, mode, fmt, target, dotted(call.func) or name)
        return True

    def _dataframe_io(self, call: ast.Call, name: str, attr: str, kw: dict[str, ast.expr]) -> bool:
        """A dataframe library's ``read_*`` and a frame's ``to_*`` with a path."""
        # read_csv(...) on anything but a dataframe library is the project's own function
        if attr in _PANDAS_READ and name.split(".")[0] in _DF_LIBS:
            node = call.args[0] if call.args else next((kw[k] for k in _PATH_KWARGS if k in kw), None)
            if node is not None:
                target, opened = self._target(node)
                if opened is not None:
                    self.consumed.add(id(opened))
                call_text = dotted(call.func) or f"pd.{attr}"
                self._emit(call, "read", _PANDAS_READ[attr], target, call_text)
            return True
        if attr in _PANDAS_WRITE and isinstance(call.func, ast.Attribute):
            node = call.args[0] if call.args else next((kw[k] for k in _PATH_KWARGS if k in kw), None)
            if node is None or (isinstance(node, ast.Constant) and node.value is None):
                return True  # to_csv() with no path returns a string
            target, opened = self._target(node)
            if opened is not None:
                self.consumed.add(id(opened))
            self._emit(call, "write", _PANDAS_WRITE[attr], target, f"DataFrame.{attr}")
            return True
        return False

    def _path_io(self, call: ast.Call, name: str, attr: str, kw: dict[str, ast.expr]) -> bool:
        """``Path.read_text()`` and its kin, and a figure's ``savefig(path)``."""
        if attr in _PATH_METHODS and isinstance(call.func, ast.Attribute):
            receiver = call.func.value
            if isinstance(receiver, ast.Call) and last_name(receiver.func) in ("Path", "PurePath"):
                target = self._target(receiver.args[0] if receiver.args else None)[0]
            else:
                target = self.path_text(receiver)
            mode, fmt = _PATH_METHODS[attr]
            self._emit(call, mode, _format_of(target, fmt), target, f"Path.{attr}")
            return True
        if attr == "savefig" and isinstance(call.func, ast.Attribute) and call.args:
            target, _ = self._target(call.args[0])
            self._emit(call, "write", _format_of(target, "image"), target, "savefig")
            return True
        return False

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
