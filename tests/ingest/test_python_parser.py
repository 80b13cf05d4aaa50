"""The Python parser: facts by kind, spans and quotes, chunks, fallback, robustness, speed."""

from __future__ import annotations

import json
import textwrap

import pytest
from workloads import python_source

from specagent.ingest.models import ChunkKind, Fact, FactKind, ParseResult, make_chunk_id
from specagent.ingest.python_parser import parse_python


def _check_sources(src: str, result: ParseResult) -> None:
    """Every span lies in the file and every quote is verbatim text of the cited lines."""
    lines = src.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for fact in result.facts:
        span = fact.source.span
        assert 1 <= span.start_line <= span.end_line <= max(1, len(lines)), fact
        if fact.source.quote is not None:
            cited = lines[span.start_line - 1 : span.end_line]
            assert any(fact.source.quote in line for line in cited), fact
    json.dumps([fact.detail.model_dump(mode="json") for fact in result.facts])  # details are plain JSON
    ParseResult.model_validate_json(result.model_dump_json())  # and valid models
    for chunk in result.chunks:
        assert chunk.text == "\n".join(lines[chunk.span.start_line - 1 : chunk.span.end_line])
        assert chunk.text.strip()
        assert chunk.id == make_chunk_id(chunk.path, chunk.span, chunk.text)


def parse(src: str, path: str = "app/mod.py") -> ParseResult:
    src = textwrap.dedent(src).lstrip("\n")
    result = parse_python(path, src)
    _check_sources(src, result)
    return result


def of(result: ParseResult, kind: FactKind) -> list[Fact]:
    return [f for f in result.facts if f.kind is kind]


def one(result: ParseResult, kind: FactKind, name: str) -> Fact:
    found = [f for f in of(result, kind) if f.name == name]
    assert len(found) == 1, (name, [f.name for f in of(result, kind)])
    return found[0]


def options(fact: Fact) -> dict[str, dict]:
    return {o.name: o.model_dump() for o in fact.detail.options}


# --------------------------------------------------------------------------------------------
# module, functions, classes, imports
# --------------------------------------------------------------------------------------------


def test_module_functions_and_classes() -> None:
    result = parse(
        '''
        """Score customers for churn.

        Longer text.
        """
        import numpy as np
        import pandas as pd


        def predict_proba(features: pd.DataFrame, threshold: float = 0.5) -> np.ndarray:
            """Probability of churn per row."""
            return np.zeros(len(features))


        async def fetch(url, *, timeout=10, **kw):
            pass


        def _private():
            pass


        class Scorer(Base):
            """Wraps the model."""

            def __init__(self, path: str) -> None:
                self.path = path

            @staticmethod
            def load(path: str, /, strict: bool = True) -> "Scorer":
                return Scorer(path)

            def _hidden(self):
                pass
        '''
    )
    module = of(result, FactKind.MODULE)[0]
    assert module.name == "app.mod"
    assert module.detail.model_dump() == {"doc": "Score customers for churn."}

    predict = one(result, FactKind.FUNCTION, "predict_proba")
    assert predict.detail.signature == ("predict_proba(features: pd.DataFrame, threshold: float = 0.5) -> np.ndarray")
    assert predict.detail.doc == "Probability of churn per row."
    assert predict.detail.is_async is False
    assert predict.source.quote.startswith("def predict_proba(")

    fetch = one(result, FactKind.FUNCTION, "fetch")
    assert fetch.detail.signature == "fetch(url, *, timeout=10, **kw)"
    assert fetch.detail.is_async is True
    assert not [f for f in of(result, FactKind.FUNCTION) if f.name.startswith("_p")]

    scorer = one(result, FactKind.CLASS, "Scorer")
    assert scorer.detail.model_dump() == {"bases": ["Base"], "doc": "Wraps the model.", "methods": ["__init__", "load"]}
    init = one(result, FactKind.FUNCTION, "__init__")
    assert init.detail.signature == "__init__(path: str) -> None"
    assert init.detail.qualname == "Scorer.__init__"
    load = one(result, FactKind.FUNCTION, "load")
    assert load.detail.signature == "load(path: str, /, strict: bool = True) -> 'Scorer'"
    assert load.detail.decorators == ["staticmethod"]
    assert load.source.span.start_line == load.source.span.end_line - 2  # decorator included

    imports = {f.name: f.detail.model_dump() for f in of(result, FactKind.IMPORT)}
    assert imports == {
        "numpy": {"module": "numpy", "stdlib": False},
        "pandas": {"module": "pandas", "stdlib": False},
    }


def test_imports_dedupe_stdlib_and_skip_relative() -> None:
    result = parse(
        """
        from __future__ import annotations
        import os.path
        import os
        from collections import abc
        from . import sibling
        from .pkg import thing
        import yaml as y

        def f():
            import json
        """
    )
    imports = [(f.name, f.detail.stdlib) for f in of(result, FactKind.IMPORT)]
    assert imports == [("os", True), ("collections", True), ("yaml", False), ("json", True)]


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


ARGPARSE_SRC = """
import argparse

MODELS = ["gb", "rf"]
DATA = "data/customers.csv"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="churn", description="Train and score churn models.")
    parser.add_argument("-v", "--verbose", action="store_true", help="more logs")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("train", help="fit a model")
    p.add_argument("--data", default=DATA, help="input CSV")
    p.add_argument("--model", choices=MODELS, default="gb")
    p.add_argument("--test-size", type=float, default=0.2)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--seed", type=int, required=True)
    p.add_argument("--tags", nargs="+")
    p.add_argument("--cache", action=argparse.BooleanOptionalAction, default=True)

    p = sub.add_parser("score", help="score a file")
    p.add_argument("input", help="rows to score")
    p.add_argument("output", nargs="?")
    p.add_argument(*EXTRA_FLAGS, **EXTRA_OPTIONS)
    return parser


if __name__ == "__main__":
    build_parser().parse_args()
"""


