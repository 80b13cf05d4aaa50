"""FastAPI route parameters: markers (``Query``, ``Header``, ...), ``Depends`` chains, and
request/response models."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from specagent.ingest.python_common import (
    Ctx,
    FuncNode,
    dotted,
    kwargs,
    last_name,
    literal,
    unparse,
)
from specagent.ingest.python_web_common import (
    arg_pairs,
    marker_constraints,
    marker_default,
    model_like,
    names_in,
    plain_default,
    unwrap_annotated,
)
from specagent.ingest.records import ParamSpec
from specagent.ingest.route_params import CONVERTER_TYPES, PATH_TEMPLATE, dedupe, param_spec

#: FastAPI parameter marker -> where the client sends the value
_MARKER_LOCATION = {
    "Path": "path",
    "Query": "query",
    "Header": "header",
    "Cookie": "cookie",
    "Body": "body",
    "Form": "body",
    "File": "body",
}
# Handler arguments FastAPI fills itself: never request parameters.
_PLUMBING = frozenset(
    """Request Response BackgroundTasks WebSocket Session AsyncSession SecurityScopes
    HTTPConnection""".split()
)
_DEPENDS_DEPTH = 3


def _header_name(arg: str) -> str:
    """FastAPI's header for an argument: underscores become hyphens, each word capitalised."""
    return "-".join(part.capitalize() for part in arg.split("_") if part) or arg


@dataclass
class FastapiParams:
    """Parameter specs of FastAPI handlers, following ``Depends`` into this file's functions."""

    ctx: Ctx
    local_models: set[str]
    enums: set[str]
    #: top-level functions, and classes (by their ``__init__``), a ``Depends`` may name
    callables: dict[str, FuncNode]

    @classmethod
    def create(cls, ctx: Ctx, local_models: set[str], enums: set[str]) -> FastapiParams:
        callables: dict[str, FuncNode] = {}
        for stmt in ctx.tree.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                callables.setdefault(stmt.name, stmt)
            elif isinstance(stmt, ast.ClassDef):
                init = next(
                    (s for s in stmt.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"),
                    None,
                )
                if init is not None:
                    callables.setdefault(stmt.name, init)
        return cls(ctx, local_models, enums, callables)

    def _args(
        self, func: FuncNode, path_params: set[str], dependency: str | None
    ) -> tuple[list[ParamSpec], list[tuple[int, str, str]], list[ast.Call]]:
        """(specs, request-body model candidates (rank, type, arg), Depends calls) of one function."""
        ctx = self.ctx
        specs: list[ParamSpec] = []
        candidates: list[tuple[int, str, str]] = []
        depends: list[ast.Call] = []
        for arg, default in arg_pairs(func):
            if arg.arg in ("self", "cls"):
                continue
            base, meta = unwrap_annotated(arg.annotation)
            marker: ast.Call | None = None
            annotated = False
            for item in meta:
                if isinstance(item, ast.Call) and last_name(item.func) in (*_MARKER_LOCATION, "Depends", "Security"):
                    marker, annotated = item, True
            if (
                marker is None
                and isinstance(default, ast.Call)
                and last_name(default.func) in (*_MARKER_LOCATION, "Depends", "Security")
            ):
                marker = default
            kind = last_name(marker.func) if marker is not None else None
            if kind in ("Depends", "Security"):
                depends.append(marker)  # type: ignore[arg-type]
                continue
            base_names = set(names_in(base)) if base is not None else set()
            if base_names & _PLUMBING:
                continue
            if kind is None and arg.arg not in path_params and model_like(base, self.local_models, self.enums):
                rank = 0 if base_names & self.local_models else 1
                candidates.append((rank, unparse(base), arg.arg))
                continue
            location = _MARKER_LOCATION.get(kind or "") or ("path" if arg.arg in path_params else "query")
            if marker is not None and not annotated:
                has_default, value = marker_default(ctx, marker, positional=True)
            else:
                has_default, value = plain_default(ctx, default)
            mkw = kwargs(marker) if marker is not None else {}
            alias = ctx.string(mkw.get("alias") or mkw.get("validation_alias"))
            if alias:
                name = alias
            elif location == "header" and literal(mkw.get("convert_underscores")) is not False:
                name = _header_name(arg.arg)
            else:
                name = arg.arg
            specs.append(
                param_spec(
                    name,
                    location,
                    unparse(base) if base is not None else None,
                    location == "path" or not has_default,
                    value,
                    marker_constraints(ctx, marker),
                    dependency,
                )
            )
        return specs, candidates, depends

    def _dependency_specs(
        self, calls: list[ast.expr], path_params: set[str], seen: set[str], depth: int
    ) -> list[ParamSpec]:
        """Specs of the parameters that dependencies read from the request (FastAPI merges them)."""
        out: list[ParamSpec] = []
        if depth > _DEPENDS_DEPTH:
            return out
        for call in calls:
            if not (isinstance(call, ast.Call) and last_name(call.func) in ("Depends", "Security")):
                continue
            target = call.args[0] if call.args else kwargs(call).get("dependency")
            name = dotted(target) if target is not None else None
            func = self.callables.get(name or "")
            if func is None or name in seen:
                continue  # defined elsewhere, a class with no __init__, or already merged
            seen.add(name)  # type: ignore[arg-type]
            with self.ctx.guard("dependency", func):
                specs, _candidates, nested = self._args(func, path_params, name)
                out.extend(specs)
                out.extend(self._dependency_specs(list(nested), path_params, seen, depth + 1))
        return out

    def handler(self, func: FuncNode, path: str, dependencies: list[ast.expr]) -> tuple[str | None, list[ParamSpec]]:
        """(request model, param specs) of one handler: its arguments, then its dependencies'."""
        templates = {name: conv for name, conv in PATH_TEMPLATE.findall(path)}
        path_params = set(templates)
        specs, candidates, depends = self._args(func, path_params, None)
        request = None
        if candidates:
            candidates.sort(key=lambda c: c[0])
            request = candidates[0][1]
            for _rank, type_, name in candidates[1:]:
                specs.append(param_spec(name, "body", type_, True, None))
        specs.extend(self._dependency_specs([*dependencies, *depends], path_params, set(), 1))
        # a path parameter is in the URL even when only a dependency (or nobody) reads it
        taken = {s.name for s in specs if s.location == "path"}
        for name, conv in templates.items():
            if name not in taken:
                specs.append(param_spec(name, "path", CONVERTER_TYPES.get(conv) if conv else None, True, None))
        return request, dedupe(specs)


def response_model_of(func: FuncNode, kw: dict[str, ast.expr], local_models: set[str], enums: set[str]) -> str | None:
    if "response_model" in kw:
        node = kw["response_model"]
        if isinstance(node, ast.Constant) and node.value is None:
            return None
        return unparse(node)
    if func.returns is not None and model_like(func.returns, local_models, enums):
        return unparse(func.returns)
    return None
