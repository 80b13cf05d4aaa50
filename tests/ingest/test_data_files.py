"""Data parser: CSV/TSV/JSONL/JSON schemas, inferred types, truncated samples, JSON config."""

from __future__ import annotations

import json

from specagent.ingest.data_files import infer_type, parse_data
from specagent.ingest.models import ChunkKind, Fact, FactKind, ParseResult
from specagent.spec.model import Citation
from specagent.spec.resolve import resolve

CSV = (
    "customer_id,signup_date,last_seen,plan,monthly_fee,seats,active,api_token,notes\n"
    "C001,2024-01-05,2024-06-01T10:15:00,pro,49.0,3,true,[REDACTED],likes the export\n"
    "C002,2024-02-11,2024-06-02T08:00:00,free,0,1,false,,\n"
    'C003,2024-03-20,2024-06-03 17:45:12,team,120.5,12,true,,"says ""hi"", twice"\n'
    "C004,2024-04-01,,pro,49,,TRUE,,\n"
)


def _schema(result: ParseResult) -> Fact:
    (fact,) = [f for f in result.facts if f.kind is FactKind.DATA_SCHEMA]
    return fact


def _resolves(path: str, text: str, result: ParseResult) -> None:
    texts = {path: text}
    for fact in result.facts:
        span = fact.source.span
        citation = Citation(path=path, start_line=span.start_line, end_line=span.end_line, quote=fact.source.quote)
        assert resolve(citation, texts) is None, fact
    for chunk in result.chunks:
        span = chunk.span
        assert resolve(Citation(path=path, start_line=span.start_line, end_line=span.end_line), texts) is None


def test_csv_schema_and_types() -> None:
    result = parse_data("data/customers.csv", CSV, False)
    fact = _schema(result)
    assert fact.name == "customers.csv"
    columns = {c.name: c.model_dump() for c in fact.detail.columns}
    assert [c.name for c in fact.detail.columns] == CSV.split("\n")[0].split(",")
    assert {n: c["type"] for n, c in columns.items()} == {
        "customer_id": "string",
        "signup_date": "date",
        "last_seen": "datetime",
        "plan": "string",
        "monthly_fee": "float",
        "seats": "int",
        "active": "bool",
        "api_token": "string",
        "notes": "string",
    }
    assert columns["signup_date"]["example"] == "2024-01-05"
    assert "example" not in columns["api_token"]  # a secret-looking column shows no value
    assert columns["notes"]["example"] == "likes the export"
    assert fact.detail.rows_sampled == 4
    assert fact.detail.sampled is False
    assert fact.detail.format == "csv"
    assert fact.source.quote == CSV.split("\n")[0]
    (chunk,) = result.chunks
    assert chunk.kind is ChunkKind.DATA
    assert chunk.text == "\n".join(CSV.split("\n")[:4])  # header and 3 rows
    _resolves("data/customers.csv", CSV, result)


def test_tsv_and_semicolon_csv() -> None:
    tsv = "id\tscore\n1\t0.5\n2\t0.7\n"
    fact = _schema(parse_data("scores.tsv", tsv, False))
    assert [(c.name, c.type) for c in fact.detail.columns] == [("id", "int"), ("score", "float")]
    assert fact.detail.format == "tsv"
    semi = "id;city;amount\n1;Paris;3.5\n2;Lyon;4\n"
    fact = _schema(parse_data("sales.csv", semi, False))
    assert [(c.name, c.type) for c in fact.detail.columns] == [
        ("id", "int"),
        ("city", "string"),
        ("amount", "float"),
    ]


def test_truncated_sample_drops_the_cut_line() -> None:
    full = "id,name,amount\n" + "".join(f"{i},row{i},{i}.5\n" for i in range(1, 101))
    head = full[: full.index("57,row57") + 5]  # cut in the middle of row 57
    fact = _schema(parse_data("big.csv", head, True))
    assert fact.detail.rows_sampled == 56
    assert fact.detail.sampled is True
    assert [c.type for c in fact.detail.columns] == ["int", "string", "float"]


def test_jsonl_records() -> None:
    lines = [
        {"id": "q1", "question": "How long do refunds take?", "gold_doc": "refunds", "score": 1},
        {"id": "q2", "question": "Can I return a gift card?", "gold_doc": None, "score": 0.5},
        {"id": "q3", "question": "Where is my parcel?", "gold_doc": "shipping", "tags": ["eu"]},
    ]
    text = "\n".join(json.dumps(x) for x in lines) + "\nnot json\n"
    result = parse_data("data/eval.jsonl", text, False)
    fact = _schema(result)
    assert [(c.name, c.type) for c in fact.detail.columns] == [
        ("id", "string"),
        ("question", "string"),
        ("gold_doc", "string"),
        ("score", "float"),
        ("tags", "array"),
    ]
    assert fact.detail.rows_sampled == 3 and fact.detail.format == "jsonl"
    assert len(result.warnings) == 1 and "line 4" in result.warnings[0].message
    _resolves("data/eval.jsonl", text, result)


