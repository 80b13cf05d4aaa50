"""Django projects: ORM models become stored data contracts (each field's type, a relation's
target model, the allowed values of ``choices`` however they are written, defaults, ``Meta``
keys, ordering and indexes; abstract parents' fields copied in), and management commands become
``python manage.py NAME`` CLI items with the options ``add_arguments`` declares."""

from __future__ import annotations

import textwrap
from pathlib import Path

from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_parser import parse_python
from specagent.pipeline.draft import draft

MODELS = textwrap.dedent(
    '''\
    from django.db import models
    from django.core.validators import MinValueValidator
    from django.utils import timezone

    PRIORITIES = [(1, "Low"), (2, "High")]


    class Kind(models.TextChoices):
        BOOK = "book", "Book"
        MAP = "map", "Map"


    class Stamped(models.Model):
        created = models.DateTimeField(auto_now_add=True)

        class Meta:
            abstract = True


    class Shelf(Stamped):
        """Where items are kept."""

        class State(models.IntegerChoices):
            OPEN = 1, "Open"
            SHUT = 2, "Shut"

        code = models.CharField(max_length=8, unique=True)
        state = models.IntegerField(choices=State.choices, default=State.OPEN)
        parent = models.ForeignKey("self", null=True, on_delete=models.SET_NULL)

        class Meta:
            db_table = "shelves"
            ordering = ["code"]


    class Item(Stamped):
        SIZES = [("S", "Small"), ("Media", [("cd", "CD"), ("dvd", "DVD")])]

        shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, related_name="items")
        kind = models.CharField(max_length=8, choices=Kind)
        size = models.CharField(max_length=8, choices=SIZES, blank=True)
        priority = models.IntegerField(choices=PRIORITIES, validators=[MinValueValidator(1)])
        tags = models.ManyToManyField("catalog.Tag")
        extra = models.JSONField(default=dict)
        seen = models.DateTimeField(default=timezone.now)
        scan = models.FileField(upload_to="scans/")
        objects = models.Manager()

        class Meta:
            constraints = [models.UniqueConstraint(fields=["shelf", "kind"], name="one_kind")]
            indexes = [models.Index(fields=["kind", "created"])]


    class ItemProxy(Item):
        class Meta:
            proxy = True
    '''
)

COMMAND = textwrap.dedent(
    '''\
    """Import items from a CSV export."""
    from django.core.management.base import BaseCommand


    class Command(BaseCommand):
        help = "Load items into the catalogue."

        def add_arguments(self, parser):
            parser.add_argument("path", help="CSV file")
            parser.add_argument("--batch", type=int, default=500)
            mode = parser.add_mutually_exclusive_group()
            mode.add_argument("--dry-run", action="store_true")
            mode.add_argument("--kind", choices=["book", "map"])

        def handle(self, *args, **options):
            pass
    '''
)


def _models(text: str) -> dict[str, Fact]:
    facts = parse_python("catalog/models.py", text).facts
    return {f.name: f for f in facts if f.kind is FactKind.DATA_MODEL}


def _fields(fact: Fact) -> list[tuple]:
    return [(f.name, f.type, f.required, f.default, f.constraints) for f in fact.detail.fields]


