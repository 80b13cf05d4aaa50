"""DATA_MODEL facts for Django ORM models (framework ``django``).

A ``class X(models.Model)`` is a stored table: each ``name = models.SomeField(...)`` is a column
with its type (a relation names its target: ``ForeignKey(Contract)``), whether a row needs it,
its default and its constraints; ``choices`` (a ``TextChoices``/``IntegerChoices`` class, a list
of pairs, possibly grouped, or a dict) become the allowed values, and ``class Meta`` gives the
table name, ordering, keys and indexes. Abstract models are not tables: their fields are copied
into the local models that extend them, as Django does.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import (
    MISSING,
    Ctx,
    docstring,
    end_line,
    kwargs,
    last_name,
    literal,
    start_line,
    unparse,
)
from specagent.ingest.records import ModelField

# Bases that make a class a Django model, besides any local model (resolved import names).
_MODEL_BASES = frozenset(
    {
        "django.db.models.Model",
        "django.db.models.base.Model",
        "django.contrib.gis.db.models.Model",
        "django.contrib.auth.models.AbstractUser",
        "django.contrib.auth.models.AbstractBaseUser",
        "django.contrib.auth.base_user.AbstractBaseUser",
    }
)
# Enumeration types Django offers for ``choices`` (the last name of the base).
_CHOICES_BASES = frozenset({"TextChoices", "IntegerChoices", "Choices"})
_RELATIONS = frozenset({"ForeignKey", "OneToOneField", "ManyToManyField"})
# Field types whose value the database generates: a row never has to supply them.
_GENERATED = frozenset({"AutoField", "BigAutoField", "SmallAutoField", "GeneratedField"})
# Field keywords kept as they are, under the name the reader knows them by.
_PLAIN_KEYWORDS = ("max_length", "max_digits", "decimal_places", "upload_to", "through")
_FLAG_KEYWORDS = {"primary_key": "primary_key", "unique": "unique", "db_index": "index"}
_VALIDATORS = {
    "MinValueValidator": "ge",
    "MaxValueValidator": "le",
    "MinLengthValidator": "min_length",
    "MaxLengthValidator": "max_length",
    "RegexValidator": "pattern",
}
#: Allowed values listed in one field's line; past this the rest are counted.
MAX_CHOICES = 12


@dataclass
class _Choices:
    """The ``TextChoices``-like classes of a file: value of each member, by class name."""

    #: "Status" and "<Model>.Status" (nested) -> member name -> value
    classes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def lookup(self, dotted_name: str, owner: str) -> dict[str, Any] | None:
        """The members of the class ``dotted_name`` names, as seen from inside model ``owner``."""
        for key in (f"{owner}.{dotted_name}", dotted_name, dotted_name.rpartition(".")[2]):
            if key in self.classes:
                return self.classes[key]
        return None


def _is_choices_class(ctx: Ctx, cls: ast.ClassDef) -> bool:
    for base in cls.bases:
        qual = ctx.qual(base) or ""
        if last_name(base) in _CHOICES_BASES and (qual.startswith("django.") or "django" in ctx.imported):
            return True
    return False


def _members(cls: ast.ClassDef) -> dict[str, Any]:
    """``PENDING = "pending", "Pending"`` -> {"PENDING": "pending"} (the stored value, not the label)."""
    out: dict[str, Any] = {}
    for stmt in cls.body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            continue
        name = stmt.targets[0].id
        if name.startswith("_") or name == "do_not_call_in_templates":
            continue
        value = stmt.value.elts[0] if isinstance(stmt.value, ast.Tuple) and stmt.value.elts else stmt.value
        found = literal(value)
        if found is not MISSING:
            out[name] = found
    return out


def _choices_classes(ctx: Ctx) -> _Choices:
    choices = _Choices()
    for cls in ctx.index.classes:
        if not _is_choices_class(ctx, cls):
            continue
        members = _members(cls)
        choices.classes.setdefault(cls.name, members)
    # nested classes are also known by their owner's name (``<Model>.Status``)
    for outer in ctx.index.classes:
        for stmt in outer.body:
            if isinstance(stmt, ast.ClassDef) and _is_choices_class(ctx, stmt):
                choices.classes[f"{outer.name}.{stmt.name}"] = _members(stmt)
    return choices


def _pairs(node: ast.expr, out: list[Any]) -> bool:
    """The stored values of a ``[(value, label), ...]`` list (groups flattened) or a dict."""
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=False):
            if isinstance(value, ast.Dict | ast.List | ast.Tuple) and isinstance(key, ast.Constant):
                if not _pairs(value, out):  # a named group of choices
                    return False
                continue
            found = literal(key)
            if found is MISSING:
                return False
            out.append(found)
        return True
    if not isinstance(node, ast.List | ast.Tuple):
        return False
    for elt in node.elts:
        if not (isinstance(elt, ast.Tuple | ast.List) and len(elt.elts) == 2):
            return False
        value, label = elt.elts
        if isinstance(label, ast.List | ast.Tuple) and all(isinstance(x, ast.Tuple | ast.List) for x in label.elts):
            if not _pairs(label, out):  # ("Group", [(value, label), ...])
                return False
            continue
        found = literal(value)
        if found is MISSING:
            return False
        out.append(found)
    return True


def _choice_values(ctx: Ctx, node: ast.expr, owner: ast.ClassDef, choices: _Choices) -> list[Any] | None:
    """The values ``choices=`` allows, or None when the file cannot tell."""
    target = node.value if isinstance(node, ast.Attribute) and node.attr == "choices" else node
    if isinstance(target, ast.Name | ast.Attribute):
        name = unparse(target)
        members = choices.lookup(name, owner.name)
        if members is not None:
            return list(members.values())
        if isinstance(target, ast.Name):  # a list of pairs bound in the model or the module
            bound = _class_constant(owner, target.id) or ctx.constants.get(target.id)
            if bound is not None:
                node = bound
    out: list[Any] = []
    return out if _pairs(node, out) and out else None


def _class_constant(cls: ast.ClassDef, name: str) -> ast.expr | None:
    for stmt in cls.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id == name
        ):
            return stmt.value
    return None


def _default(ctx: Ctx, node: ast.expr, owner: ast.ClassDef, choices: _Choices) -> Any:
    """A default as the row stores it: ``Status.PENDING`` -> ``pending``."""
    if isinstance(node, ast.Attribute):
        members = choices.lookup(unparse(node.value), owner.name)
        if members is not None and node.attr in members:
            return members[node.attr]
    value = ctx.value_or_text(node)
    # Django calls a callable default for each row (``default=list``, ``timezone.now``); an
    # UPPER_CASE name is a constant imported from elsewhere, not a callable
    callable_name = isinstance(node, ast.Name | ast.Attribute) and value == unparse(node)
    if callable_name and not (last_name(node) or "").isupper():
        return f"{value}()"
    return value


def _field_call(stmt: ast.stmt) -> tuple[str, ast.Call] | None:
    """``name = models.XField(...)`` (or annotated) -> (name, call); anything else -> None."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        target, value = stmt.targets[0].id, stmt.value
    elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
        target, value = stmt.target.id, stmt.value
    else:
        return None
    if not isinstance(value, ast.Call) or target.startswith("_"):
        return None
    kind = last_name(value.func) or ""
    # ``Field`` alone is pydantic's; a model field class is ``SomethingField`` or a relation
    if kind in _RELATIONS or (kind.endswith("Field") and kind != "Field"):
        return target, value
    return None