def test_argparse_with_subparsers() -> None:
    result = parse(ARGPARSE_SRC, "churn/cli.py")
    commands = {f.detail.command: f for f in of(result, FactKind.CLI_COMMAND)}
    assert set(commands) == {"", "train", "score"}  # no "main" command beside argparse
    root = commands[""]
    assert root.name == "churn"
    assert root.detail.framework == "argparse"
    assert root.detail.program == "churn"
    assert root.detail.help == "Train and score churn models."
    assert options(root)["verbose"] == {
        "name": "verbose",
        "flags": ["-v", "--verbose"],
        "type": "bool",
        "default": False,
        "required": False,
        "help": "more logs",
        "choices": None,
    }
    assert root.source.quote.startswith("parser = argparse.ArgumentParser(")

    train = options(commands["train"])
    assert commands["train"].detail.help == "fit a model"
    assert train["data"]["default"] == "data/customers.csv"  # module constant followed
    assert train["model"]["choices"] == ["gb", "rf"]
    assert train["test_size"]["flags"] == ["--test-size"]
    assert train["test_size"]["type"] == "float"
    assert train["test_size"]["default"] == 0.2
    assert train["seed"]["required"] is True  # added through a group
    assert train["tags"]["type"] == "list[str]"
    assert train["cache"]["flags"] == ["--cache", "--no-cache"]
    assert train["cache"]["type"] == "bool"

    score = options(commands["score"])
    assert score["input"]["required"] is True and score["input"]["flags"] == ["input"]
    assert score["output"]["required"] is False
    assert len(score) == 3  # the dynamic add_argument is kept, by its text
    assert "input" not in options(commands["train"])  # `p` rebinding does not leak options
    span = commands["train"].source.span
    lines = textwrap.dedent(ARGPARSE_SRC).lstrip("\n").split("\n")
    assert 'sub.add_parser("train"' in lines[span.start_line - 1]
    assert "--cache" in lines[span.end_line - 1]


CLICK_SRC = '''
import click

shared = click.option("--encoding", default="utf-8", help="text encoding")


@click.group()
@click.version_option("1.0")
@click.option("--quiet", "-q", is_flag=True, help="Only errors.")
def cli(quiet):
    """Clean CSV exports."""


@cli.command()
@click.argument("input_path", type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--dedupe/--no-dedupe", default=True, help="Drop duplicates.")
@click.option("--key", multiple=True, envvar="CLEAN_KEYS")
@shared
def clean_command(input_path, fmt, dedupe, key, encoding):
    """Clean INPUT_PATH."""


@cli.group(name="db")
def database():
    """Database commands."""


@database.command("migrate", help="Apply migrations.")
@click.option("--dry-run", is_flag=True)
def migrate(dry_run):
    pass


@click.command()
@click.option("--count", default=3, type=int)
def standalone(count):
    pass


cli.add_command(standalone, name="again")
'''


def test_click_group_choices_flag_pairs_and_nesting() -> None:
    result = parse(CLICK_SRC, "csvclean/cli.py")
    commands = {f.detail.command: f for f in of(result, FactKind.CLI_COMMAND)}
    assert set(commands) == {"", "clean", "db", "db migrate", "again"}
    root = commands[""]
    assert root.name == "cli"
    assert root.detail.help == "Clean CSV exports."
    assert set(options(root)) == {"version", "quiet"}
    assert options(root)["quiet"]["flags"] == ["--quiet", "-q"]
    assert root.source.quote == "@click.group()"

    clean = options(commands["clean"])
    assert list(clean) == ["input_path", "fmt", "dedupe", "key", "encoding"]
    assert clean["input_path"] == {
        "name": "input_path",
        "flags": [],
        "type": "path",
        "default": None,
        "required": True,
        "help": None,
        "choices": None,
    }
    assert clean["fmt"]["type"] == "choice"
    assert clean["fmt"]["choices"] == ["csv", "json"]
    assert clean["fmt"]["flags"] == ["--format"]
    assert clean["dedupe"]["flags"] == ["--dedupe", "--no-dedupe"]
    assert clean["dedupe"]["type"] == "bool" and clean["dedupe"]["default"] is True
    assert clean["key"]["type"] == "list[str]"
    assert clean["encoding"]["default"] == "utf-8"  # the reusable option
    assert commands["clean"].name == "clean"  # "_command" suffix dropped, as click does
    assert commands["db migrate"].detail.help == "Apply migrations."
    assert options(commands["again"])["count"]["type"] == "int"

    env = one(result, FactKind.ENV_VAR, "CLEAN_KEYS")
    assert env.detail.accessor == "settings"


TYPER_SRC = '''
from enum import Enum
from typing import Annotated, Optional

import typer

app = typer.Typer(help="Inventory tools.")
users = typer.Typer()
app.add_typer(users, name="users")


class Color(str, Enum):
    red = "red"
    blue = "blue"


@app.command()
def load_data(
    path: str,
    limit: int = 10,
    color: Color = Color.red,
    dry_run: bool = False,
    name: Annotated[str, typer.Option("--name", "-n", help="who")] = "bob",
    token: str = typer.Option(..., envvar="INV_TOKEN", help="API token"),
) -> None:
    """Load data from PATH."""


@app.command("report")
def make_report(out: Optional[str] = typer.Argument(None)) -> None:
    pass


@users.command()
def add(email: str) -> None:
    pass
'''


