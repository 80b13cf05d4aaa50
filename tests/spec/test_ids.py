"""Stable IDs across drafts."""

from __future__ import annotations

from specagent.spec.ids import assign_ids
from specagent.spec.model import Dependency, OpenQuestion, Requirement, Spec


def dep(name: str, id_: str = "DEP-001", **kw: object) -> Dependency:
    return Dependency(id=id_, kind="package", name=name, **kw)  # type: ignore[arg-type]


def test_fresh_draft_is_numbered_in_order() -> None:
    spec = Spec(dependencies=[dep("a", "DEP-007"), dep("b", "DEP-003")])
    assign_ids(spec)
    assert [d.id for d in spec.dependencies] == ["DEP-001", "DEP-002"]


def test_matching_items_keep_their_ids_and_new_ones_take_fresh_numbers() -> None:
    previous = Spec(dependencies=[dep("numpy", "DEP-001"), dep("pandas", "DEP-002"), dep("gone", "DEP-003")])
    current = Spec(dependencies=[dep("new-one"), dep("pandas"), dep("numpy")])
    assign_ids(current, previous)
    ids = {d.name: d.id for d in current.dependencies}
    assert ids["numpy"] == "DEP-001" and ids["pandas"] == "DEP-002"
    assert ids["new-one"] == "DEP-004"  # never reuses the removed item's number


def test_locked_items_are_kept_verbatim() -> None:
    mine = dep("numpy", "DEP-001", purpose="my words", locked=True)
    previous = Spec(dependencies=[mine])
    current = Spec(dependencies=[dep("numpy", purpose="drafted words"), dep("scipy")])
    assign_ids(current, previous)
    kept = [d for d in current.dependencies if d.name == "numpy"]
    assert kept == [mine]
    assert {d.id for d in current.dependencies} == {"DEP-001", "DEP-002"}


def test_requirement_prefix_follows_kind_and_ids_stay_unique() -> None:
    spec = Spec(
        requirements=[
            Requirement(id="FR-001", statement="a"),
            Requirement(id="FR-001", statement="b"),
            Requirement(id="FR-002", kind="non_functional", statement="p95 under 1 s"),
        ],
        open_questions=[OpenQuestion(id="OQ-999", question="q?")],
    )
    assign_ids(spec)
    assert [r.id for r in spec.requirements] == ["FR-001", "FR-002", "NFR-001"]
    assert spec.open_questions[0].id == "OQ-001"


def test_every_item_list_has_one_prefix_map_entry() -> None:
    from specagent.spec.model import FIELD_PREFIXES, ID_RE, SECTION_PREFIXES, Spec, id_prefix

    assert [field for field, _ in Spec().item_lists()] == list(FIELD_PREFIXES)
    every = {p for prefixes in FIELD_PREFIXES.values() for p in prefixes}
    assert every == {p for prefixes in SECTION_PREFIXES.values() for p in prefixes}
    assert all(ID_RE.match(f"{p}-001") for p in every)
    assert id_prefix("goals", object()) == "G"
