"""Which prototypes an eval drafts: the eval sets, and how their prototypes are found in a folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from specagent.errors import InputPathError

#: The eval sets: the corpus written here (a regression gate) and real prototypes nobody here wrote.
EVAL_SETS: tuple[str, ...] = ("corpus", "real")
DEFAULT_SET_DIRS: dict[str, Path] = {"corpus": Path("corpus"), "real": Path("evals/real")}


@dataclass(frozen=True)
class EvalTarget:
    """One prototype to evaluate: what is drafted (``root``) and its gold facts (``expected``)."""

    set: str
    name: str
    root: Path
    expected: Path


def discover(corpus: Path) -> list[Path]:
    """Prototype folders of ``corpus`` that have an expected.yaml, sorted by name."""
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise InputPathError(f"{corpus}: no such corpus folder")
    return sorted(p for p in corpus.iterdir() if p.is_dir() and (p / "expected.yaml").is_file())


def discover_set(name: str, folder: Path) -> list[EvalTarget]:
    """The prototypes of one eval set.

    A corpus prototype is a folder holding its own ``expected.yaml`` (ignored by the drafter
    through its ``.specagentignore``). A real prototype keeps the vendored repository in
    ``repo/`` and its gold facts and SOURCE.md beside it, so nothing of ours is drafted.
    """
    if name not in EVAL_SETS:
        raise InputPathError(f"unknown eval set {name!r}; use one of {', '.join(EVAL_SETS)} or all")
    folder = Path(folder)
    if name == "corpus":
        return [EvalTarget("corpus", p.name, p, p / "expected.yaml") for p in discover(folder)]
    if not folder.is_dir():
        raise InputPathError(f"{folder}: no such folder of real prototypes")
    return sorted(
        (
            EvalTarget("real", p.name, p / "repo", p / "expected.yaml")
            for p in folder.iterdir()
            if (p / "expected.yaml").is_file() and (p / "repo").is_dir()
        ),
        key=lambda t: t.name,
    )


def resolve_sets(which: str, dirs: dict[str, Path] | None = None) -> list[EvalTarget]:
    """Targets of ``which`` ("corpus", "real" or "all"), from ``dirs`` (defaults: corpus/, evals/real/)."""
    dirs = {**DEFAULT_SET_DIRS, **(dirs or {})}
    names = EVAL_SETS if which == "all" else (which,)
    return [t for n in names for t in discover_set(n, dirs.get(n, DEFAULT_SET_DIRS.get(n, Path(n))))]