def _field_type(ctx: Ctx, kind: str, call: ast.Call, owner: ast.ClassDef) -> str:
    if kind in _RELATIONS:
        target = call.args[0] if call.args else kwargs(call).get("to")
        if target is None:
            return kind
        name = ctx.string(target) or unparse(target)
        if name == "self":
            name = owner.name
        return f"{kind}({name})"
    if call.args and isinstance(call.args[0], ast.Call):  # ArrayField(models.CharField(...))
        return f"{kind}({last_name(call.args[0].func) or unparse(call.args[0])})"
    return kind


def _validator_bounds(ctx: Ctx, node: ast.expr) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not isinstance(node, ast.List | ast.Tuple):
        return out
    for item in node.elts:
        if isinstance(item, ast.Call) and last_name(item.func) in _VALIDATORS:
            value = item.args[0] if item.args else kwargs(item).get("limit_value", kwargs(item).get("regex"))
            if value is not None:
                out[_VALIDATORS[last_name(item.func) or ""]] = ctx.value_or_text(value)
    return out


def _model_field(ctx: Ctx, name: str, call: ast.Call, owner: ast.ClassDef, choices: _Choices) -> ModelField:
    kind = last_name(call.func) or ""
    kw = kwargs(call)
    constraints: dict[str, Any] = {}
    for key in _PLAIN_KEYWORDS:
        if key in kw:
            constraints[key] = ctx.value_or_text(kw[key])
    if "choices" in kw:
        values = _choice_values(ctx, kw["choices"], owner, choices)
        if values:
            shown = ", ".join(str(v) for v in values[:MAX_CHOICES])
            more = f" (+{len(values) - MAX_CHOICES} more)" if len(values) > MAX_CHOICES else ""
            constraints["one_of"] = shown + more
    for key, word in _FLAG_KEYWORDS.items():
        if literal(kw.get(key)) is True:
            constraints[word] = True
    if "on_delete" in kw:
        constraints["on_delete"] = last_name(kw["on_delete"]) or unparse(kw["on_delete"])
    if "db_column" in kw:
        constraints["column_name"] = ctx.value_or_text(kw["db_column"])
    if "validators" in kw:
        constraints.update(_validator_bounds(ctx, kw["validators"]))
    # the database, not the caller, sets these timestamps
    if literal(kw.get("auto_now_add")) is True:
        constraints["set_on_create"] = True
    if literal(kw.get("auto_now")) is True:
        constraints["set_on_save"] = True
    has_default = "default" in kw or "db_default" in kw
    default = _default(ctx, kw.get("default") or kw["db_default"], owner, choices) if has_default else None
    optional = literal(kw.get("null")) is True or literal(kw.get("blank")) is True
    if literal(kw.get("null")) is True:
        constraints["nullable"] = True
    required = not (
        optional
        or has_default
        or "set_on_create" in constraints
        or "set_on_save" in constraints
        or kind in _GENERATED
        or kind == "ManyToManyField"
    )
    help_text = ctx.string(kw.get("help_text")) if "help_text" in kw else None
    out = ModelField(
        name=name,
        type=_field_type(ctx, kind, call, owner),
        required=required,
        default=default,
        constraints=constraints or None,
    )
    # ``doc`` is given only where the field has a help text
    return out.model_copy(update={"doc": help_text}) if help_text else out


