"""Python parser fixes found by QA on the corpus: route parameters, falsy literals, test targets,
optional env vars, HTTP services by host, CLI program names, multi-line TODOs."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from specagent.ingest.models import Fact, FactKind, ParseResult
from specagent.ingest.python_parser import parse_python
from specagent.ingest.python_tests import link_test_targets


def parse(src: str, path: str = "app/mod.py") -> ParseResult:
    """Parse dedented source; every span lies in the file and every quote is verbatim."""
    src = textwrap.dedent(src).lstrip("\n")
    result = parse_python(path, src)
    lines = src.split("\n")
    for fact in result.facts:
        span = fact.source.span
        assert 1 <= span.start_line <= span.end_line <= len(lines), fact
        if fact.source.quote is not None:
            assert any(fact.source.quote in line for line in lines[span.start_line - 1 : span.end_line]), fact
    json.dumps([fact.detail.model_dump(mode="json") for fact in result.facts])
    ParseResult.model_validate_json(result.model_dump_json())
    return result


def of(result: ParseResult, kind: FactKind) -> list[Fact]:
    return [f for f in result.facts if f.kind is kind]


def routes(result: ParseResult) -> dict[str, dict[str, Any]]:
    out = {f.name: f.detail.model_dump() for f in of(result, FactKind.HTTP_ROUTE)}
    for detail in out.values():
        # the old key stays: the client-facing names, in the order of the specs
        assert detail["params"] == [s["name"] for s in detail["param_specs"]]
    return out


def specs(detail: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in detail["param_specs"]}


# --------------------------------------------------------------------------------------------
# 1. HTTP route parameters
# --------------------------------------------------------------------------------------------

FASTAPI_ROUTES = '''
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Query

from app.db import get_db
from app.models import OrderStatus
from app.schemas import ItemOut, Note, OrderOut


def require_token(authorization: str = Header(default="")) -> None:
    """Every route needs ``Authorization: Bearer <API_TOKEN>``."""
    if authorization != "Bearer x":
        raise HTTPException(status_code=401)


def tenant(x_tenant_id: str = Header(...), region: str = Query("eu", max_length=8)) -> str:
    return x_tenant_id


app = FastAPI()
router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_token)])


@router.get("/items", response_model=list[ItemOut])
def list_items(
    low_stock: bool = False,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
    db=Depends(get_db),
) -> list[ItemOut]:
    return []


@router.get("/items/{item_id}")
def get_item(item_id: int, db=Depends(get_db)) -> ItemOut:
    pass


@router.get("/orders", response_model=list[OrderOut])
def list_orders(
    status_filter: OrderStatus | None = Query(None, alias="status"),
    q: str = Query(..., min_length=3),
    page: Annotated[int, Query(ge=1)] = 1,
) -> list[OrderOut]:
    return []


@router.post("/items/{item_id}/notes")
def add_note(
    note: Note,
    x_ingest_token: str = Header(default=""),
    trace: str | None = Header(None, alias="X-Trace"),
    raw_header: str = Header("", convert_underscores=False),
    who: str = Depends(tenant),
) -> Note:
    return note


@app.get("/tenants/{tenant_id}/health", dependencies=[Depends(tenant)])
def tenant_health():
    return {"ok": True}


app.include_router(router)
'''


def test_fastapi_param_specs_locations_aliases_and_required() -> None:
    got = routes(parse(FASTAPI_ROUTES))
    items = specs(got["GET /api/v1/items"])
    assert items["limit"] == {
        "name": "limit",
        "location": "query",
        "type": "int",
        "required": False,
        "default": 50,
        "constraints": {"ge": 1, "le": 200},
        "dependency": None,
    }
    assert items["offset"]["default"] == 0 and items["offset"]["constraints"] == {"ge": 0}  # zero kept
    assert items["low_stock"]["default"] is False and items["low_stock"]["required"] is False
    assert "db" not in items  # a dependency injected by the app, not sent by the client

    # a path parameter is always required
    item = specs(got["GET /api/v1/items/{item_id}"])
    assert item["item_id"]["location"] == "path" and item["item_id"]["required"] is True

    orders = got["GET /api/v1/orders"]
    assert orders["params"][:3] == ["status", "q", "page"]  # the alias is what the client sends
    order_specs = specs(orders)
    assert order_specs["status"]["type"] == "OrderStatus | None"
    assert order_specs["status"]["required"] is False and order_specs["status"]["default"] is None
    assert order_specs["q"]["required"] is True and order_specs["q"]["constraints"] == {"min_length": 3}
    assert order_specs["page"] == {
        "name": "page",
        "location": "query",
        "type": "int",
        "required": False,
        "default": 1,
        "constraints": {"ge": 1},
        "dependency": None,
    }


def test_fastapi_header_names_and_dependency_params() -> None:
    got = routes(parse(FASTAPI_ROUTES))
    note = got["POST /api/v1/items/{item_id}/notes"]
    assert note["request_model"] == "Note"
    by_name = specs(note)
    assert by_name["X-Ingest-Token"]["location"] == "header"
    assert by_name["X-Ingest-Token"]["required"] is False and by_name["X-Ingest-Token"]["default"] == ""
    assert by_name["X-Trace"]["location"] == "header"  # alias= wins over the argument name
    assert by_name["raw_header"]["location"] == "header"  # convert_underscores=False keeps it
    # the path parameter the handler does not take is still in the URL
    assert by_name["item_id"] == {
        "name": "item_id",
        "location": "path",
        "type": None,
        "required": True,
        "default": None,
        "constraints": {},
        "dependency": None,
    }
    # Depends(tenant) in this file: its header and query parameters are the route's too
    assert by_name["X-Tenant-Id"]["required"] is True and by_name["X-Tenant-Id"]["dependency"] == "tenant"
    assert by_name["region"]["constraints"] == {"max_length": 8} and by_name["region"]["default"] == "eu"
    # the router's dependencies=[Depends(require_token)] reads Authorization on every route
    for name, detail in got.items():
        if name.startswith(("GET /api/v1", "POST /api/v1")):
            auth = specs(detail)["Authorization"]
            assert auth["location"] == "header" and auth["dependency"] == "require_token", name
    health = specs(got["GET /tenants/{tenant_id}/health"])
    assert "Authorization" not in health  # registered on the app, not the router
    assert health["X-Tenant-Id"]["dependency"] == "tenant"  # decorator dependencies=[...]
    assert health["tenant_id"]["location"] == "path"


def test_rag_style_ingest_header() -> None:
    got = routes(
        parse(
            '''
            from fastapi import FastAPI, Header
            from pydantic import BaseModel

            app = FastAPI()


            class IngestRequest(BaseModel):
                path: str = "docs/kb"


            @app.post("/ingest")
            def ingest(req: IngestRequest, x_ingest_token: str = Header(default="")):
                """Re-index the Markdown articles; needs the X-Ingest-Token header."""
            '''
        )
    )
    detail = got["POST /ingest"]
    assert detail["request_model"] == "IngestRequest"
    assert detail["params"] == ["X-Ingest-Token"]
    assert detail["param_specs"][0]["location"] == "header"


def test_flask_converters_and_request_reads() -> None:
    got = routes(
        parse(
            """
            from flask import Flask, jsonify, request

            app = Flask(__name__)


            @app.route("/orders/<int:order_id>/lines", methods=["GET"])
            def lines(order_id):
                limit = request.args.get("limit", 20, type=int)
                tags = request.args.getlist("tag")
                key = request.headers["X-Api-Key"]
                sort = request.args.get("sort")
                return jsonify([])


            @app.post("/orders")
            def create():
                body = request.get_json()
                email = request.json["email"]
                return jsonify({})


            def report(day):
                pass


            app.add_url_rule("/reports/<day>", view_func=report)
            """
        )
    )
    line = specs(got["GET /orders/<int:order_id>/lines"])
    assert line["order_id"] == {
        "name": "order_id",
        "location": "path",
        "type": "int",
        "required": True,
        "default": None,
        "constraints": {},
        "dependency": None,
    }
    assert line["limit"]["location"] == "query" and line["limit"]["default"] == 20 and line["limit"]["type"] == "int"
    assert line["tag"]["type"] == "list[str]"
    assert line["X-Api-Key"]["location"] == "header" and line["X-Api-Key"]["required"] is True
    assert line["sort"]["required"] is False  # .get() gives None when absent
    assert specs(got["POST /orders"])["email"]["location"] == "body"
    assert specs(got["GET /reports/<day>"])["day"]["type"] == "str"


def test_litestar_parameters_and_django_templates() -> None:
    got = routes(
        parse(
            """
            from litestar import get
            from litestar.params import Parameter


            @get("/users/{user_id:int}")
            async def get_user(
                user_id: int,
                token: str = Parameter(header="X-Token"),
                page: int = Parameter(query="p", default=1, ge=1),
                q: str | None = None,
            ) -> dict:
                return {}
            """
        )
    )
    user = specs(got["GET /users/{user_id:int}"])
    assert user["user_id"]["location"] == "path" and user["user_id"]["required"] is True
    assert user["X-Token"]["location"] == "header" and user["X-Token"]["required"] is True
    assert user["p"]["default"] == 1 and user["p"]["constraints"] == {"ge": 1}
    assert user["q"]["required"] is False

    django = routes(
        parse(
            """
            from django.urls import path, re_path
            from . import views

            urlpatterns = [
                path("items/<int:pk>/", views.detail),
                re_path(r"^archive/(?P<year>[0-9]{4})/$", views.archive),
            ]
            """,
            "shop/urls.py",
        )
    )
    assert specs(django["ANY /items/<int:pk>/"])["pk"]["type"] == "int"
    assert specs(django["ANY ^archive/(?P<year>[0-9]{4})/$"])["year"]["required"] is True


# --------------------------------------------------------------------------------------------
# 2. 0 / False / "" are values, not "missing"
# --------------------------------------------------------------------------------------------


def test_falsy_literals_survive_everywhere() -> None:
    result = parse(
        """
        import argparse
        import os
        from dataclasses import dataclass
        from typing import Annotated

        from pydantic import BaseModel, Field, conint


        class CustomerIn(BaseModel):
            SeniorCitizen: int = Field(ge=0, le=1)
            tenure: int = Field(ge=0)
            balance: float = Field(0, ge=0.0)
            visits: Annotated[int, Field(ge=0)] = 0
            score: conint(ge=0, le=0) = 0
            note: str = ""
            active: bool = False


        @dataclass
        class Row:
            count: int = 0
            label: str = ""


        RETRIES = int(os.getenv("RETRIES", "0"))
        VERBOSE = os.environ.get("VERBOSE", "")

        parser = argparse.ArgumentParser()
        parser.add_argument("--offset", type=int, default=0)
        parser.add_argument("--dry-run", action="store_true", default=False)
        """
    )
    models = {f.name: {x.name: x.model_dump() for x in f.detail.fields} for f in of(result, FactKind.DATA_MODEL)}
    customer = models["CustomerIn"]
    assert customer["tenure"]["constraints"] == {"ge": 0}
    assert customer["SeniorCitizen"]["constraints"] == {"ge": 0, "le": 1}
    assert customer["balance"]["default"] == 0 and customer["balance"]["constraints"] == {"ge": 0.0}
    assert customer["visits"]["constraints"] == {"ge": 0} and customer["visits"]["default"] == 0
    assert customer["score"]["constraints"] == {"ge": 0, "le": 0}
    assert customer["note"]["default"] == "" and customer["note"]["required"] is False
    assert customer["active"]["default"] is False
    assert models["Row"]["count"]["default"] == 0 and models["Row"]["label"]["default"] == ""
    envs = {f.name: f.detail.model_dump() for f in of(result, FactKind.ENV_VAR)}
    assert envs["RETRIES"]["default"] == "0" and envs["VERBOSE"]["default"] == ""
    [cli] = of(result, FactKind.CLI_COMMAND)
    opts = {o.name: o.model_dump() for o in cli.detail.options}
    assert opts["offset"]["default"] == 0 and opts["dry_run"]["default"] is False


# --------------------------------------------------------------------------------------------
# 3. what a test exercises
# --------------------------------------------------------------------------------------------


def targets(src: str, path: str = "tests/test_x.py") -> dict[str, str | None]:
    return {f.name: f.detail.target for f in of(parse(src, path), FactKind.TEST)}


def test_target_prefers_the_client_request_over_helpers_it_builds() -> None:
    got = targets(
        """
        from app import main
        from app.retriever import Hit
        from tests.conftest import AUTH


        def test_ask_returns_sources(client, monkeypatch):
            hit = Hit(doc_id="refunds#timing", title="Refunds", text="5-10 days", score=0.71)
            monkeypatch.setattr(main.retriever, "search", lambda q, k: [hit])
            resp = client.post("/ask", json={"question": "How long do refunds take?"})
            assert resp.status_code == 200


        def test_low_stock_flag(client, item):
            resp = client.patch(f"/api/v1/items/{item['id']}", json={"quantity_on_hand": 4}, headers=AUTH)
            assert resp.json()["low_stock"] is True


        def test_live_server():
            import requests
            assert requests.get("http://localhost:8000/health?deep=1").ok
        """
    )
    assert got == {
        "test_ask_returns_sources": "POST /ask",
        "test_low_stock_flag": "PATCH /api/v1/items/{}",
        "test_live_server": "GET /health",
    }


def test_target_by_name_then_assertion_then_first_project_call() -> None:
    got = targets(
        """
        import json

        import pytest

        from csvclean.cleaning import clean_rows, coerce_value, read_csv
        from csvclean.schema import ColumnSchema, SchemaError, load_schema


        def test_coerce_integer_from_float_text() -> None:
            col = ColumnSchema(name="quantity", type="integer")
            assert coerce_value("2.0", col) == 2


        def test_clean_rows_matches_expected_fixture(raw_csv, orders_schema_path) -> None:
            schema = load_schema(orders_schema_path)
            result = clean_rows(read_csv(raw_csv), schema)
            assert result.duplicates_removed == 2


        def test_drop_invalid_removes_rows(raw_csv, orders_schema_path) -> None:
            schema = load_schema(orders_schema_path)
            result = clean_rows(read_csv(raw_csv), schema, drop_invalid=True)
            assert result.rows_dropped == 4


        def test_duplicate_columns_are_rejected(tmp_path) -> None:
            path = tmp_path / "bad.schema.json"
            path.write_text(json.dumps({"columns": []}))
            with pytest.raises(SchemaError, match="duplicate"):
                load_schema(path)


        def test_unknown_column_type_is_rejected() -> None:
            with pytest.raises(SchemaError, match="unknown type"):
                ColumnSchema(name="x", type="decimal")
        """
    )
    assert got == {
        "test_coerce_integer_from_float_text": "coerce_value",  # called in the assert, not the class
        "test_clean_rows_matches_expected_fixture": "clean_rows",  # the test's name says so
        "test_drop_invalid_removes_rows": "clean_rows",  # its result is what is asserted
        "test_duplicate_columns_are_rejected": "load_schema",  # inside pytest.raises
        "test_unknown_column_type_is_rejected": "ColumnSchema",  # never the exception
    }


def test_link_test_targets_resolves_concrete_urls_to_route_templates() -> None:
    app = parse(
        """
        from fastapi import APIRouter

        router = APIRouter(prefix="/api/v1")


        @router.patch("/items/{item_id}")
        def update_item(item_id: int):
            pass


        @router.get("/items/{item_id}")
        def get_item(item_id: int):
            pass
        """
    )
    tests = parse(
        """
        def test_patch(client, item):
            assert client.patch(f"/api/v1/items/{item['id']}").status_code == 200


        def test_unknown(client):
            assert client.delete("/api/v1/items/7").status_code == 405
        """,
        "tests/test_items.py",
    )
    linked = link_test_targets(app.facts + tests.facts)
    got = {f.name: f.detail.target for f in linked if f.kind is FactKind.TEST}
    assert got == {"test_patch": "PATCH /api/v1/items/{item_id}", "test_unknown": "DELETE /api/v1/items/7"}
    assert len(linked) == len(app.facts) + len(tests.facts)


# --------------------------------------------------------------------------------------------
# 4. required environment variables
# --------------------------------------------------------------------------------------------


def test_getenv_without_default_is_optional_but_environ_subscript_is_required() -> None:
    result = parse(
        """
        import os

        from pydantic_settings import BaseSettings

        HOOK = os.getenv("SLACK_WEBHOOK_URL")
        REGION = os.environ.get("AWS_REGION")
        KEY = os.environ["OPENAI_API_KEY"]
        MODE = os.getenv("MODE")
        STRICT_MODE = os.environ["MODE"]  # the same variable read strictly elsewhere


        class Settings(BaseSettings):
            database_url: str = "sqlite:///./inventory.db"
            api_token: str
            debug: bool = False
        """
    )
    required = {f.name: f.detail.required for f in of(result, FactKind.ENV_VAR)}
    assert required == {
        "SLACK_WEBHOOK_URL": False,
        "AWS_REGION": False,
        "OPENAI_API_KEY": True,
        "MODE": True,
        "DATABASE_URL": False,
        "API_TOKEN": True,
        "DEBUG": False,
    }


# --------------------------------------------------------------------------------------------
# 5. HTTP services
# --------------------------------------------------------------------------------------------


def test_http_services_by_host_env_var_and_self() -> None:
    result = parse(
        """
        import json
        import os

        import httpx
        import requests

        SLACK_WEBHOOK_URL = os.getenv("SLACK_WEBHOOK_URL")
        BASE = os.environ["BILLING_URL"]
        CONFIG = json.load(open("config.json"))


        def post_to_slack(summary):
            requests.post(SLACK_WEBHOOK_URL, json={"text": summary})


        def notify():
            requests.post("https://hooks.slack.com/services/T000/B000", json={})
            httpx.get("https://api.github.com/repos/acme/app")


        def ask_local(question):
            return requests.post("http://localhost:8000/ask", json={"question": question})


        def ollama(prompt):
            return requests.post("http://127.0.0.1:11434/api/generate", json={"prompt": prompt})


        def invoice(n):
            return httpx.get(f"{BASE}/invoices/{n}")


        def push_to_dashboard(df):
            url = CONFIG["dashboard_url"] + "/api/v1/sentiment"
            return requests.post(url, json=[])


        def fetch(url):
            return requests.get(url)  # a parameter: where it points is unknown
        """
    )
    services = [(f.name, f.detail.kind, f.detail.client, f.detail.endpoint) for f in of(result, FactKind.SERVICE)]
    assert services == [
        ("${SLACK_WEBHOOK_URL}", "http", "requests", "${SLACK_WEBHOOK_URL}"),
        ("hooks.slack.com", "http", "requests", "https://hooks.slack.com/services/T000/B000"),
        ("api.github.com", "http", "httpx", "https://api.github.com/repos/acme/app"),
        ("localhost:8000", "self", "requests", "http://localhost:8000/ask"),
        ("127.0.0.1:11434", "http", "requests", "http://127.0.0.1:11434/api/generate"),
        ("${BILLING_URL}", "http", "httpx", "${BILLING_URL}/invoices/{n}"),
        ("CONFIG['dashboard_url']", "http", "requests", "{CONFIG['dashboard_url']}/api/v1/sentiment"),
        ("requests", "http", "requests", None),
    ]


# --------------------------------------------------------------------------------------------
# 6. CLI program names
# --------------------------------------------------------------------------------------------


def programs(result: ParseResult) -> dict[str, tuple[str, str]]:
    return {f.name: (f.detail.command, f.detail.program) for f in of(result, FactKind.CLI_COMMAND)}


def test_click_program_is_the_root_group() -> None:
    result = parse(
        """
        import click


        @click.group()
        def main():
            '''Clean CSV exports.'''


        @main.command()
        def clean():
            pass


        @main.group(name="db")
        def db_group():
            pass


        @db_group.command()
        def migrate():
            pass


        @click.group(name="csvclean-admin")
        def admin():
            pass


        @admin.command()
        def purge():
            pass
        """,
        "csvclean/cli.py",
    )
    assert programs(result) == {
        "main": ("", "main"),
        "clean": ("clean", "main"),
        "db": ("db", "main"),
        "db migrate": ("db migrate", "main"),
        "admin": ("", "csvclean-admin"),
        "purge": ("purge", "csvclean-admin"),
    }


def test_click_prog_name_argparse_prog_and_typer_name() -> None:
    click_src = parse(
        """
        import click


        @click.command()
        def run():
            pass


        if __name__ == "__main__":
            run(prog_name="runner")
        """
    )
    assert programs(click_src) == {"run": ("", "runner")}
    argparse_src = parse(
        """
        import argparse

        parser = argparse.ArgumentParser(prog="churn-train")
        sub = parser.add_subparsers()
        sub.add_parser("fit")
        """
    )
    assert set(programs(argparse_src).values()) == {("", "churn-train"), ("fit", "churn-train")}
    typer_src = parse(
        """
        import typer

        app = typer.Typer(name="kb")


        @app.command()
        def ingest():
            pass


        @app.command()
        def ask():
            pass
        """
    )
    assert {p for _, p in programs(typer_src).values()} == {"kb"}


# --------------------------------------------------------------------------------------------
# 7. TODOs over several comment lines
# --------------------------------------------------------------------------------------------


def test_todo_continuation_lines_join_and_separate_tags_stay_separate() -> None:
    result = parse(
        """
        import os

        # TODO: LOW_STOCK_THRESHOLD (env) and stock.low_stock_threshold (config.yaml) both exist;
        # decide which one wins instead of reading the env one in routes
        #   and the YAML one nowhere
        THRESHOLD = int(os.getenv("LOW_STOCK_THRESHOLD", "10"))


        # TODO: stream tokens to the sidebar
        # FIXME: no retry on RateLimitError


        def plot(cm):
            # TODO: re-enable the confusion matrix
            # plt.savefig("/tmp/cm.png")
            # NOTE: the notebook draws it instead
            return cm


        def load():
            # FIXME: one line only

            # an unrelated comment after a blank line
            return None
        """
    )
    todos = [
        (f.detail.tag, f.detail.text, f.source.span.start_line, f.source.span.end_line)
        for f in of(result, FactKind.TODO)
    ]
    assert todos == [
        (
            "TODO",
            "LOW_STOCK_THRESHOLD (env) and stock.low_stock_threshold (config.yaml) both exist; "
            "decide which one wins instead of reading the env one in routes and the YAML one nowhere",
            3,
            5,
        ),
        ("TODO", "stream tokens to the sidebar", 9, 9),
        ("FIXME", "no retry on RateLimitError", 10, 10),
        ("TODO", "re-enable the confusion matrix", 14, 14),
        ("FIXME", "one line only", 21, 21),
    ]


def test_todo_continuation_in_a_file_that_does_not_parse() -> None:
    result = parse(
        """
        def broken(:
            # TODO: fix the signature
            # before the release
            pass
        """
    )
    [todo] = of(result, FactKind.TODO)
    assert todo.detail.text == "fix the signature before the release"
    assert (todo.source.span.start_line, todo.source.span.end_line) == (2, 3)
