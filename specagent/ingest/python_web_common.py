"""What every web framework's route finder shares: the app objects a file makes, reading
handler annotations and defaults, and writing one HTTP_ROUTE fact."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import (
    BUILTIN_NAMES,
    Ctx,
    FuncNode,
    is_ellipsis,
    kwargs,
    last_name,
    unparse,
)
from specagent.ingest.python_route_errors import route_errors
from specagent.ingest.records import ParamSpec, RouteError

VERBS = ("get", "post", "put", "patch", "delete", "options", "head", "trace")
_TYPING = frozenset(
    """Any Optional Union List Dict Set FrozenSet Tuple Annotated Literal Sequence Iterable
    Iterator AsyncIterator AsyncGenerator Generator Mapping MutableMapping Callable Type TypeVar
    Awaitable Coroutine ClassVar Final Self NoReturn Never""".split()
)
# Capitalized annotations that are framework plumbing or scalars, never a request body.
_NOT_MODELS = frozenset(
    """Request Response BackgroundTasks WebSocket UploadFile HTTPConnection Session AsyncSession
    Depends Path Query Body Header Cookie Form File Security SecurityScopes State Connection
    HTTPAuthorizationCredentials HTTPBasicCredentials OAuth2PasswordRequestForm Decimal UUID
    Enum IntEnum StrEnum Scope ASGIConnection""".split()
)


@dataclass
class WebApp:
    framework: str
    prefix: str
    #: ``dependencies=[Depends(f)]`` given to the app, router or ``include_router``
    dependencies: list[ast.expr] = field(default_factory=list)


def join_path(prefix: str, path: str) -> str:
    if not prefix:
        return path or "/"
    if not path:
        return prefix
    return prefix.rstrip("/") + "/" + path.lstrip("/")


def listed(node: ast.expr | None) -> list[ast.expr]:
    """The elements of a literal list/tuple (``dependencies=[Depends(a), Depends(b)]``)."""
    return list(node.elts) if isinstance(node, ast.List | ast.Tuple) else []


def names_in(node: ast.AST) -> list[str]:
    out = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            out.append(sub.id)
        elif isinstance(sub, ast.Attribute):
            out.append(sub.attr)
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            out.append(sub.value)  # forward references: "Item"
    return out


def model_like(node: ast.AST | None, local_models: set[str], enums: set[str]) -> bool:
    if node is None:
        return False
    for name in names_in(node):
        if name in local_models:
            return True
        if (
            name[:1].isupper()
            and name.isidentifier()
            and name not in BUILTIN_NAMES
            and name not in _TYPING
            and name not in _NOT_MODELS
            and name not in enums
            and not name.endswith("Response")
        ):
            return True
    return False


def unwrap_annotated(ann: ast.expr | None) -> tuple[ast.expr | None, list[ast.expr]]:
    if isinstance(ann, ast.Subscript) and last_name(ann.value) == "Annotated":
        inner = ann.slice
        if isinstance(inner, ast.Tuple) and inner.elts:
            return inner.elts[0], list(inner.elts[1:])
    return ann, []


def arg_pairs(func: FuncNode) -> list[tuple[ast.arg, ast.expr | None]]:
    args = func.args
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    return list(zip(positional, defaults, strict=False)) + list(zip(args.kwonlyargs, args.kw_defaults, strict=False))


# --------------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------------

# Keyword arguments of Query(...)/Header(...)/Parameter(...) that describe rather than constrain.
_NOT_PARAM_CONSTRAINTS = frozenset(
    """default default_factory alias alias_priority validation_alias serialization_alias title
    description example examples openapi_examples include_in_schema deprecated convert_underscores
    json_schema_extra media_type embed discriminator required query header cookie""".split()
)


def is_optional(ann: ast.expr | None) -> bool:
    text = unparse(ann) if ann is not None else ""
    return "Optional[" in text or "None" in re.split(r"[\s|,\[\]]+", text)


def marker_constraints(ctx: Ctx, call: ast.Call | None) -> dict[str, Any]:
    if call is None:
        return {}
    return {k: ctx.value_or_text(v) for k, v in kwargs(call).items() if k not in _NOT_PARAM_CONSTRAINTS}


def marker_default(ctx: Ctx, call: ast.Call, positional: bool) -> tuple[bool, Any]:
    """(has_default, default) given inside a marker: ``Query(50)``, ``Header(default="")``."""
    kw = kwargs(call)
    node = call.args[0] if positional and call.args else kw.get("default")
    if node is None:
        if "default_factory" in kw:
            return True, f"{unparse(kw['default_factory'])}()"
        return False, None
    if is_ellipsis(node):
        return False, None
    return True, ctx.value_or_text(node)


def plain_default(ctx: Ctx, node: ast.expr | None) -> tuple[bool, Any]:
    if node is None or is_ellipsis(node):
        return False, None
    return True, ctx.value_or_text(node)


def params_detail(specs: list[ParamSpec]) -> dict[str, Any]:
    """``params`` (client-facing names, as before) beside the richer ``param_specs``."""
    return {"params": [s.name for s in specs], "param_specs": specs}


def emit_route(
    ctx: Ctx,
    framework: str,
    methods: list[str],
    path: str,
    handler: str,
    detail: dict[str, Any],
    start: int,
    end: int,
    quote: int,
) -> None:
    for method in methods:
        ctx.add(
            FactKind.HTTP_ROUTE,
            f"{method} {path}",
            {"framework": framework, "method": method, "path": path, "handler": handler, **detail},
            start,
            end,
            quote,
        )


def handler_errors(ctx: Ctx, func: FuncNode, dependencies: list[ast.expr], kw: dict[str, ast.expr]) -> list[RouteError]:
    """The route's error answers: its handler's, and FastAPI's documented ``responses={404: ...}``."""
    return route_errors(ctx, func, dependencies, kw.get("responses"))