def _fields_text(ctx: Ctx, node: ast.expr | None) -> str | None:
    names = ctx.strings(node) if node is not None else None
    return ", ".join(names) if names else None


def _meta(ctx: Ctx, cls: ast.ClassDef) -> tuple[dict[str, Any], list[str]]:
    """(options, table constraints) from a model's ``class Meta``."""
    options: dict[str, Any] = {}
    rules: list[str] = []
    meta = next((s for s in cls.body if isinstance(s, ast.ClassDef) and s.name == "Meta"), None)
    if meta is None:
        return options, rules
    for stmt in meta.body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            continue
        key, value = stmt.targets[0].id, stmt.value
        with ctx.guard("model Meta", stmt):
            if key in ("db_table", "abstract", "proxy", "managed"):
                options[key] = ctx.value_or_text(value)
            elif key == "ordering":
                order = _fields_text(ctx, value)
                if order:
                    rules.append(f"ordered by {order}")
            elif key in ("unique_together", "index_together"):
                groups = value.elts if isinstance(value, ast.List | ast.Tuple) else []
                if groups and not all(isinstance(g, ast.List | ast.Tuple) for g in groups):
                    groups = [value]  # one group written flat: ("a", "b")
                word = "unique" if key == "unique_together" else "index"
                rules.extend(f"{word} ({text})" for g in groups if (text := _fields_text(ctx, g)))
            elif key in ("indexes", "constraints") and isinstance(value, ast.List | ast.Tuple):
                rules.extend(rule for item in value.elts if (rule := _meta_rule(ctx, item)))
    return options, rules


