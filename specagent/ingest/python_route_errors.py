"""The error statuses an HTTP route answers, read off its handler (``errors`` of HTTP_ROUTE).

Only what the handler itself says counts, plus one step into this file's own helpers and
``Depends`` functions (``_get_or_404(db, id)``, an auth dependency): the usual places a prototype
writes its 4xx answers. Deeper call chains and app-wide error handlers are left out, because a
status found there cannot be pinned on one route with certainty.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import lru_cache
from http import HTTPStatus

from specagent.ingest.python_common import Ctx, FuncNode, kwargs, last_name, unparse
from specagent.ingest.records import RouteError

#: Exception classes that carry their own status, by the package that must define them
#: (a project's own ``class NotFound(Exception)`` answers 500 unless a handler maps it).
_STATUS_CLASSES: dict[str, dict[str, int]] = {
    "werkzeug": {
        "BadRequest": 400,
        "Unauthorized": 401,
        "Forbidden": 403,
        "NotFound": 404,
        "MethodNotAllowed": 405,
        "NotAcceptable": 406,
        "Conflict": 409,
        "Gone": 410,
        "RequestEntityTooLarge": 413,
        "UnsupportedMediaType": 415,
        "UnprocessableEntity": 422,
        "TooManyRequests": 429,
        "InternalServerError": 500,
        "NotImplemented": 501,
        "ServiceUnavailable": 503,
    },
    "litestar": {
        "ClientException": 400,
        "ValidationException": 400,
        "NotAuthorizedException": 401,
        "PermissionDeniedException": 403,
        "NotFoundException": 404,
        "MethodNotAllowedException": 405,
        "TooManyRequestsException": 429,
        "InternalServerException": 500,
        "ServiceUnavailableException": 503,
    },
    "django": {
        "Http404": 404,
        "PermissionDenied": 403,
        "SuspiciousOperation": 400,
        "BadRequest": 400,
        "HttpResponseBadRequest": 400,
        "HttpResponseForbidden": 403,
        "HttpResponseNotFound": 404,
        "HttpResponseNotAllowed": 405,
        "HttpResponseGone": 410,
        "HttpResponseServerError": 500,
    },
    # aiohttp.web's HTTPException subclasses, raised or returned: ``raise web.HTTPNotFound()``
    "aiohttp": {
        "HTTPBadRequest": 400,
        "HTTPUnauthorized": 401,
        "HTTPForbidden": 403,
        "HTTPNotFound": 404,
        "HTTPMethodNotAllowed": 405,
        "HTTPNotAcceptable": 406,
        "HTTPConflict": 409,
        "HTTPGone": 410,
        "HTTPRequestEntityTooLarge": 413,
        "HTTPUnsupportedMediaType": 415,
        "HTTPUnprocessableEntity": 422,
        "HTTPTooManyRequests": 429,
        "HTTPInternalServerError": 500,
        "HTTPNotImplemented": 501,
        "HTTPBadGateway": 502,
        "HTTPServiceUnavailable": 503,
        "HTTPGatewayTimeout": 504,
    },
    "rest_framework": {
        "ValidationError": 400,
        "ParseError": 400,
        "AuthenticationFailed": 401,
        "NotAuthenticated": 401,
        "PermissionDenied": 403,
        "NotFound": 404,
        "MethodNotAllowed": 405,
        "UnsupportedMediaType": 415,
        "Throttled": 429,
    },
}
# Packages whose names re-export werkzeug's exceptions (``from flask import abort``...).
_PACKAGE_ALIASES = {"flask": "werkzeug", "quart": "werkzeug", "starlite": "litestar"}
#: Exceptions whose status is an argument: FastAPI/Starlette, Litestar, Quart.
_STATUS_EXCEPTIONS = frozenset(("HTTPException", "WebSocketException", "StarletteHTTPException"))
_ABORT_PACKAGES = frozenset(("flask", "quart", "werkzeug"))
#: Keys of an error body whose value is the message a client reads.
_MESSAGE_KEYS = ("error", "detail", "message", "msg", "description", "reason", "errors")
_WORDS = re.compile(r"[^\W\d_]{2}")
_HTTP_CONSTANT = re.compile(r"^HTTP_(\d{3})(?:_|$)")
#: Helpers (and dependencies) followed per route, one step deep each.
_MAX_HELPERS = 10
#: Calls whose arguments are an error body: anything else (``render_template("404.html")``)
#: says nothing a client reads.
_BODY_CALLS = frozenset(("jsonify", "dict", "make_response", "response_class"))
_MAX_MESSAGE = 120


def _status_values(ctx: Ctx, node: ast.AST | None, scope: FuncNode | None, depth: int = 0) -> list[int]:
    """The HTTP statuses an expression may evaluate to: literals, ``status.HTTP_404_*``,
    ``HTTPStatus.NOT_FOUND``, both arms of ``a if c else b``, and names bound to those."""
    if node is None or depth > 3:
        return []
    if isinstance(node, ast.Constant):
        value = node.value
        return [value] if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599 else []
    if isinstance(node, ast.IfExp):
        return _status_values(ctx, node.body, scope, depth + 1) + _status_values(ctx, node.orelse, scope, depth + 1)
    if isinstance(node, ast.Call) and last_name(node.func) == "HTTPStatus" and node.args:
        return _status_values(ctx, node.args[0], scope, depth + 1)
    if isinstance(node, ast.Attribute | ast.Name):
        name = last_name(node) or ""
        match = _HTTP_CONSTANT.match(name)
        if match:
            return [int(match.group(1))]
        if isinstance(node, ast.Attribute) and last_name(node.value) == "HTTPStatus":
            member = HTTPStatus.__members__.get(name)
            return [member.value] if member is not None else []
        if isinstance(node, ast.Name):
            return _bound_statuses(ctx, node.id, scope, depth)
    return []


def _bound_statuses(ctx: Ctx, name: str, scope: FuncNode | None, depth: int) -> list[int]:
    """Statuses a bare name holds: assigned in the function (``code = 200 if ok else 422``), or a
    module constant."""
    out: list[int] = []
    if scope is not None:
        for node in _own_nodes(scope):
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign):
                targets = [node.target]
            else:
                continue
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                out += _status_values(ctx, node.value, scope, depth + 1)
    if not out and name in ctx.constants:
        out = _status_values(ctx, ctx.constants[name], None, depth + 1)
    return out


def _own_nodes(func: FuncNode) -> Iterator[ast.AST]:
    """Every node of a function's body, not descending into functions or classes defined in it
    (their code runs elsewhere, if at all)."""
    stack: list[ast.AST] = list(reversed(func.body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _message(ctx: Ctx, node: ast.AST | None, depth: int = 0) -> str | None:
    """The text a client reads in an error body: a string, or the message field of
    ``jsonify(error=...)``, ``{"detail": ...}``, ``JSONResponse(content={...})``."""
    if node is None or depth > 3:
        return None
    text = ctx.string(node)
    if text is not None:
        # a body such as "{}" or "" carries no words a client reads
        return text.strip()[:_MAX_MESSAGE] if _WORDS.search(text) else None
    if isinstance(node, ast.Dict):
        pairs = [(ctx.string(k) if k is not None else None, v) for k, v in zip(node.keys, node.values, strict=False)]
        for key in _MESSAGE_KEYS:
            for name, value in pairs:
                if name == key and (found := _message(ctx, value, depth + 1)):
                    return found
        return None
    if isinstance(node, ast.Call):
        name = last_name(node.func) or ""
        if name not in _BODY_CALLS and not name.endswith(("Response", "Exception")):
            return None
        kw = kwargs(node)
        for key in (*_MESSAGE_KEYS, "content", "body", "response"):
            if key in kw and (found := _message(ctx, kw[key], depth + 1)):
                return found
        for arg in node.args[:1]:
            return _message(ctx, arg, depth + 1)
    return None


def _class_status(ctx: Ctx, node: ast.expr) -> int | None:
    """The status an exception or response class stands for, when a known package defines it."""
    qual = ctx.qual(node) or ""  # imported under another name: the real one counts
    top, _, rest = qual.partition(".")
    package = _PACKAGE_ALIASES.get(top, top)
    return _STATUS_CLASSES.get(package, {}).get(rest.rpartition(".")[2]) if rest else None


def _from_raise(ctx: Ctx, node: ast.Raise, scope: FuncNode) -> list[tuple[int, str | None]]:
    exc = node.exc
    if exc is None:
        return []
    call = exc if isinstance(exc, ast.Call) else None
    target = call.func if call is not None else exc
    name = (ctx.qual(target) or "").rpartition(".")[2]  # the real name, even when imported as another
    kw = kwargs(call) if call is not None else {}
    args = call.args if call is not None else []
    if name in _STATUS_EXCEPTIONS:
        codes = _status_values(ctx, kw.get("status_code") or kw.get("code"), scope)
        rest = list(args)
        if not codes and rest:
            codes = _status_values(ctx, rest[0], scope)
            if codes:
                rest = rest[1:]  # FastAPI: HTTPException(404, "detail")
        message = _message(ctx, kw.get("detail")) or (_message(ctx, rest[0]) if rest else None)
        return [(code, message) for code in codes]
    status = _class_status(ctx, target)
    if status is None:
        return []
    # detail: DRF, werkzeug's description; text/reason: aiohttp's HTTPException keywords
    body = kw.get("detail") or kw.get("description") or kw.get("text") or kw.get("reason")
    message = _message(ctx, body) or (_message(ctx, args[0]) if args else None)
    return [(status, message)]


def _from_call(ctx: Ctx, call: ast.Call, scope: FuncNode) -> list[tuple[int, str | None]]:
    """``abort(404)``, ``make_response(body, 400)``, ``Response(..., status=...)``, Django's
    ``HttpResponseNotFound(...)``."""
    name = last_name(call.func) or ""
    kw = kwargs(call)
    qual = ctx.qual(call.func) or ""
    if name == "abort" and (qual.split(".")[0] in _ABORT_PACKAGES or ctx.imported & _ABORT_PACKAGES):
        codes = _status_values(ctx, call.args[0] if call.args else kw.get("code") or kw.get("status"), scope)
        detail = call.args[1] if len(call.args) > 1 else kw.get("description")
        return [(code, _message(ctx, detail)) for code in codes]
    status = _class_status(ctx, call.func)
    if status is not None and name.startswith("HttpResponse"):
        return [(status, _message(ctx, call.args[0] if call.args else kw.get("content")))]
    if status is not None and qual.startswith("aiohttp."):
        return [(status, _message(ctx, kw.get("text") or kw.get("reason")))]
    if name in ("make_response", "response_class", "json_response") or name.endswith("Response"):
        node = kw.get("status") or kw.get("status_code")
        if node is None and len(call.args) > 1:
            node = call.args[1]  # Flask Response(body, status), Starlette Response(content, status_code)
        codes = _status_values(ctx, node, scope)
        body = call.args[0] if call.args else kw.get("content") or kw.get("response") or kw.get("data")
        return [(code, _message(ctx, body)) for code in codes]
    return []


def _from_return(ctx: Ctx, node: ast.Return, scope: FuncNode) -> list[tuple[int, str | None]]:
    """``return jsonify(...), 400`` / ``return {...}, 404`` / ``return "no", 403, headers``."""
    value = node.value
    if not (isinstance(value, ast.Tuple) and len(value.elts) >= 2):
        return []
    return [(code, _message(ctx, value.elts[0])) for code in _status_values(ctx, value.elts[1], scope)]


def _from_assign(ctx: Ctx, node: ast.Assign, scope: FuncNode) -> list[tuple[int, str | None]]:
    """``response.status_code = 404`` (FastAPI's injected ``Response``, a Flask response)."""
    if any(isinstance(t, ast.Attribute) and t.attr in ("status_code", "status") for t in node.targets):
        return [(code, None) for code in _status_values(ctx, node.value, scope)]
    return []


def _condition(node: ast.AST, parents: dict[int, ast.AST]) -> str | None:
    """Why an error is answered when it carries no message: the ``if`` test it sits under, or the
    exception it handles. Only a positive branch counts (an ``else`` would need the negation)."""
    child: ast.AST = node
    parent = parents.get(id(node))
    while parent is not None:
        if isinstance(parent, ast.If) and any(child is s for s in parent.body):
            return unparse(parent.test, 80)
        if isinstance(parent, ast.ExceptHandler) and parent.type is not None:
            return f"except {unparse(parent.type, 80)}"
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef):
            return None
        child, parent = parent, parents.get(id(parent))
    return None