def test_truncated_jsonl() -> None:
    text = '{"a": 1}\n{"a": 2}\n{"a": 3, "b": "cut here'
    fact = _schema(parse_data("x.jsonl", text, True))
    assert fact.detail.rows_sampled == 2 and fact.detail.sampled is True


def test_json_array_of_records() -> None:
    records = [{"order_id": i, "order_date": f"2024-03-0{i}", "price": 1.5 * i} for i in range(1, 6)]
    text = json.dumps(records, indent=2)
    result = parse_data("data/orders.json", text, False)
    fact = _schema(result)
    assert [(c.name, c.type) for c in fact.detail.columns] == [
        ("order_id", "int"),
        ("order_date", "date"),
        ("price", "float"),
    ]
    assert fact.detail.rows_sampled == 5 and fact.detail.format == "json"
    assert fact.source.span.start_line == 2  # the first record
    assert result.chunks[0].text.count("order_id") == 3
    _resolves("data/orders.json", text, result)


def test_truncated_json_array_is_salvaged() -> None:
    text = json.dumps([{"a": i, "b": "x"} for i in range(10)], indent=1)
    cut = text[: len(text) // 2]
    result = parse_data("data/part.json", cut, False)
    fact = _schema(result)
    assert 0 < fact.detail.rows_sampled < 10
    assert fact.detail.sampled is True
    assert len(result.warnings) == 1 and result.warnings[0].message.startswith("invalid JSON")


def test_json_object_is_config() -> None:
    text = json.dumps(
        {"model": "gpt-4o-mini", "temperature": 0, "labels": ["pos", "neg"], "db": {"port": 5432}},
        indent=2,
    )
    result = parse_data("config.json", text, False)
    keys = {f.name: (f.detail.value, f.source.span.start_line) for f in result.facts}
    assert all(f.kind is FactKind.CONFIG_KEY for f in result.facts)
    assert keys == {
        "model": ("gpt-4o-mini", 2),
        "temperature": ("0", 3),
        "labels": ('["pos", "neg"]', 4),
        "db.port": ("5432", 9),
    }
    assert result.chunks[0].kind is ChunkKind.CONFIG
    _resolves("config.json", text, result)


def test_single_key_records_wrapper() -> None:
    text = json.dumps({"rows": [{"id": 1, "ok": True}, {"id": 2, "ok": False}]})
    fact = _schema(parse_data("wrapped.json", text, False))
    assert [(c.name, c.type) for c in fact.detail.columns] == [("id", "int"), ("ok", "bool")]


def test_infer_type() -> None:
    assert infer_type(["1", "2", ""]) == "int"
    assert infer_type(["1", "2.5"]) == "float"
    assert infer_type(["2024-01-01", "2024-01-02T10:00:00"]) == "datetime"
    assert infer_type(["yes", "No", "N/A"]) == "bool"
    assert infer_type(["007", "008"]) == "string"  # ids with leading zeros stay text
    assert infer_type(["1", "abc"]) == "string"
    assert infer_type([None, ""]) == "string"


def test_odd_input_never_raises() -> None:
    for path in ("a.csv", "a.tsv", "a.jsonl", "a.json", "a.ndjson"):
        for text in ("", "\n\n", "\x00\x01", '"unclosed,quote\n1,2', "[", "{", "[1, 2, 3]", "null"):
            assert isinstance(parse_data(path, text, False), ParseResult)
            assert isinstance(parse_data(path, text, True), ParseResult)


def test_csv_columns_with_gaps_are_nullable() -> None:
    fact = _schema(parse_data("data/customers.csv", CSV, False))
    nullable = {c.name: c.nullable for c in fact.detail.columns}
    assert nullable == {
        "customer_id": False,
        "signup_date": False,
        "last_seen": True,  # C004 has none
        "plan": False,
        "monthly_fee": False,
        "seats": True,
        "active": False,
        "api_token": True,
        "notes": True,
    }


def test_na_markers_and_short_rows_make_a_column_nullable() -> None:
    text = "id,score,grade\n1,0.5,A\n2,NA,B\n3,null\n"
    columns = {c.name: c.model_dump() for c in _schema(parse_data("s.csv", text, False)).detail.columns}
    assert (columns["id"]["nullable"], columns["score"]["nullable"], columns["grade"]["nullable"]) == (
        False,
        True,
        True,
    )
    assert columns["score"]["type"] == "float"  # nulls do not change the type


def test_json_nulls_and_missing_keys_make_a_column_nullable() -> None:
    records = [
        {"id": 1, "label": "pos", "score": 0.9, "tags": ["a"]},
        {"id": 2, "label": None, "score": 0.4, "tags": []},
        {"id": 3, "label": "neg", "tags": ["b"]},
    ]
    for path, text in (
        ("r.json", json.dumps(records)),
        ("r.jsonl", "\n".join(json.dumps(r) for r in records) + "\n"),
    ):
        columns = {c.name: c.nullable for c in _schema(parse_data(path, text, False)).detail.columns}
        assert columns == {"id": False, "label": True, "score": True, "tags": False}, path
