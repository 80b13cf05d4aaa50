"""Route error statuses: found in the handler (and one step into its helpers), shown on its interface."""

from __future__ import annotations

import textwrap

from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_parser import parse_python
from specagent.pipeline.offline import draft_offline
from specagent.spec.markdown import render_markdown
from specagent.spec.model import Interface
from specagent.spec.reader import read_markdown


def _routes(src: str, path: str = "app/api.py") -> dict[str, Fact]:
    result = parse_python(path, textwrap.dedent(src).lstrip("\n"))
    return {f.name: f for f in result.facts if f.kind == FactKind.HTTP_ROUTE}


def _statuses(route: Fact) -> list[tuple[int, str | None, str | None]]:
    return [(e.status, e.message, e.condition) for e in route.detail.errors]


def _interface(src: str, name: str, path: str = "app/api.py") -> Interface:
    facts = parse_python(path, textwrap.dedent(src).lstrip("\n")).facts
    spec = draft_offline(facts, "demo")
    return next(i for i in spec.interfaces if i.name == name)


FLASK = """
from flask import Flask, abort, jsonify, make_response, request

app = Flask(__name__)
LIMIT = 413


@app.post("/upload")
def upload():
    f = request.files.get("file")
    if f is None:
        return jsonify(error="missing file"), 400
    if not f.filename.endswith(".pdf"):
        abort(415, "only PDF")
    if f.content_length > 10:
        return make_response(jsonify({"message": "too big"}), LIMIT)
    code = 200 if f else 422
    return app.response_class("{}", status=code)


@app.get("/items/<int:item_id>")
def get_item(item_id):
    row = None
    if row is None:
        return {"detail": "no such item"}, 404
    return row


@app.get("/ok")
def ok():
    return jsonify(status="ok"), 200
"""


def test_flask_statuses_from_tuples_abort_make_response_and_a_local_status() -> None:
    routes = _routes(FLASK)
    assert _statuses(routes["POST /upload"]) == [
        (400, "missing file", None),
        (413, "too big", None),
        (415, "only PDF", None),
        (422, None, None),  # `200 if f else 422`: no message, no `if` around it
    ]
    assert _statuses(routes["GET /items/<int:item_id>"]) == [(404, "no such item", None)]
    assert routes["GET /ok"].detail.errors == []


def test_route_interface_states_its_errors() -> None:
    item = _interface(FLASK, "POST /upload")
    assert item.errors == "`400` (missing file), `413` (too big), `415` (only PDF), `422`"
    # every status stated is inside the handler the item already cites
    assert [(c.start_line, c.end_line) for c in item.sources] == [(7, 17)]


FASTAPI = """
from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Response, status
from fastapi.responses import JSONResponse

router = APIRouter(prefix="/v1", dependencies=[Depends(require_token)])


def require_token(authorization: str = Header(default="")) -> None:
    if authorization != "Bearer x":
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="invalid token")


def _get(item_id: int):
    if item_id < 0:
        raise HTTPException(404, "item not found")
    return {}


def _deep(item_id: int):
    if item_id > 9:
        return {"error": "handed back, not answered"}, 400  # the route does not return it
    return _deeper(item_id)


@router.get("/items/{item_id}", responses={409: {"description": "locked"}})
def read(item_id: int, response: Response):
    item = _get(item_id)
    if item.get("gone"):
        response.status_code = 410
    try:
        _deep(item_id)
    except KeyError:
        return JSONResponse(status_code=422, content={"foo": 1})
    if item.get("x"):
        raise ValueError("not an HTTP answer")
    return item
"""


def test_fastapi_statuses_from_raises_dependencies_helpers_and_responses() -> None:
    route = _routes(FASTAPI)["GET /v1/items/{item_id}"]
    assert _statuses(route) == [
        (401, "invalid token", None),
        (404, "item not found", None),
        (409, "locked", None),
        (410, None, "item.get('gone')"),
        (422, None, "except KeyError"),
    ]
    vias = {e.status: e.via for e in route.detail.errors}
    assert vias == {401: "require_token", 404: "_get", 409: None, 410: None, 422: None}


def test_errors_found_in_a_helper_cite_the_helper_line() -> None:
    item = _interface(FASTAPI, "GET /v1/items/{item_id}")
    assert item.errors == (
        "`401` (invalid token), `404` (item not found), `409` (locked), "
        "`410` (when `item.get('gone')`), `422` (on `except KeyError`)"
    )
    lines = FASTAPI.lstrip("\n").split("\n")
    extra = [(c.start_line, c.quote) for c in item.sources[1:]]
    assert [n for n, _ in extra] == [9, 14]
    assert all(q and q.rstrip("…") in lines[n - 1] for n, q in extra)


def test_project_exception_of_a_known_name_is_no_status() -> None:
    src = """
    from flask import Flask
    from werkzeug.exceptions import NotFound as WzNotFound

    app = Flask(__name__)

    class Conflict(Exception):
        pass

    @app.get("/a")
    def a():
        raise Conflict("mine")  # answers 500 unless a handler maps it: not stated

    @app.get("/b")
    def b():
        raise WzNotFound()
    """
    routes = _routes(src)
    assert routes["GET /a"].detail.errors == []
    assert _statuses(routes["GET /b"]) == [(404, None, None)]


def test_errors_round_trip_through_spec_md() -> None:
    facts = parse_python("app/api.py", textwrap.dedent(FLASK).lstrip("\n")).facts
    spec = draft_offline(facts, "demo")
    md = render_markdown(spec)
    assert "- errors: `400` (missing file), `413` (too big), `415` (only PDF), `422`" in md
    back = read_markdown(md, companion=spec)
    assert [i.errors for i in back.interfaces] == [i.errors for i in spec.interfaces]
