"""pandera dataframe schemas (class-based ``DataFrameModel`` and object-based ``DataFrameSchema``,
pandas or polars) become DATA_MODEL facts: exact column names, dtypes, whether a column must be
present and non-null, its checks, and the rules over the whole table. Functions record which
names they validate data with."""

from __future__ import annotations

import textwrap

from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_parser import parse_python
from specagent.spec.model import Citation
from specagent.spec.resolve import resolve


def _models(path: str, text: str) -> dict[str, Fact]:
    facts = parse_python(path, text).facts
    return {f.name: f for f in facts if f.kind is FactKind.DATA_MODEL}


def _fields(fact: Fact) -> dict[str, tuple]:
    dumped = [f.model_dump() for f in fact.detail.fields]  # the keys the parser gave
    return {f["name"]: (f["type"], f["required"], f["constraints"], f["doc"]) for f in dumped}


CLASS_BASED = textwrap.dedent(
    '''\
    """Table contracts."""
    from typing import Optional

    import pandera as pa
    from pandera.typing import Index, Series

    KINDS = ["a", "b"]


    class Orders(pa.DataFrameModel):
        """One row per order line."""

        order_id: Index[int] = pa.Field(ge=1, unique=True)
        sku: Series[str] = pa.Field(str_matches=r"^[A-Z]{3}-\\d+$", alias="SKU code")
        qty: Series[int] = pa.Field(in_range={"min_value": 1, "max_value": 99})
        kind: Series[str] = pa.Field(isin=KINDS, description="what was sold")
        country: Series[str] = pa.Field(str_length={"min_value": 2, "max_value": 2}, nullable=True)
        note: Optional[Series[str]]
        price: Series[pa.Float64] = pa.Field(gt=0)

        @pa.check("qty")
        def qty_is_even(cls, s: Series[int]) -> Series[bool]:
            return s % 2 == 0

        @pa.dataframe_check
        def price_per_qty(cls, df):
            """Unit prices stay sane."""
            return df["price"] / df["qty"] < 1000

        class Config:
            strict = True
            coerce = True
            unique = ["sku", "kind"]


    class Returns(Orders):
        reason: Series[str]


    class NotASchema:
        x: int = 1
    '''
)


def test_class_based_model_is_a_contract_with_exact_columns() -> None:
    models = _models("schemas.py", CLASS_BASED)
    assert sorted(models) == ["Orders", "Returns"]
    orders = models["Orders"]
    assert orders.detail.framework == "pandera"
    assert orders.detail.dataframe == "pandas"
    assert orders.detail.doc == "One row per order line."
    assert _fields(orders) == {
        "order_id": ("int", True, {"row_index": True, "ge": 1, "unique": True}, None),
        # the alias is the column's real name
        "SKU code": ("str", True, {"pattern": r"^[A-Z]{3}-\d+$"}, None),
        "qty": ("int", True, {"ge": 1, "le": 99, "check": "`qty_is_even`: `s % 2 == 0`"}, None),
        "kind": ("str", True, {"one_of": ["a", "b"]}, "what was sold"),
        # nullable: present, may hold nulls
        "country": ("str", False, {"min_length": 2, "max_length": 2}, None),
        # Optional[...]: may be absent, never null when there
        "note": ("str", False, {"may_be_absent": True, "nullable": False}, None),
        "price": ("Float64", True, {"gt": 0}, None),
    }
    assert orders.detail.table_constraints == [
        "check `price_per_qty`: `df['price'] / df['qty'] < 1000`",
        "unique (sku, kind)",
        "strict (no other columns)",
        "coerced to the declared types",
    ]
    assert (orders.source.span.start_line, orders.source.span.end_line) == (10, 33)
    assert orders.source.quote == "class Orders(pa.DataFrameModel):"
    # A local subclass is a schema too; its own columns are its fields.
    assert [f.name for f in models["Returns"].detail.fields] == ["reason"]