def test_typer_commands_params_and_sub_apps() -> None:
    result = parse(TYPER_SRC, "inv/cli.py")
    commands = {f.detail.command: f for f in of(result, FactKind.CLI_COMMAND)}
    assert set(commands) == {"", "load-data", "report", "users", "users add"}
    assert commands[""].detail.help == "Inventory tools."
    load = options(commands["load-data"])
    assert commands["load-data"].detail.framework == "typer"
    assert commands["load-data"].detail.help == "Load data from PATH."
    assert load["path"]["flags"] == [] and load["path"]["required"] is True
    assert load["limit"] == {
        "name": "limit",
        "flags": ["--limit"],
        "type": "int",
        "default": 10,
        "required": False,
        "help": None,
        "choices": None,
    }
    assert load["color"]["choices"] == ["red", "blue"]
    assert load["dry_run"]["flags"] == ["--dry-run", "--no-dry-run"]
    assert load["name"]["flags"] == ["--name", "-n"] and load["name"]["default"] == "bob"
    assert load["name"]["help"] == "who"
    assert load["token"]["required"] is True and load["token"]["help"] == "API token"
    assert options(commands["report"])["out"]["required"] is False
    token = one(result, FactKind.ENV_VAR, "INV_TOKEN")
    assert token.detail.is_secret is True and token.detail.required is True


def test_typer_single_command_is_the_root() -> None:
    result = parse(
        """
        import typer

        app = typer.Typer()

        @app.command()
        def main(name: str, count: int = 1):
            pass
        """
    )
    [command] = of(result, FactKind.CLI_COMMAND)
    assert command.detail.command == ""
    assert list(options(command)) == ["name", "count"]


def test_main_block_when_no_cli_framework() -> None:
    result = parse(
        '''
        """Classify reviews."""
        import sys

        def run(path):
            pass

        if __name__ == "__main__":
            run(sys.argv[1])
        '''
    )
    [command] = of(result, FactKind.CLI_COMMAND)
    assert command.detail.framework == "main"
    assert command.detail.program == "mod.py"
    assert command.detail.help == "Classify reviews."
    assert [o.name for o in command.detail.options] == ["argv[1]"]
    assert command.source.quote == 'if __name__ == "__main__":'


# --------------------------------------------------------------------------------------------
# HTTP routes
# --------------------------------------------------------------------------------------------


FASTAPI_SRC = '''
from fastapi import APIRouter, Depends, FastAPI, Query
from pydantic import BaseModel

from .schemas import ItemOut

app = FastAPI()
router = APIRouter(prefix="/items")


class ItemIn(BaseModel):
    name: str


@router.get("/{item_id}", response_model=ItemOut)
def get_item(item_id: int, verbose: bool = Query(False), db=Depends(get_db)):
    """One item."""


@router.post("/", status_code=201)
async def create_item(item: ItemIn, db=Depends(get_db)) -> ItemOut:
    pass


@app.api_route("/ping", methods=["GET", "HEAD"])
def ping():
    pass


@app.get("/health")
def health() -> dict:
    return {"ok": True}


app.include_router(router, prefix="/api/v1")
'''


def test_fastapi_routes_with_router_prefix_and_models() -> None:
    result = parse(FASTAPI_SRC)
    routes = {f.name: f for f in of(result, FactKind.HTTP_ROUTE)}
    assert set(routes) == {
        "GET /api/v1/items/{item_id}",
        "POST /api/v1/items/",
        "GET /ping",
        "HEAD /ping",
        "GET /health",
    }
    get = routes["GET /api/v1/items/{item_id}"].detail.model_dump()
    assert get == {
        "framework": "fastapi",
        "method": "GET",
        "path": "/api/v1/items/{item_id}",
        "handler": "get_item",
        "request_model": None,
        "response_model": "ItemOut",
        "params": ["item_id", "verbose"],
        "param_specs": [
            {
                "name": "item_id",
                "location": "path",
                "type": "int",
                "required": True,
                "default": None,
                "constraints": {},
                "dependency": None,
            },
            {
                "name": "verbose",
                "location": "query",
                "type": "bool",
                "required": False,
                "default": False,
                "constraints": {},
                "dependency": None,
            },
        ],
        "doc": "One item.",
        "errors": [],
    }
    post = routes["POST /api/v1/items/"].detail.model_dump()
    assert post["request_model"] == "ItemIn"
    assert post["response_model"] == "ItemOut"  # from the return annotation
    assert post["params"] == []
    assert routes["GET /health"].detail.response_model is None
    assert routes["GET /health"].source.quote == '@app.get("/health")'


def test_flask_one_fact_per_method_and_blueprint_prefix() -> None:
    result = parse(
        """
        from flask import Blueprint, Flask

        app = Flask(__name__)
        bp = Blueprint("orders", __name__, url_prefix="/orders")


        @app.route("/submit", methods=["GET", "POST"])
        def submit():
            '''Submit the form.'''


        @app.route("/")
        def index():
            pass


        @bp.get("/<int:order_id>")
        def show(order_id):
            pass


        app.register_blueprint(bp, url_prefix="/api/orders")
        """
    )
    routes = {f.name: f.detail.model_dump() for f in of(result, FactKind.HTTP_ROUTE)}
    assert set(routes) == {"GET /submit", "POST /submit", "GET /", "GET /api/orders/<int:order_id>"}
    assert routes["POST /submit"]["framework"] == "flask"
    assert routes["POST /submit"]["doc"] == "Submit the form."
    assert routes["GET /api/orders/<int:order_id>"]["params"] == ["order_id"]