def _func_errors(
    ctx: Ctx, func: FuncNode, *, raised_only: bool = False
) -> list[tuple[int, str | None, str | None, ast.AST]]:
    """(status, message, condition, node) for each error answer written in one function.

    ``raised_only`` (a helper or dependency): only what propagates to the route by itself, a
    ``raise`` or an ``abort(...)``; a helper's ``return body, 404`` answers nobody unless the
    route returns it in turn.
    """
    parents: dict[int, ast.AST] = {}  # built on the first error found: most functions have none
    raised: set[int] = set()  # calls that are a raise's exception, handled with the raise
    out: list[tuple[int, str | None, str | None, ast.AST]] = []
    for node in _own_nodes(func):
        found: list[tuple[int, str | None]] = []
        with ctx.guard("route error", node):
            if isinstance(node, ast.Raise):
                if node.exc is not None:
                    raised.add(id(node.exc))
                found = _from_raise(ctx, node, func)
            elif raised_only:
                if isinstance(node, ast.Call) and last_name(node.func) == "abort":
                    found = _from_call(ctx, node, func)
            elif isinstance(node, ast.Return):
                found = _from_return(ctx, node, func)
            elif isinstance(node, ast.Call) and id(node) not in raised:
                found = _from_call(ctx, node, func)
            elif isinstance(node, ast.Assign):
                found = _from_assign(ctx, node, func)
        for status, message in found:
            if status >= 400:
                if not message and not parents:
                    parents = _parents(func)
                out.append((status, message, None if message else _condition(node, parents), node))
    return out


