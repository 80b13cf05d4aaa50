"""The typed contract between extractors and the drafter: each fact kind's detail model."""

from __future__ import annotations

import pytest
from paths import CORPUS, CORPUS_NAMES, REAL, REAL_NAMES
from pydantic import ValidationError

from specagent.ingest.details import (
    DETAIL_MODELS,
    DataFrameDetail,
    DataSchemaDetail,
    HttpRouteDetail,
    NoteSectionDetail,
)
from specagent.ingest.models import Fact, FactKind, SourceRef, Span
from specagent.ingest.records import CliOption, SampleColumn
from specagent.ingest.run import ingest

SOURCE = SourceRef(path="app.py", span=Span(start_line=1, end_line=1))


def test_every_fact_kind_has_a_detail_model_of_its_own() -> None:
    assert set(DETAIL_MODELS) == set(FactKind)
    assert all(model.KIND is kind for kind, model in DETAIL_MODELS.items())


def test_a_dict_detail_becomes_the_model_of_the_facts_kind() -> None:
    fact = Fact(
        kind=FactKind.HTTP_ROUTE,
        name="GET /",
        detail={"framework": "flask", "method": "GET", "path": "/"},
        source=SOURCE,
    )
    route = fact.detail_as(HttpRouteDetail)
    assert (route.method, route.path, route.handler) == ("GET", "/", None)
    with pytest.raises(TypeError):
        fact.detail_as(DataFrameDetail)


def test_a_detail_missing_a_key_its_kind_requires_is_refused() -> None:
    with pytest.raises(ValidationError):
        Fact(kind=FactKind.HTTP_ROUTE, name="GET /", detail={"framework": "flask", "path": "/"}, source=SOURCE)


def test_a_detail_serialises_to_the_keys_its_extractor_gave_and_reads_back_the_same() -> None:
    detail = {"heading": "Usage", "level": 2, "text": "", "list": "- run it"}
    fact = Fact(kind=FactKind.NOTE_SECTION, name="Usage", detail=detail, source=SOURCE)
    assert fact.detail.model_dump() == detail  # no defaults added for keys it left out
    again = Fact.model_validate_json(fact.model_dump_json())
    assert again == fact
    assert again.detail_as(NoteSectionDetail).list_text == "- run it"
    assert "doc_title" not in again.detail.model_fields_set


def test_a_key_no_model_declares_is_refused_in_a_detail_and_in_its_records() -> None:
    route = {"framework": "flask", "method": "GET", "path": "/"}
    with pytest.raises(ValidationError):
        Fact(kind=FactKind.HTTP_ROUTE, name="GET /", detail={**route, "verb": "GET"}, source=SOURCE)
    error = {"status": 404, "message": None, "condition": None, "line": 3, "quote": None, "via": None}
    Fact(kind=FactKind.HTTP_ROUTE, name="GET /", detail={**route, "errors": [error]}, source=SOURCE)
    with pytest.raises(ValidationError):
        Fact(kind=FactKind.HTTP_ROUTE, name="GET /", detail={**route, "errors": [{**error, "why": "x"}]}, source=SOURCE)


def test_nested_records_are_models_that_serialise_to_the_keys_their_parser_gave() -> None:
    columns = [
        {"name": "id", "type": "int", "nullable": False},
        {"name": "note", "type": "string", "nullable": True, "example": "hi"},
    ]
    detail = {"format": "csv", "columns": columns, "rows_sampled": 2, "sampled": False}
    fact = Fact(kind=FactKind.DATA_SCHEMA, name="s.csv", detail=detail, source=SOURCE)
    read = fact.detail_as(DataSchemaDetail).columns
    assert all(isinstance(c, SampleColumn) for c in read)
    assert [(c.name, c.example) for c in read] == [("id", None), ("note", "hi")]
    assert fact.detail.model_dump() == detail  # no "example": None added to the first column
    assert Fact.model_validate_json(fact.model_dump_json()) == fact


def test_source_values_keep_their_python_type() -> None:
    # ``default`` and ``choices`` are what the source wrote: 1 stays an int, True a bool, a
    # tuple inside a literal list a tuple (its text is what a draft shows).
    option = CliOption(
        name="n", flags=["-n"], type="int", default=1, required=False, help=None, choices=[(1, "a"), True]
    )
    assert type(option.default) is int
    assert option.choices == [(1, "a"), True] and type(option.choices[1]) is bool


@pytest.mark.slow
def test_every_prototype_ingests_without_a_skipped_extraction() -> None:
    # A parser that writes a key its record does not declare fails validation, which the
    # extractor's guard turns into a "skipped ..." warning: none may appear.
    roots = [CORPUS / n for n in CORPUS_NAMES] + [REAL / n / "repo" for n in REAL_NAMES]
    skipped = [f"{r.name}: {w.path}: {w.message}" for r in roots for w in ingest(r).warnings]
    assert [w for w in skipped if ": skipped " in w] == []