def test_litestar_handlers_and_controller_path() -> None:
    result = parse(
        """
        from litestar import Controller, Litestar, get, post
        from dataclasses import dataclass


        @dataclass
        class User:
            name: str


        @get("/health")
        async def health() -> dict[str, str]:
            return {"ok": "yes"}


        @post(path="/users")
        async def create_user(data: User) -> User:
            return data


        class UserController(Controller):
            path = "/users"

            @get("/{user_id:int}")
            async def get_user(self, user_id: int) -> User:
                pass
        """
    )
    routes = {f.name: f.detail.model_dump() for f in of(result, FactKind.HTTP_ROUTE)}
    assert set(routes) == {"GET /health", "POST /users", "GET /users/{user_id:int}"}
    assert routes["POST /users"]["request_model"] == "User"
    assert routes["POST /users"]["response_model"] == "User"
    assert routes["GET /users/{user_id:int}"]["params"] == ["user_id"]
    assert all(d["framework"] == "litestar" for d in routes.values())


def test_django_urls() -> None:
    result = parse(
        """
        from django.urls import include, path, re_path

        from . import views

        urlpatterns = [
            path("", views.index, name="index"),
            path("items/<int:pk>/", views.ItemDetail.as_view(), name="item"),
            re_path(r"^archive/(?P<year>[0-9]{4})/$", views.archive),
            path("api/", include("api.urls")),
        ]
        """,
        "shop/urls.py",
    )
    # the include() is a pending part, joined into full paths across files by link_django_routes
    routes = {f.name: f.detail.model_dump() for f in of(result, FactKind.HTTP_ROUTE) if not f.detail.django_part}
    assert set(routes) == {"ANY /", "ANY /items/<int:pk>/", "ANY ^archive/(?P<year>[0-9]{4})/$"}
    assert routes["ANY /items/<int:pk>/"]["handler"] == "views.ItemDetail"
    assert routes["ANY /items/<int:pk>/"]["params"] == ["pk"]
    assert routes["ANY ^archive/(?P<year>[0-9]{4})/$"]["params"] == ["year"]


# --------------------------------------------------------------------------------------------
# data models
# --------------------------------------------------------------------------------------------


def fields(fact: Fact) -> dict[str, dict]:
    return {f.name: f.model_dump() for f in fact.detail.fields}


def test_sqlalchemy_declarative_and_mapped_styles() -> None:
    result = parse(
        """
        from datetime import datetime
        from typing import Optional

        from sqlalchemy import Column, ForeignKey, Integer, String
        from sqlalchemy.orm import DeclarativeBase, Mapped, declarative_base, mapped_column, relationship

        Legacy = declarative_base()


        class Base(DeclarativeBase):
            pass


        class Supplier(Legacy):
            __tablename__ = "suppliers"
            id = Column(Integer, primary_key=True)
            name = Column(String(120), nullable=False, unique=True)
            phone = Column(String(20))


        class Item(Base):
            __tablename__ = "items"

            id: Mapped[int] = mapped_column(primary_key=True)
            sku: Mapped[str] = mapped_column(String(9), unique=True, index=True)
            note: Mapped[Optional[str]]
            supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
            quantity: Mapped[int] = mapped_column(default=0)
            supplier: Mapped["Supplier"] = relationship(back_populates="items")
        """
    )
    models = {f.name: f for f in of(result, FactKind.DATA_MODEL)}
    assert set(models) == {"Supplier", "Item"}  # the declarative Base itself is no table
    supplier = models["Supplier"]
    assert supplier.detail.framework == "sqlalchemy"
    assert supplier.detail.table == "suppliers"
    cols = fields(supplier)
    assert cols["id"]["type"] == "Integer" and cols["id"]["required"] is False
    assert cols["id"]["constraints"]["primary_key"] is True
    assert cols["name"] == {
        "name": "name",
        "type": "String(120)",
        "required": True,
        "default": None,
        "constraints": {"nullable": False, "unique": True},
    }
    assert cols["phone"]["required"] is False

    item = fields(models["Item"])
    assert models["Item"].detail.table == "items"
    assert list(item) == ["id", "sku", "note", "supplier_id", "quantity"]
    assert item["sku"]["type"] == "str" and item["sku"]["required"] is True
    assert item["sku"]["constraints"] == {"unique": True, "index": True, "sql_type": "String(9)"}
    assert item["note"]["required"] is False
    assert item["supplier_id"]["constraints"]["foreign_key"] == "suppliers.id"
    assert item["quantity"]["default"] == 0 and item["quantity"]["required"] is False


