"""The BM25 side: identifier-aware tokens, ranking, filters, persistence."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from specagent.index.lexical import ChunkRecord, LexicalIndex, query_terms, tokenize


def record(cid: str, path: str, text: str, kind: str = "code") -> ChunkRecord:
    return ChunkRecord(id=cid, path=path, start_line=1, end_line=text.count("\n") + 1, kind=kind, text=text)


RECORDS = [
    record("a", "app/io.py", "def load_customer_table(path):\n    return read_csv(path)"),
    record("b", "app/model.py", "class ChurnClassifier:\n    def fitModel(self, rows): ..."),
    record("c", "docs/notes.md", "The scoring latency should stay under 50 ms.", kind="section"),
    record("d", "app/retry.py", "MAX_RETRIES = 3\nHTTPClientError raised after retries"),
]


def test_tokens_split_snake_and_camel_case_but_keep_the_identifier() -> None:
    tokens = set(tokenize("load_customer_table fitModel HTTPClientError the of"))
    # Whole identifiers stay as they are; their parts are stemmed like any word.
    assert {"load_customer_table", "fitmodel", "httpclienterror"} <= tokens
    assert set(tokenize("load customer table fit model http client error")) <= tokens
    assert "the" not in tokens and "of" not in tokens


def test_words_are_stemmed_so_inflections_meet() -> None:
    assert tokenize("dependency") == tokenize("dependencies")
    assert tokenize("configured") == tokenize("configuring")
    assert tokenize("dependency") != tokenize("department")


def test_bm25_finds_identifiers_by_their_words() -> None:
    index = LexicalIndex(RECORDS)
    assert index.search("customer table", 2)[0][0].id == "a"
    assert index.search("fit model", 2)[0][0].id == "b"
    assert index.search("http client error", 2)[0][0].id == "d"
    assert index.search("MAX_RETRIES", 1)[0][0].id == "d"
    assert index.search("zzzz unknownword", 3) == []


def test_mask_filters_results() -> None:
    index = LexicalIndex(RECORDS)
    mask = np.array([r.path.startswith("docs/") for r in RECORDS])
    hits = index.search("latency customer model", 4, mask=mask)
    assert [r.id for r, _ in hits] == ["c"]


def test_path_words_are_searchable() -> None:
    index = LexicalIndex(RECORDS)
    assert index.search("retry", 1)[0][0].id == "d"


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    index = LexicalIndex(RECORDS)
    folder = tmp_path / "lexical"
    index.save(folder)
    index.save(folder)  # replacing an existing folder works and leaves no temp folders
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lexical"]
    loaded = LexicalIndex.load(folder)
    assert loaded.records == index.records
    query = "customer table latency"
    assert [(r.id, round(s, 5)) for r, s in loaded.search(query, 4)] == [
        (r.id, round(s, 5)) for r, s in index.search(query, 4)
    ]


def test_empty_index_searches_to_nothing(tmp_path: Path) -> None:
    index = LexicalIndex([])
    assert index.search("anything", 5) == []
    index.save(tmp_path / "lex")
    assert LexicalIndex.load(tmp_path / "lex").search("anything", 5) == []


# -- exact identifiers dominate ------------------------------------------------------------------

QA_RECORDS = [
    # Shares the parts of CHUNK_SIZE ("chunks", "collection_size") and is short: BM25 used to
    # rank it first for the identifier.
    record("resp", "app/main.py", "class IngestResponse(BaseModel):\n    chunks: int\n    collection_size: int"),
    record(
        "const",
        "app/retriever.py",
        '"""Retrieval over help articles, embedded and stored in one collection."""\n'
        "import os\n\nCHROMA_PATH = os.getenv('CHROMA_PATH', './.chroma')\nTOP_K = int(os.getenv('TOP_K', '5'))\n"
        "CHUNK_SIZE = int(os.getenv('CHUNK_SIZE', '1200'))\nEMBED_MODEL = os.getenv('EMBED_MODEL', 'small')",
    ),
    record(
        "env", ".env.example", "OPENAI_MODEL=gpt-4o-mini\nTOP_K=5\nCHUNK_SIZE=1200\nCHROMA_PATH=./.chroma", "config"
    ),
    record("other", "app/split.py", "def split_sizes(chunks):\n    return [len(chunk) for chunk in chunks]"),
]


def test_an_identifier_the_index_holds_is_matched_whole() -> None:
    index = LexicalIndex(QA_RECORDS)
    hits = index.search("CHUNK_SIZE", 4)
    assert {r.id for r, _ in hits} == {"const", "env"}  # not what only shares its parts
    # In a longer query too: the identifier outweighs words that only share its parts.
    ranked = [r.id for r, _ in index.search("where does CHUNK_SIZE come from", 4)]
    assert set(ranked[:2]) == {"const", "env"}


def test_natural_words_still_find_the_identifier_and_prefer_it() -> None:
    index = LexicalIndex(QA_RECORDS)
    ranked = [r.id for r, _ in index.search("chunk size", 4)]
    assert set(ranked[:2]) == {"const", "env"} and "resp" in ranked
    # An identifier the index does not hold is looked up by its parts.
    assert "const" in {r.id for r, _ in index.search("maxChunkSize", 4)}


def test_query_terms() -> None:
    vocab = set(tokenize("CHUNK_SIZE chunkSize chunks size max_retry_count dataset"))
    assert query_terms("CHUNK_SIZE", vocab) == {"chunk_size": 1.0}
    assert query_terms("chunk size", vocab) == {"chunk": 1.0, "size": 1.0, "chunk_size": 1.0}
    assert query_terms("max retry count", vocab)["max_retry_count"] == 1.0
    assert query_terms("maxChunkSize", vocab) == {"max": 1.0, "chunk": 1.0, "size": 1.0}
    assert query_terms("size size", vocab) == {"size": 2.0}
    assert query_terms("unknown words", vocab) == {}