def _parents(func: FuncNode) -> dict[int, ast.AST]:
    """Each node of a function's own body -> the node that holds it (for the ``if`` or ``except``
    an error answers)."""
    parents: dict[int, ast.AST] = {}
    for node in [func, *_own_nodes(func)]:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda) and node is not func:
            continue
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    return parents


@lru_cache(maxsize=8)
def _top_functions(tree: ast.Module) -> dict[str, FuncNode]:
    """A file's top-level functions by name, computed once per file, not once per route."""
    return {s.name: s for s in tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)}


def _helpers(ctx: Ctx, func: FuncNode, dependencies: list[ast.expr]) -> list[FuncNode]:
    """This file's top-level functions the handler calls directly or takes through ``Depends``."""
    tops = {name: node for name, node in _top_functions(ctx.tree).items() if node is not func}
    names: list[str] = []
    depends = [*dependencies]
    for node in [*_own_nodes(func), *ast.walk(func.args)]:
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in tops:
            names.append(node.func.id)
        elif last_name(node.func) in ("Depends", "Security"):
            depends.append(node)
    for dep in depends:
        if isinstance(dep, ast.Call) and last_name(dep.func) in ("Depends", "Security") and dep.args:
            target = dep.args[0]
            if isinstance(target, ast.Name) and target.id in tops:
                names.append(target.id)
    return [tops[n] for n in dict.fromkeys(names)]