def test_pydantic_fields_and_constraints() -> None:
    result = parse(
        """
        from typing import Annotated
        from pydantic import BaseModel, Field, constr


        class ItemBase(BaseModel):
            '''An item.'''

            sku: str = Field(..., pattern=r"^[A-Z]{3}-\\d{4}$")
            name: str = Field(min_length=1, max_length=200, description="shown to users")
            price: float = Field(0.0, ge=0)
            tags: list[str] = Field(default_factory=list)
            code: constr(max_length=5)
            score: Annotated[int, Field(ge=1, le=5)] = 3
            _secret: str = "hidden"
            model_config = {"frozen": True}


        class ItemCreate(ItemBase):
            quantity: int
        """
    )
    base = one(result, FactKind.DATA_MODEL, "ItemBase")
    assert base.detail.framework == "pydantic"
    assert base.detail.doc == "An item."
    got = fields(base)
    assert list(got) == ["sku", "name", "price", "tags", "code", "score"]
    assert got["sku"]["required"] is True
    assert got["sku"]["constraints"] == {"pattern": r"^[A-Z]{3}-\d{4}$"}
    assert got["name"]["required"] is True
    assert got["name"]["constraints"] == {"min_length": 1, "max_length": 200}
    assert got["price"] == {
        "name": "price",
        "type": "float",
        "required": False,
        "default": 0.0,
        "constraints": {"ge": 0},
    }
    assert got["tags"]["default"] == "list()" and got["tags"]["required"] is False
    assert got["code"]["type"] == "str" and got["code"]["constraints"] == {"max_length": 5}
    assert got["score"]["type"] == "int" and got["score"]["constraints"] == {"ge": 1, "le": 5}
    create = one(result, FactKind.DATA_MODEL, "ItemCreate")
    assert create.detail.framework == "pydantic"  # through the local base class
    assert fields(create)["quantity"]["required"] is True


def test_base_settings_env_prefix_and_aliases() -> None:
    result = parse(
        """
        from pydantic import Field, SecretStr
        from pydantic_settings import BaseSettings, SettingsConfigDict


        class Settings(BaseSettings):
            model_config = SettingsConfigDict(env_prefix="INV_", env_file=".env")

            database_url: str = "sqlite:///./inventory.db"
            api_token: str
            stripe: SecretStr
            port: int = Field(8000, alias="PORT")


        class Legacy(BaseSettings):
            debug: bool = False

            class Config:
                env_prefix = "OLD_"
        """
    )
    envs = {f.name: f.detail.model_dump() for f in of(result, FactKind.ENV_VAR)}
    assert envs == {
        "INV_DATABASE_URL": {
            "accessor": "settings",
            "default": "sqlite:///./inventory.db",
            "required": False,
            "is_secret": False,
        },
        "INV_API_TOKEN": {"accessor": "settings", "default": None, "required": True, "is_secret": True},
        "INV_STRIPE": {"accessor": "settings", "default": None, "required": True, "is_secret": True},
        "PORT": {"accessor": "settings", "default": 8000, "required": False, "is_secret": False},
        "OLD_DEBUG": {"accessor": "settings", "default": False, "required": False, "is_secret": False},
    }
    settings = one(result, FactKind.DATA_MODEL, "Settings")
    assert [f.name for f in settings.detail.fields] == ["database_url", "api_token", "stripe", "port"]


def test_dataclass_typeddict_namedtuple_attrs() -> None:
    result = parse(
        """
        import attr
        from collections import namedtuple
        from dataclasses import dataclass, field
        from typing import ClassVar, NamedTuple, NotRequired, TypedDict


        @dataclass(frozen=True)
        class Result:
            rows: list[dict]
            dropped: int = 0
            notes: list[str] = field(default_factory=list)
            VERSION: ClassVar[int] = 2


        class Row(TypedDict, total=False):
            id: int
            name: str


        class Strict(TypedDict):
            id: int
            label: NotRequired[str]


        class Point(NamedTuple):
            x: float
            y: float = 0.0


        @attr.s
        class Legacy:
            a = attr.ib()
            b = attr.ib(default=1, type=int)


        Pair = namedtuple("Pair", "left right")
        """
    )
    models = {f.name: f for f in of(result, FactKind.DATA_MODEL)}
    assert {n: m.detail.framework for n, m in models.items()} == {
        "Result": "dataclass",
        "Row": "typeddict",
        "Strict": "typeddict",
        "Point": "namedtuple",
        "Legacy": "attrs",
        "Pair": "namedtuple",
    }
    result_fields = fields(models["Result"])
    assert list(result_fields) == ["rows", "dropped", "notes"]  # ClassVar skipped
    assert result_fields["rows"]["required"] is True
    assert result_fields["notes"]["default"] == "list()"
    assert models["Result"].source.quote == "@dataclass(frozen=True)" or models["Result"].source.quote.startswith(
        "class Result"
    )
    assert all(not f.required for f in models["Row"].detail.fields)
    assert {f.name: f.required for f in models["Strict"].detail.fields} == {"id": True, "label": False}
    assert fields(models["Point"])["y"]["default"] == 0.0
    assert fields(models["Legacy"])["b"] == {
        "name": "b",
        "type": "int",
        "required": False,
        "default": 1,
        "constraints": None,
    }
    assert [f.name for f in models["Pair"].detail.fields] == ["left", "right"]


# --------------------------------------------------------------------------------------------
# environment variables, files, services
# --------------------------------------------------------------------------------------------


