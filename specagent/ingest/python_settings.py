"""The environment variables a pydantic-settings class reads: one ENV_VAR fact per field, named by
its alias or by the class's ``env_prefix`` and case rule.
"""

from __future__ import annotations

import ast

from specagent.ingest.python_calls import add_setting_env
from specagent.ingest.python_common import Ctx, kwargs, literal
from specagent.ingest.python_model_fields import field_call
from specagent.ingest.records import ModelField


def _settings_prefix(ctx: Ctx, cls: ast.ClassDef) -> tuple[str, bool]:
    """(env_prefix, case_sensitive) from ``model_config`` or an inner ``class Config``."""
    prefix, case_sensitive = "", False
    for stmt in cls.body:
        target: ast.expr | None = None
        if isinstance(stmt, ast.AnnAssign):
            target = stmt.target
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
        if isinstance(target, ast.Name) and target.id == "model_config":
            value = stmt.value  # type: ignore[attr-defined]
            items: dict[str, ast.expr] = {}
            if isinstance(value, ast.Call):
                items = kwargs(value)
            elif isinstance(value, ast.Dict):
                items = {
                    k.value: v
                    for k, v in zip(value.keys, value.values, strict=False)
                    if isinstance(k, ast.Constant) and isinstance(k.value, str)
                }
            if "env_prefix" in items:
                prefix = ctx.string(items["env_prefix"]) or ""
            if "case_sensitive" in items:
                case_sensitive = literal(items["case_sensitive"]) is True
        elif isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for inner in stmt.body:
                if isinstance(inner, ast.Assign) and isinstance(inner.targets[0], ast.Name):
                    if inner.targets[0].id == "env_prefix":
                        prefix = ctx.string(inner.value) or ""
                    elif inner.targets[0].id == "case_sensitive":
                        case_sensitive = literal(inner.value) is True
    return prefix, case_sensitive


def settings_env(ctx: Ctx, cls: ast.ClassDef, fields: list[ModelField]) -> None:
    """An ENV_VAR fact for each of the settings class's ``fields``, under the name it is read from."""
    prefix, case_sensitive = _settings_prefix(ctx, cls)
    by_name = {f.name: f for f in fields}
    for stmt in cls.body:
        if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
            continue
        spec = by_name.get(stmt.target.id)
        if spec is None:
            continue
        with ctx.guard("settings field", stmt):
            env_name = None
            call = field_call(ctx, stmt.value)
            if call is not None:
                kw = kwargs(call)
                for key in ("validation_alias", "alias", "env"):
                    if key in kw:
                        env_name = ctx.string(kw[key])
                        if env_name:
                            break
            if not env_name:
                env_name = prefix + spec.name
                if not case_sensitive:
                    env_name = env_name.upper()
            secret = "Secret" in spec.type
            add_setting_env(
                ctx,
                env_name,
                default=spec.default,
                required=spec.required,
                node=stmt,
                secret=secret,
            )
