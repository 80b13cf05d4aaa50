"""The facts the offline drafter works from, indexed by kind, and what sections share."""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath

from specagent.ingest.models import Fact, FactKind
from specagent.pipeline.offline.common import IdCounter, clean, fact_order
from specagent.spec.model import Citation, OpenQuestion


class FactBook:
    """Facts by kind in a stable order, provisional IDs, and the open questions sections raise."""

    def __init__(self, facts: list[Fact], project: str) -> None:
        self.project = project
        self.by_kind: dict[FactKind, list[Fact]] = defaultdict(list)
        for fact in sorted(facts, key=fact_order):
            self.by_kind[fact.kind].append(fact)
        self.id = IdCounter()
        self.questions: list[OpenQuestion] = []
        self.local_modules = self._local_modules(facts)
        #: Packages imported but declared nowhere, with the imports that show it.
        self.undeclared: dict[str, list[Fact]] = {}

    # -- helpers -------------------------------------------------------------------------------

    def facts(self, *kinds: FactKind) -> list[Fact]:
        out: list[Fact] = []
        for kind in kinds:
            out.extend(self.by_kind.get(kind, []))
        return out

    @staticmethod
    def _local_modules(facts: list[Fact]) -> set[str]:
        names: set[str] = set()
        for fact in facts:
            path = PurePosixPath(fact.source.path)
            if path.suffix in (".py", ".ipynb"):
                # Every folder on the way is importable in some layout (``src/pkg/mod.py`` is
                # imported as ``pkg.mod``): none of them is a package to install.
                names.update(part for part in path.parts[:-1])
                if path.suffix == ".py":
                    names.add(path.stem)
        return names

    def ask(
        self, question: str, why: str, sources: list[Citation] | None = None, options: list[str] | None = None
    ) -> None:
        self.questions.append(
            OpenQuestion(
                id=self.id("OQ"),
                provenance="decision",
                question=clean(question),
                why=clean(why),
                options=[clean(o, 120) for o in options or []],
                sources=sources or [],
            )
        )

    # -- sections ------------------------------------------------------------------------------