def test_env_var_forms() -> None:
    result = parse(
        """
        import os
        from os import environ, getenv

        KEY = os.environ["OPENAI_API_KEY"]
        HOOK = os.getenv("SLACK_WEBHOOK_URL")
        THRESHOLD = float(os.getenv("CHURN_THRESHOLD", "0.5"))
        DEBUG = os.environ.get("DEBUG", False)
        DB = environ["DB_PASSWORD"]
        MAX = getenv("LLM_MAX_TOKENS", "512")
        os.environ["WRITTEN"] = "1"
        os.environ.setdefault("REGION", "eu")
        PREFIX = "APP"
        built = os.environ[PREFIX + "_HOME"]  # a module constant is followed


        def again(key):
            os.environ[key]  # unknown name: no fact
            return os.getenv("CHURN_THRESHOLD")
        """
    )
    envs = {f.name: f for f in of(result, FactKind.ENV_VAR)}
    assert set(envs) == {
        "OPENAI_API_KEY",
        "SLACK_WEBHOOK_URL",
        "CHURN_THRESHOLD",
        "DEBUG",
        "DB_PASSWORD",
        "LLM_MAX_TOKENS",
        "REGION",
        "APP_HOME",
    }
    assert envs["OPENAI_API_KEY"].detail.model_dump() == {
        "accessor": "os.environ",
        "default": None,
        "required": True,
        "is_secret": True,
    }
    assert envs["SLACK_WEBHOOK_URL"].detail.accessor == "os.getenv"
    assert envs["SLACK_WEBHOOK_URL"].detail.required is False  # getenv tolerates absence
    assert envs["CHURN_THRESHOLD"].detail.default == "0.5"
    assert envs["CHURN_THRESHOLD"].detail.required is False
    assert envs["CHURN_THRESHOLD"].source.span.start_line == 6  # first read cited
    assert envs["DEBUG"].detail.default is False
    assert envs["DB_PASSWORD"].detail.is_secret is True
    assert envs["LLM_MAX_TOKENS"].detail.is_secret is False  # a count, not a token
    assert envs["REGION"].detail.default == "eu"


def test_file_io() -> None:
    result = parse(
        """
        import json
        import pickle
        from pathlib import Path

        import joblib
        import numpy as np
        import pandas as pd
        import yaml

        DATA_DIR = Path("data")


        def read_csv(path):
            return path


        def run(out_dir):
            df = pd.read_csv("data/customers.csv")
            raw = pd.read_parquet(DATA_DIR / "events.parquet")
            with open("config.yaml") as fh:
                cfg = yaml.safe_load(fh)
            with open("notes.txt", "a", encoding="utf-8") as log:
                log.write("x")
            df.to_csv(f"{out_dir}/clean.csv", index=False)
            text = df.to_csv()
            json.dump({"n": 1}, open("metrics.json", "w"))
            model = joblib.load("models/model.joblib")
            np.save("emb.npy", raw)
            pickle.dump(model, open("m.pkl", "wb"))
            prompt = Path("prompts/answer.txt").read_text()
            read_csv("not a file read")
            settings = json.loads(Path("settings.json").read_text())
            with (DATA_DIR / "blob.bin").open("rb") as fh:
                fh.read()
            with Image.open("photo.png") as img:
                pass
        """
    )
    io = [(f.detail.mode, f.detail.format, f.detail.target, f.detail.call) for f in of(result, FactKind.FILE_IO)]
    assert io == [
        ("read", "csv", "data/customers.csv", "pd.read_csv"),
        ("read", "parquet", "data/events.parquet", "pd.read_parquet"),
        ("read", "yaml", "config.yaml", "yaml.safe_load"),
        ("write", "text", "notes.txt", "open"),
        ("write", "csv", "{out_dir}/clean.csv", "DataFrame.to_csv"),
        ("write", "json", "metrics.json", "json.dump"),
        ("read", "joblib", "models/model.joblib", "joblib.load"),
        ("write", "npy", "emb.npy", "np.save"),
        ("write", "pickle", "m.pkl", "pickle.dump"),
        ("read", "text", "prompts/answer.txt", "Path.read_text"),
        ("read", "json", "settings.json", "json.loads"),
        ("read", "binary", "data/blob.bin", "Path.open"),
    ]


def test_services_and_model_names() -> None:
    result = parse(
        """
        import boto3
        import chromadb
        import redis
        import requests
        from anthropic import Anthropic
        from openai import OpenAI
        from sqlalchemy import create_engine

        MODEL = "gpt-4o-mini"
        API = "https://api.example.com/v1"

        client = OpenAI(base_url="http://localhost:11434/v1")
        claude = Anthropic()
        engine = create_engine("postgresql://db/app")
        cache = redis.Redis(host="cache", port=6380)
        s3 = boto3.client("s3")


        def ask(q):
            r = client.chat.completions.create(model=MODEL, messages=[])
            e = client.embeddings.create(model="text-embedding-3-small", input=[q])
            m = claude.messages.create(model="claude-3-5-sonnet-latest", max_tokens=10, messages=[])
            requests.post(f"{API}/events", json={})
            return r, e, m


        def store(path: str = "./.chroma"):
            db = chromadb.PersistentClient(path=path)
            return db.get_or_create_collection(name="support_kb")
        """
    )
    services = {f.name: f.detail.model_dump() for f in of(result, FactKind.SERVICE)}
    assert services["openai"]["kind"] == "llm"
    assert services["openai"]["endpoint"] == "http://localhost:11434/v1"
    assert services["openai"]["models"][:3] == ["gpt-4o-mini", "text-embedding-3-small", "claude-3-5-sonnet-latest"]
    assert services["anthropic"]["client"] == "anthropic"
    assert services["sqlalchemy"] == {
        "kind": "database",
        "client": "sqlalchemy",
        "endpoint": "postgresql://db/app",
        "models": [],
    }
    assert services["redis"]["endpoint"] == "redis://cache:6380"
    assert services["s3"]["kind"] == "cloud" and services["s3"]["client"] == "boto3"
    assert services["api.example.com"]["kind"] == "http"  # named by host
    assert services["api.example.com"]["endpoint"] == "https://api.example.com/v1/events"
    assert services["chromadb"]["endpoint"] == "./.chroma"  # the parameter's default
    assert services["support_kb"]["kind"] == "vector_db"
    assert services["support_kb"]["endpoint"] == "./.chroma"