def _meta_rule(ctx: Ctx, node: ast.expr) -> str | None:
    """``models.Index(fields=[...])``, ``UniqueConstraint(...)``, ``CheckConstraint(...)`` as text."""
    if not isinstance(node, ast.Call):
        return None
    kind = last_name(node.func) or ""
    kw = kwargs(node)
    columns = _fields_text(ctx, kw.get("fields"))
    if columns is None and node.args:  # Index(F("a"), ...) / UniqueConstraint(Lower("x"), ...)
        columns = ", ".join(unparse(a) for a in node.args)
    if kind == "UniqueConstraint":
        condition = f" where {unparse(kw['condition'])}" if "condition" in kw else ""
        return f"unique ({columns}){condition}" if columns else None
    if kind == "CheckConstraint":
        check = kw.get("condition", kw.get("check"))
        return f"check {unparse(check)}" if check is not None else None
    if kind.endswith("Index"):
        return f"index ({columns})" if columns else None
    return unparse(node)


def _is_model(ctx: Ctx, cls: ast.ClassDef, local: set[str]) -> bool:
    for base in cls.bases:
        qual = ctx.qual(base) or ""
        if qual in _MODEL_BASES or unparse(base) in local:
            return True
        # third-party model bases (``TimeStampedModel``, ``MPTTModel``) in a Django file
        if qual.endswith("Model") and qual != unparse(base) and "django" in ctx.imported:
            return any(_field_call(s) is not None for s in cls.body)
    return False


def extract_django_models(ctx: Ctx, enums: dict[str, list[Any]], taken: set[str]) -> None:
    """DATA_MODEL facts (framework ``django``) for the Django models of a file.

    ``enums`` gains each ``TextChoices``-like class (its stored values), so the CLI and route
    extractors can resolve them too; classes in ``taken`` already have a model fact.
    """
    if "django" not in ctx.imported:
        return
    choices = _choices_classes(ctx)
    for name, members in choices.classes.items():
        if "." not in name:
            enums.setdefault(name, list(members.values()))
    models: set[str] = set()
    inherited: dict[str, list[ModelField]] = {}  # abstract model -> its fields
    # top-level classes in source order: a model's local parents come before it
    for cls in [s for s in ctx.tree.body if isinstance(s, ast.ClassDef)]:
        if cls.name in taken or not _is_model(ctx, cls, models):
            continue
        with ctx.guard("django model", cls):
            models.add(cls.name)
            fields: list[ModelField] = []
            for base in cls.bases:
                fields.extend(inherited.get(unparse(base), []))
            for stmt in cls.body:
                found = _field_call(stmt)
                if found is not None:
                    fields.append(_model_field(ctx, found[0], found[1], cls, choices))
            options, rules = _meta(ctx, cls)
            if options.get("abstract") is True:
                inherited[cls.name] = fields
                continue  # no table of its own
            if options.get("proxy") is True:
                continue  # the parent's table seen through another class
            detail: dict[str, Any] = {
                "framework": "django",
                "doc": docstring(cls),
                "table": options.get("db_table") if isinstance(options.get("db_table"), str) else None,
                "fields": fields,
            }
            if rules:
                detail["table_constraints"] = rules
            if options.get("managed") is False:
                detail["table_constraints"] = [*rules, "not managed by Django migrations"]
            ctx.add(FactKind.DATA_MODEL, cls.name, detail, start_line(cls), end_line(cls), cls.lineno)
