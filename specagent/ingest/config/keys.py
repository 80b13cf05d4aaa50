"""Parse generic YAML, TOML, JSON and INI config files into CONFIG_KEY facts.

Each leaf becomes one fact named by its dotted key path (``server.port``, ``jobs[0].name``),
capped at ``MAX_KEYS`` per file; chunks carry the file's top-level keys as symbols.
"""

from __future__ import annotations

import configparser
import json
from typing import Any

import yaml

from specagent.ingest.config.common import MAX_KEYS, config_chunks, config_fact, leaves, load_toml, span, warning
from specagent.ingest.config.locators import ini_lines, json_lines, locate, toml_lines
from specagent.ingest.config.yaml_nodes import yaml_docs, yaml_error, yaml_leaves
from specagent.ingest.models import Fact, ParseResult


def parse_yaml_config(path: str, text: str, lines: list[str]) -> ParseResult:
    try:
        docs = yaml_docs(text)
    except yaml.YAMLError as exc:
        return ParseResult(chunks=config_chunks(path, text), warnings=[yaml_error(path, exc)])
    facts: list[Fact] = []
    top: dict[str, int] = {}
    for doc in docs:
        if isinstance(doc, yaml.MappingNode):
            for key_node, _ in doc.value:
                if isinstance(key_node, yaml.ScalarNode):
                    top.setdefault(key_node.value, key_node.start_mark.line + 1)
        for key, value, first, last in yaml_leaves(doc, ""):
            if len(facts) >= MAX_KEYS:
                break
            fact = config_fact(path, key, value, "yaml", first, lines)
            if last > first:
                fact = fact.model_copy(update={"source": fact.source.model_copy(update={"span": span(first, last)})})
            facts.append(fact)
    return ParseResult(facts=facts, chunks=config_chunks(path, text, top))


def parse_toml_config(path: str, text: str, lines: list[str]) -> ParseResult:
    data = load_toml(path, text)
    if isinstance(data, ParseResult):
        return data
    where = toml_lines(lines)
    facts = [
        config_fact(path, key, value, "toml", locate(where, key), lines) for key, value in list(leaves(data))[:MAX_KEYS]
    ]
    top = {k: v for k, v in where.items() if "." not in k and "[" not in k}
    return ParseResult(facts=facts, chunks=config_chunks(path, text, top))


def json_config_facts(path: str, text: str, data: Any) -> list[Fact]:
    """CONFIG_KEY facts for parsed JSON ``data`` (``text`` locates each key's line)."""
    lines = text.split("\n")
    where = json_lines(text, data)
    return [
        config_fact(path, key, value, "json", locate(where, key), lines) for key, value in list(leaves(data))[:MAX_KEYS]
    ]


def parse_json_config(path: str, text: str, lines: list[str]) -> ParseResult:
    try:
        data = json.loads(text)
    except ValueError as exc:
        return ParseResult(chunks=config_chunks(path, text), warnings=[warning(path, f"invalid JSON: {exc}")])
    return ParseResult(facts=json_config_facts(path, text, data), chunks=config_chunks(path, text))


#: Longest INI line handed to configparser: its key pattern backtracks on a very long line and
#: can take minutes; a config with such a line is indexed as text instead.
MAX_INI_LINE = 10_000


def parse_ini(path: str, text: str, lines: list[str], *, quiet: bool = False) -> ParseResult:
    if any(len(line) > MAX_INI_LINE for line in lines):
        warnings = (
            []
            if quiet
            else [warning(path, f"a line over {MAX_INI_LINE:,} characters: not read as INI, indexed as text")]
        )
        return ParseResult(chunks=config_chunks(path, text), warnings=warnings)
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        warnings = [] if quiet else [warning(path, f"invalid INI: {exc}")]
        return ParseResult(chunks=config_chunks(path, text), warnings=warnings)
    where = ini_lines(lines)
    facts: list[Fact] = []
    for section in parser.sections():
        for key, value in parser.items(section, raw=True):
            if len(facts) >= MAX_KEYS:
                break
            dotted = f"{section}.{key}"
            facts.append(config_fact(path, dotted, value, "ini", locate(where, dotted), lines))
    top = {s: n for s, n in where.items() if "." not in s}
    return ParseResult(facts=facts, chunks=config_chunks(path, text, top))
