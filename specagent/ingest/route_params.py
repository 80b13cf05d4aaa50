"""Route templates -> ``param_specs``: path parameters and the specs every route extractor shares.

A route's path names its parameters in one of three syntaxes: Flask/Django ``<int:id>``,
FastAPI/Starlette/Litestar ``{id:int}``, or a Django ``re_path`` group ``(?P<id>...)``.
:func:`template_specs` reads all three; :func:`param_spec` builds one entry and :func:`dedupe`
keeps one entry per (location, name). Imports nothing from the route extractors, so both
``python_web`` and ``python_django_routes`` can use it at module level.
"""

from __future__ import annotations

import re
from typing import Any

from specagent.ingest.records import ParamSpec

#: ``{name}`` or ``{name:converter}`` (FastAPI, Starlette, Litestar, aiohttp)
PATH_TEMPLATE = re.compile(r"\{([A-Za-z_]\w*)(?::([^{}]*))?\}")
#: ``<name>`` or ``<converter:name>`` (Flask, Quart, Django ``path()``)
FLASK_RULE = re.compile(r"<(?:([^:<>]+):)?([A-Za-z_]\w*)>")
#: ``(?P<name>...)`` (Django ``re_path()``)
_REGEX_GROUP = re.compile(r"\(\?P<([A-Za-z_]\w*)>")
#: path converter -> the type the handler receives
CONVERTER_TYPES: dict[str, str] = {
    "int": "int",
    "float": "float",
    "str": "str",
    "string": "str",
    "path": "str",
    "slug": "str",
    "uuid": "UUID",
    "any": "str",
}


def param_spec(
    name: str,
    location: str,
    type_: str | None,
    required: bool,
    default: Any,
    constraints: dict[str, Any] | None = None,
    dependency: str | None = None,
) -> ParamSpec:
    """One entry of ``param_specs``: what a client sends, where, and what the handler accepts."""
    return ParamSpec(
        name=name,
        location=location,
        type=type_,
        required=required,
        default=None if required else default,
        constraints=constraints or {},
        dependency=dependency,
    )


def dedupe(specs: list[ParamSpec]) -> list[ParamSpec]:
    """One spec per (location, name): the first, made required if any read requires it."""
    out: dict[tuple[str, str], ParamSpec] = {}
    for spec in specs:
        key = (spec.location, spec.name)
        if key not in out:
            out[key] = spec
        elif spec.required and not out[key].required:
            out[key] = out[key].model_copy(update={"required": True, "default": None})
    return list(out.values())


def template_specs(path: str) -> list[ParamSpec]:
    """Path parameters named in a route template alone (Django, or a view we cannot see)."""
    specs = []
    for conv, name in FLASK_RULE.findall(path):
        specs.append(param_spec(name, "path", CONVERTER_TYPES.get(conv or "str", conv), True, None))
    for name in _REGEX_GROUP.findall(path):
        specs.append(param_spec(name, "path", "str", True, None))
    for name, conv in PATH_TEMPLATE.findall(path):
        specs.append(param_spec(name, "path", CONVERTER_TYPES.get(conv) if conv else None, True, None))
    return dedupe(specs)