def test_langchain_chroma_http_and_postgres_services() -> None:
    result = parse(
        """
        import chromadb
        import psycopg
        from langchain_openai import ChatOpenAI, OpenAIEmbeddings
        from langchain_chroma import Chroma

        llm = ChatOpenAI(model="gpt-4o", temperature=0)
        emb = OpenAIEmbeddings(model="text-embedding-3-large")
        store = Chroma(collection_name="docs", persist_directory="./db", embedding_function=emb)
        remote = chromadb.HttpClient(host="chroma.internal", port=8001)
        conn = psycopg.connect("postgresql://localhost/app")
        """
    )
    services = {f.name: f.detail.model_dump() for f in of(result, FactKind.SERVICE)}
    assert services["ChatOpenAI"]["kind"] == "llm"
    assert services["ChatOpenAI"]["client"] == "langchain_openai"
    assert services["ChatOpenAI"]["models"][0] == "gpt-4o"
    assert services["OpenAIEmbeddings"]["models"] == ["text-embedding-3-large"]
    assert services["docs"] == {
        "kind": "vector_db",
        "client": "chromadb",
        "endpoint": "./db",
        "models": ["text-embedding-3-large"],  # the file's embedding model
    }
    chroma = [f.detail.model_dump() for f in of(result, FactKind.SERVICE) if f.name == "chromadb"]
    assert {d["endpoint"] for d in chroma} == {"./db", "http://chroma.internal:8001"}
    assert services["psycopg"]["endpoint"] == "postgresql://localhost/app"


def test_route_lookalikes_are_not_routes() -> None:
    result = parse(
        """
        from fastapi import FastAPI

        @cache.get("user-key")
        def cached():
            pass

        @settings.route
        def other():
            pass
        """
    )
    assert not of(result, FactKind.HTTP_ROUTE)


def test_openai_calls_without_a_visible_client() -> None:
    result = parse(
        """
        import openai

        def legacy(text):
            return openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[])
        """
    )
    [service] = of(result, FactKind.SERVICE)
    assert service.name == "openai"
    assert service.detail.models == ["gpt-3.5-turbo"]


# --------------------------------------------------------------------------------------------
# TODO comments and tests
# --------------------------------------------------------------------------------------------


def test_todos_come_from_comments_not_strings() -> None:
    result = parse(
        '''
        """Module docs.  # TODO: not a comment, a docstring"""

        MESSAGE = "# FIXME: inside a string"
        # TODO: make the date order configurable
        x = 1  # FIXME(alice): off by one
        # todo: lower-case lead

        # a hack we keep (lower-case, mid-sentence: not a tag)


        def f():
            """
            # XXX docstring line
            """
            return 1  # HACK - retry once
        '''
    )
    todos = [(f.detail.tag, f.detail.text, f.source.span.start_line) for f in of(result, FactKind.TODO)]
    assert todos == [
        ("TODO", "make the date order configurable", 4),
        ("FIXME", "off by one", 5),
        ("TODO", "lower-case lead", 6),
        ("HACK", "retry once", 15),
    ]


TEST_SRC = '''
import pytest

from csvclean.cleaning import clean_rows, parse_date
from csvclean.cli import main


def test_parse_date_formats():
    """Known formats parse."""
    assert parse_date("2024-03-01") == "2024-03-01"
    assert parse_date("01/03/2024") == "2024-03-01"


def test_rejects_bad():
    with pytest.raises(ValueError):
        clean_rows(None)


def test_cli(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0


def test_many_asserts():
    rows = clean_rows([{"a": "x" * 200}])
    for i in range(7):
        assert rows[0]["a"] == "x" * 200 + "y" * 300 + str(i) + "a very long assertion tail that keeps going"


def test_api(client):
    resp = client.post("/predict", json={})
    assert resp.status_code == 200


class TestClean:
    def test_empty(self):
        self.assertEqual(clean_rows([]), [])

    def helper(self):
        pass
'''


def test_tests_targets_and_asserts() -> None:
    result = parse(TEST_SRC, "tests/test_cleaning.py")
    tests = {f.name: f.detail.model_dump() for f in of(result, FactKind.TEST)}
    assert set(tests) == {
        "test_parse_date_formats",
        "test_rejects_bad",
        "test_cli",
        "test_many_asserts",
        "test_api",
        "TestClean.test_empty",
    }
    assert tests["test_parse_date_formats"] == {
        "target": "parse_date",
        "asserts": ["parse_date('2024-03-01') == '2024-03-01'", "parse_date('01/03/2024') == '2024-03-01'"],
        "doc": "Known formats parse.",
    }
    assert tests["test_rejects_bad"]["asserts"] == ["pytest.raises(ValueError)"]
    assert tests["test_rejects_bad"]["target"] == "clean_rows"
    assert tests["test_cli"]["target"] == "main"
    assert tests["test_api"]["target"] == "POST /predict"
    many = tests["test_many_asserts"]["asserts"]
    assert len(many) == 1 and len(many[0]) <= 120  # one assert statement, shortened
    assert tests["TestClean.test_empty"]["asserts"] == ["self.assertEqual(clean_rows([]), [])"]
    assert not of(result, FactKind.FUNCTION)  # test files do not add to the library API


def test_tests_only_in_test_files() -> None:
    assert not of(parse(TEST_SRC, "csvclean/helpers.py"), FactKind.TEST)
    assert of(parse(TEST_SRC, "pkg/foo_test.py"), FactKind.TEST)