def test_models_give_fields_choices_relations_and_meta() -> None:
    models = _models(MODELS)
    # the abstract parent and the proxy have no table of their own; choices classes are no models
    assert sorted(models) == ["Item", "Shelf"]
    shelf, item = models["Shelf"], models["Item"]
    assert shelf.detail.framework == "django"
    assert shelf.detail.table == "shelves"
    assert shelf.detail.doc == "Where items are kept."
    assert shelf.detail.table_constraints == ["ordered by code"]
    assert shelf.source.quote == "class Shelf(Stamped):"
    assert _fields(shelf) == [
        ("created", "DateTimeField", False, None, {"set_on_create": True}),
        ("code", "CharField", True, None, {"max_length": 8, "unique": True}),
        # a nested IntegerChoices class: values, and the default as the row stores it
        ("state", "IntegerField", False, 1, {"one_of": "1, 2"}),
        ("parent", "ForeignKey(Shelf)", False, None, {"on_delete": "SET_NULL", "nullable": True}),
    ]
    assert item.detail.table is None
    assert item.detail.table_constraints == ["unique (shelf, kind)", "index (kind, created)"]
    assert _fields(item) == [
        ("created", "DateTimeField", False, None, {"set_on_create": True}),
        ("shelf", "ForeignKey(Shelf)", True, None, {"on_delete": "CASCADE"}),
        # Django 5 takes the enumeration class itself
        ("kind", "CharField", True, None, {"max_length": 8, "one_of": "book, map"}),
        # a class-level list of pairs with a named group
        ("size", "CharField", False, None, {"max_length": 8, "one_of": "S, cd, dvd"}),
        # a module-level list of pairs; a validator's bound
        ("priority", "IntegerField", True, None, {"one_of": "1, 2", "ge": 1}),
        ("tags", "ManyToManyField(catalog.Tag)", False, None, None),
        # callables are called for each row
        ("extra", "JSONField", False, "dict()", None),
        ("seen", "DateTimeField", False, "timezone.now()", None),
        ("scan", "FileField", True, None, {"upload_to": "scans/"}),
    ]


def test_models_need_django() -> None:
    # the same shapes without a Django import are not Django models
    assert _models("class Model:\n    pass\n\n\nclass A(Model):\n    x = CharField(max_length=3)\n") == {}


def test_management_command_is_a_cli_item(tmp_path: Path) -> None:
    commands = tmp_path / "catalog" / "management" / "commands"
    commands.mkdir(parents=True)
    (commands / "__init__.py").write_text("", encoding="utf-8")
    (commands / "load_items.py").write_text(COMMAND, encoding="utf-8")
    (tmp_path / "catalog" / "models.py").write_text(MODELS, encoding="utf-8")
    spec = draft(tmp_path).spec
    (cli,) = [i for i in spec.interfaces if i.kind == "cli"]
    assert cli.name == "python manage.py load_items"
    assert cli.summary == "Load items into the catalogue."
    assert cli.sources[0].quote == "class Command(BaseCommand):"
    assert [(p.name, p.flags, p.type, p.required, p.default, p.description) for p in cli.parameters] == [
        ("path", ["path"], "str", True, None, "CSV file"),
        ("batch", ["--batch"], "int", False, "500", None),
        ("dry_run", ["--dry-run"], "bool", False, "False", None),
        ("kind", ["--kind"], "str", False, None, "one of book, map"),
    ]
    stored = {c.name: c for c in spec.data_contracts if c.role == "stored"}
    assert stored["Shelf"].format == "SQL table `shelves` (Django model)"
    assert stored["Item"].format == "SQL table (Django model)"
    kind = next(f for f in stored["Item"].fields if f.name == "kind")
    assert (kind.type, kind.required, kind.constraints) == ("CharField", True, "max length 8; one of book, map")


def test_a_command_module_outside_management_commands_is_not_one() -> None:
    facts = parse_python("catalog/commands/load_items.py", COMMAND).facts
    assert [f for f in facts if f.kind is FactKind.CLI_COMMAND] == []


def test_django_manage_py_is_no_command_of_its_own(tmp_path: Path) -> None:
    from specagent.pipeline.draft import draft

    (tmp_path / "manage.py").write_text(
        "import os\nimport sys\n\n\ndef main():\n"
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n'
        "    from django.core.management import execute_from_command_line\n\n"
        "    execute_from_command_line(sys.argv)\n\n\n"
        'if __name__ == "__main__":\n    main()\n',
        encoding="utf-8",
    )
    names = [i.name for i in draft(tmp_path).spec.interfaces]
    assert "python manage.py" not in names and "manage.py" not in names
