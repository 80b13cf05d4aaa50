"""The typed contract between extractors and the drafter: each fact kind's detail model."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from specagent.ingest.details import DETAIL_MODELS, DataFrameDetail, HttpRouteDetail, NoteSectionDetail
from specagent.ingest.models import Fact, FactKind, SourceRef, Span

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