# --------------------------------------------------------------------------------------------
# chunks
# --------------------------------------------------------------------------------------------


def test_chunks_per_definition_and_module_windows() -> None:
    body = "\n".join(f"SETTING_{i} = {i}" for i in range(130))
    src = (
        '"""Doc."""\n\nimport os\n\n'
        + body
        + "\n\n\n@decorator\ndef first(a):\n    return a\n\n\nclass Second:\n    def m1(self):\n        pass\n\n"
        + "    def m2(self):\n        pass\n\n\nprint('tail')\n"
    )
    result = parse(src)
    lines = src.split("\n")
    chunks = result.chunks
    assert all(c.kind is ChunkKind.CODE for c in chunks)
    first = next(c for c in chunks if c.symbols == ["first"])
    assert lines[first.span.start_line - 1] == "@decorator"
    second = next(c for c in chunks if c.symbols and c.symbols[0] == "Second")
    assert second.symbols == ["Second", "m1", "m2"]
    module_chunks = [c for c in chunks if c not in (first, second)]
    assert all(c.span.end_line - c.span.start_line < 60 for c in module_chunks)
    assert len(module_chunks) >= 4  # 134 module lines in windows, plus the tail
    assert "SETTING_0" in module_chunks[0].symbols
    assert module_chunks[-1].text == "print('tail')"
    covered = sorted(line for c in chunks for line in range(c.span.start_line, c.span.end_line + 1))
    assert len(covered) == len(set(covered))  # no overlap
    nonblank = {i + 1 for i, line in enumerate(lines) if line.strip()}
    assert nonblank <= set(covered)  # nothing is lost


def test_chunk_ids_are_stable() -> None:
    src = "def a():\n    return 1\n"
    assert [c.id for c in parse_python("m.py", src).chunks] == [c.id for c in parse_python("m.py", src).chunks]


# --------------------------------------------------------------------------------------------
# fallback and robustness
# --------------------------------------------------------------------------------------------


def test_syntax_error_falls_back_to_text() -> None:
    src = "import os\n# TODO: fix the parser\n" + "x = 1\n" * 70 + "def broken(:\n    pass\n"
    result = parse_python("bad.py", src)
    assert [w.message for w in result.warnings] == ["syntax error at line 73: falling back to text"]
    assert [f.kind for f in result.facts] == [FactKind.TODO]
    assert result.facts[0].detail.model_dump() == {"tag": "TODO", "text": "fix the parser"}
    assert [c.kind for c in result.chunks] == [ChunkKind.TEXT, ChunkKind.TEXT]
    _check_sources(src, result)


ODD_SOURCES = [
    "",
    "\ufeffimport os\n",
    "# only a comment TODO\n",
    "x = 1\x00\n",
    "parser.add_argument(*FLAGS, **OPTS)\n",
    "import argparse\np = argparse.ArgumentParser(**cfg)\np.add_argument(flag_name, type=kind)\n",
    "import os\nos.environ[KEY]\nos.getenv(1)\nos.environ.get()\n",
    "import click\n@click.command(*a)\n@click.option()\n@click.argument()\ndef f(): pass\n",
    "import typer\napp = typer.Typer()\n@app.command(*x)\ndef f(*a, **k): pass\ntyper.run(nothing)\n",
    "from fastapi import FastAPI\napp = FastAPI()\n@app.get(PATH, **kw)\ndef f(x: 'Item' = Depends()): pass\n",
    "from flask import Flask\napp = Flask(__name__)\n@app.route(methods=METHODS)\ndef f(): pass\n",
    "from pydantic import BaseModel, Field\nclass M(BaseModel):\n    a: int = Field(*x, **y)\n    b: 'Q'\n",
    "from sqlalchemy import Column\nclass T(Base):\n    __tablename__ = NAME\n    a = Column()\n"
    "    b: Mapped = mapped_column()\n",
    "import pandas as pd\npd.read_csv()\ndf.to_csv(None)\nopen()\njson.load()\n",
    "from openai import OpenAI\nOpenAI(**cfg).chat.completions.create(model=M, **kw)\n",
    "import requests\nrequests.get()\nrequests.request('GET')\n",
    "class A(B, metaclass=M, **kw):\n    x: int = 1\n",
    "def f(a, b=1, /, c=2, *d, e, f=3, **g): pass\n",
    "lambda: (yield)\n",
    "import os\r\nx = os.getenv('A')\r\n",
    "import json\ndef f(fh):\n    fh = open(fh)\n    with open(fh) as fh:\n        return json.load(fh)\n",
    "if __name__ == '__main__':\n    import sys; sys.argv[0]; sys.argv[x]\n",
    "x = [" + "1," * 5000 + "]\n",
    "def f():\n" + "    if x:\n" * 90 + "        pass\n",
]


@pytest.mark.parametrize("src", ODD_SOURCES, ids=[f"odd{i}" for i in range(len(ODD_SOURCES))])
def test_odd_input_never_raises(src: str) -> None:
    result = parse_python("tests/odd_test.py", src)
    assert isinstance(result, ParseResult)
    if "\x00" not in src:
        _check_sources(src.replace("\r\n", "\n"), result)  # ingest hands over \n line ends


def test_ten_thousand_lines_parse_cleanly() -> None:
    # Speed: benchmarks/parse_bench.py times this same module (a ratio to ast.parse of it).
    src = python_source(10_000)
    assert src.count("\n") >= 10_000
    result = parse_python("big.py", src)
    assert not result.warnings
    assert len(of(result, FactKind.HTTP_ROUTE)) == src.count("@router.post(") > 500