def _documented(ctx: Ctx, responses: ast.expr | None) -> list[tuple[int, str | None, str | None, ast.AST, None]]:
    """FastAPI's ``responses={404: {"description": ...}}``: statuses the route says it answers."""
    out: list[tuple[int, str | None, str | None, ast.AST, None]] = []
    if not isinstance(responses, ast.Dict):
        return out
    for key, value in zip(responses.keys, responses.values, strict=False):
        if key is None:
            continue
        text = ctx.string(key)
        codes = [int(text)] if text and text.isdigit() else _status_values(ctx, key, None)
        message = None
        if isinstance(value, ast.Dict):
            for k, v in zip(value.keys, value.values, strict=False):
                if k is not None and ctx.string(k) == "description":
                    message = ctx.string(v)
        out += [(code, message, None, key, None) for code in codes]
    return out


def route_errors(
    ctx: Ctx, func: FuncNode, dependencies: list[ast.expr] | None = None, responses: ast.expr | None = None
) -> list[RouteError]:
    """The ``errors`` of an HTTP_ROUTE: one entry per status (>= 400), in status order.

    Each entry: ``status`` (int), ``message`` (what the client reads, or None), ``condition``
    (the ``if`` test or ``except`` clause it answers, when there is no message), ``line`` and
    ``quote`` (the line that answers it, for a citation outside the handler), ``via`` (the helper
    or dependency it was found in, or None). ``responses`` is FastAPI's documented
    ``responses={...}`` of the route decorator, if any.
    """
    found: list[tuple[int, str | None, str | None, ast.AST, str | None]] = [(*e, None) for e in _func_errors(ctx, func)]
    for helper in _helpers(ctx, func, dependencies or [])[:_MAX_HELPERS]:
        found += [(*e, helper.name) for e in _func_errors(ctx, helper, raised_only=True)]
    found += _documented(ctx, responses)
    by_status: dict[int, RouteError] = {}
    for status, message, condition, node, via in found:
        if not 400 <= status <= 599:
            continue
        line = node.lineno  # type: ignore[attr-defined]
        entry = RouteError(
            status=status, message=message, condition=condition, line=line, quote=ctx.quote(line, line), via=via
        )
        kept = by_status.get(status)
        # One reason per status: the first that says something (a message beats a condition).
        if kept is None or (not kept.message and message) or (not kept.message and not kept.condition and condition):
            by_status[status] = entry
    return [by_status[s] for s in sorted(by_status)]


def route_successes(ctx: Ctx, func: FuncNode) -> list[int]:
    """Success statuses (2xx/3xx other than 200) a handler states itself:
    ``Response(data, status=status.HTTP_202_ACCEPTED)``, ``response.status_code = 201``,
    ``return body, 201``. A client must know them; the default 200 goes without saying."""
    found: list[int] = []
    for node in _own_nodes(func):
        with ctx.guard("route status", node):
            if isinstance(node, ast.Call):
                kw = kwargs(node)
                name = last_name(node.func) or ""
                if name in ("make_response", "json_response") or name.endswith("Response"):
                    found += _status_values(ctx, kw.get("status") or kw.get("status_code"), func)
            elif isinstance(node, ast.Assign):
                found += [c for c, _ in _from_assign(ctx, node, func)]
            elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and len(node.value.elts) >= 2:
                found += _status_values(ctx, node.value.elts[1], func)
    return sorted({c for c in found if 200 < c < 400})