OBJECT_BASED = textwrap.dedent(
    """\
    import pandera.polars as pa
    import polars as pl
    from pandera.polars import Check, Column, DataFrameSchema

    COLUMNS = {"id": Column(pl.Int64, unique=True)}

    events = DataFrameSchema(
        {
            "event_id": Column(pl.Utf8, Check.str_startswith("ev_")),
            "score": Column(pl.Float64, [Check.in_range(0, 1), Check(lambda s: s.is_not_nan(), error="no NaN")]),
            "kind": pa.Column(str, checks=Check.isin(["click", "view"]), nullable=True),
            "extra": Column(str, Check(lambda s: s.str.len_chars() < 10), required=False),
        },
        checks=[pa.Check(lambda df: df["score"] > 0, error="positive scores")],
        unique=["event_id"],
        strict="filter",
        description="Click stream.",
    )
    ids = pa.DataFrameSchema(COLUMNS, index=pa.Index(int, name="row"))
    """
)


def test_object_based_schema_is_a_contract_cited_at_its_call() -> None:
    models = _models("events.py", OBJECT_BASED)
    assert sorted(models) == ["events", "ids"]
    events = models["events"]
    assert events.detail.dataframe == "polars"
    assert events.detail.doc == "Click stream."
    assert _fields(events) == {
        "event_id": ("Utf8", True, {"starts_with": "ev_"}, None),
        "score": ("Float64", True, {"ge": 0, "le": 1, "check": "no NaN"}, None),
        "kind": ("str", False, {"one_of": ["click", "view"]}, None),
        # a custom check without a message is quoted as code
        "extra": ("str", False, {"check": "`s.str.len_chars() < 10`", "may_be_absent": True, "nullable": False}, None),
    }
    assert events.detail.table_constraints == [
        "check positive scores",
        "unique (event_id)",
        "other columns dropped",
    ]
    assert (events.source.span.start_line, events.source.span.end_line) == (7, 18)
    assert events.source.quote == "events = DataFrameSchema("
    # The column dict bound to a name first; an index is a field too.
    assert _fields(models["ids"]) == {
        "id": ("Int64", True, {"unique": True}, None),
        "row": ("int", True, {"row_index": True}, None),
    }
    for fact in models.values():
        span, quote = fact.source.span, fact.source.quote
        citation = Citation(path="events.py", start_line=span.start_line, end_line=span.end_line, quote=quote)
        assert resolve(citation, {"events.py": OBJECT_BASED}) is None


def test_lookalikes_without_pandera_are_not_schemas() -> None:
    text = textwrap.dedent(
        """\
        from mylib import DataFrameModel, DataFrameSchema

        class Orders(DataFrameModel):
            qty: int

        orders = DataFrameSchema({"qty": int})
        """
    )
    assert _models("other.py", text) == {}


def test_functions_record_what_they_validate_with() -> None:
    text = textwrap.dedent(
        """\
        import pandera as pa
        from pandera.typing import DataFrame

        from app.schemas import Clean, Orders, Raw


        def load(path):
            df = read(path)
            return Orders.validate(df, lazy=True)


        def chain(df):
            return df.pipe(Raw.validate).pipe(tidy)


        @pa.check_types
        def tidy(df: DataFrame[Raw]) -> DataFrame[Clean]:
            return df


        @pa.check_input(Raw)
        def typed_only(df: DataFrame[Raw]) -> int:
            return 1


        def untyped(df: DataFrame[Raw]) -> int:
            return 2


        class Job:
            def run(self, df):
                self.validate(df)
                return Clean.validate(df)
        """
    )
    validates = {
        f.detail.qualname: f.detail.validates
        for f in parse_python("app/io.py", text).facts
        if f.kind is FactKind.FUNCTION
    }
    assert validates == {
        "load": ["Orders"],
        "chain": ["Raw"],
        "tidy": ["Raw", "Clean"],
        "typed_only": ["Raw"],
        # an annotation without @check_types validates nothing
        "untyped": None,
        "Job.run": ["Clean"],
    }
