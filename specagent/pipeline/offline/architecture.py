"""Architecture: components from the code's folders, container images, deployment folders and CI jobs."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from specagent.ingest.details import (
    CiJobDetail,
    CliCommandDetail,
    ConfigKeyDetail,
    DockerDetail,
    HttpRouteDetail,
    ImportDetail,
    ModuleDetail,
    ServiceDetail,
)
from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_common import is_test_path
from specagent.pipeline.offline.book import FactBook
from specagent.pipeline.offline.common import (
    cite,
    cites,
    clean,
    tick,
)
from specagent.spec.model import (
    Citation,
    Component,
)

#: System packages named in a container component; the rest are counted.
_MAX_PACKAGES = 8


def architecture(book: FactBook) -> list[Component]:
    """The prototype's components: its code grouped by top-level folder, then its container
    images, deployment folders and CI jobs."""
    items = _code_components(book)
    items.extend(_docker_components(book))
    items.extend(_deploy_components(book))
    items.extend(_ci_components(book))
    return items


def _code_groups(book: FactBook) -> dict[str, list[str]]:
    """Code files (``.py``, ``.ipynb``) by top-level folder; a file at the root is a group of its own."""
    groups: dict[str, list[str]] = defaultdict(list)
    all_paths = sorted({f.source.path for kind in book.by_kind for f in book.by_kind[kind]})
    for path in all_paths:
        pure = PurePosixPath(path)
        if pure.suffix not in {".py", ".ipynb"}:
            continue
        group = pure.parts[0] if len(pure.parts) > 1 else path
        groups[group].append(path)
    return groups


@dataclass(frozen=True)
class _CodeLinks:
    """What ties a group of code to others: the modules each file imports (a module named like
    another group is that group) and the services each file calls."""

    imports_by_path: dict[str, set[str]]
    clients_by_path: dict[str, set[str]]
    group_of_module: dict[str, str]

    @classmethod
    def of(cls, book: FactBook, groups: Iterable[str]) -> _CodeLinks:
        imports_by_path: dict[str, set[str]] = defaultdict(set)
        for imp in book.facts(FactKind.IMPORT):
            imports_by_path[imp.source.path].add(str(imp.detail_as(ImportDetail).module or imp.name))
        clients_by_path: dict[str, set[str]] = defaultdict(set)
        for svc in book.facts(FactKind.SERVICE):
            if svc.detail_as(ServiceDetail).kind != "self":
                clients_by_path[svc.source.path].add(str(svc.detail_as(ServiceDetail).client or svc.name))
        return cls(imports_by_path, clients_by_path, {PurePosixPath(group).stem: group for group in groups})

    def uses(self, group: str, paths: list[str]) -> list[str]:
        """The other groups a group's files import and the services they call, sorted."""
        uses: set[str] = set()
        for p in paths:
            for module in self.imports_by_path.get(p, ()):
                target = self.group_of_module.get(module)
                if target and target != group:
                    uses.add(target)
            uses |= self.clients_by_path.get(p, set())
        return sorted(uses)


def _code_components(book: FactBook) -> list[Component]:
    """One component per group of code files with lines to cite, citing its module docstrings
    (or its first file with content)."""
    groups = _code_groups(book)
    module_docs = {f.source.path: f for f in book.facts(FactKind.MODULE) if f.detail_as(ModuleDetail).doc}
    links = _CodeLinks.of(book, groups)
    # A file with facts beyond its module entry has lines to cite; an empty __init__.py has none.
    with_content = {f.source.path for kind, facts in book.by_kind.items() if kind != FactKind.MODULE for f in facts}
    items: list[Component] = []
    for group, paths in sorted(groups.items()):
        if not any(p in with_content or p in module_docs for p in paths):
            continue  # only empty files: nothing to say, and nothing a citation could point at
        docs = [module_docs[p] for p in paths if p in module_docs]
        # A docstring that only repeats the file's name says nothing.
        docs = [d for d in docs if _says_something(str(d.detail_as(ModuleDetail).doc), d.source.path)]
        first = next((p for p in paths if p in with_content), paths[0])
        sources = [cite(d) for d in docs[:2]] or [
            Citation(path=first, start_line=1, end_line=1, cell=1 if first.endswith(".ipynb") else None)
        ]
        items.append(
            Component(
                id=book.id("C"),
                name=group,
                responsibility=_responsibility(book, paths, docs),
                paths=[group if group in paths else group + "/"],
                uses=links.uses(group, paths),
                sources=sources,
            )
        )
    return items


def _responsibility(book: FactBook, paths: list[str], docs: list[Fact]) -> str:
    """What a group of code is for: its first telling module docstring, else what its code does,
    else what kind of files it holds (notebooks, tests, modules)."""
    if docs:
        return clean(docs[0].detail_as(ModuleDetail).doc, 200)
    does = _what_code_does(book, set(paths))
    if does:
        return does
    notebooks = [p for p in paths if p.endswith(".ipynb")]
    if notebooks and len(notebooks) == len(paths):
        return f"notebooks: {', '.join(map(tick, notebooks[:4]))}"
    tests = [p for p in paths if is_test_path(p)]
    if tests and len(tests) == len(paths):
        return f"tests: {', '.join(map(tick, tests[:4]))}"
    more = f" and {len(paths) - 5} more" if len(paths) > 5 else ""
    return f"modules: {', '.join(map(tick, paths[:5]))}{more}"


def _docker_components(book: FactBook) -> list[Component]:
    """One component per Dockerfile: its base image, the system packages it installs, the ports
    it exposes and the command it runs."""
    items = []
    for docker in book.facts(FactKind.DOCKER):
        d = docker.detail_as(DockerDetail)
        ports = ", ".join(str(p) for p in d.ports or [])
        parts = [f"container image from {tick(d.base_image)}" if d.base_image else "container image"]
        packages = [str(p) for p in d.packages or []]
        if packages:
            shown = ", ".join(map(tick, packages[:_MAX_PACKAGES]))
            more = f" and {len(packages) - _MAX_PACKAGES} more" if len(packages) > _MAX_PACKAGES else ""
            parts.append(f"installs {shown}{more}")
        if ports:
            parts.append(f"exposes port {ports}")
        if d.cmd:
            parts.append(f"runs {tick(clean(d.cmd, 100))}")
        items.append(
            Component(
                id=book.id("C"),
                name=docker.source.path,
                responsibility="; ".join(parts),
                paths=[docker.source.path],
                sources=[cite(docker)],
            )
        )
    return items


def _ci_components(book: FactBook) -> list[Component]:
    """One component per CI job, with its first steps."""
    items = []
    for job in book.facts(FactKind.CI_JOB):
        steps = [clean(s, 60) for s in job.detail_as(CiJobDetail).steps or []][:4]
        items.append(
            Component(
                id=book.id("C"),
                name=f"CI job {job.name}",
                responsibility=f"{job.detail_as(CiJobDetail).system} job {tick(job.name)}"
                + (f" runs: {'; '.join(map(tick, steps))}" if steps else ""),
                paths=[job.source.path],
                sources=[cite(job)],
            )
        )
    return items


#: Folders of deployment manifests: a Helm chart, Kubernetes or Terraform files.
DEPLOY_DIRS = frozenset({"charts", "chart", "helm", "k8s", "kubernetes", "manifests", "deploy", "terraform"})
#: Values of a chart's values file shown in its component (the rest are counted).
_MAX_VALUES = 10


def _deploy_root(path: str) -> str | None:
    """``charts/ml-service`` for ``charts/ml-service/templates/hpa.yaml``; None outside deploy folders."""
    parts = PurePosixPath(path).parts
    for i, part in enumerate(parts[:-1]):
        if part.lower() in DEPLOY_DIRS:
            chart = parts[: i + 2] if len(parts) > i + 2 else parts[: i + 1]
            return "/".join(chart)
    return None


def _deploy_components(book: FactBook) -> list[Component]:
    """One component per deployment folder: what it deploys (kinds) and its chart values."""
    keys_by_root: dict[str, list[Fact]] = defaultdict(list)
    for key in book.facts(FactKind.CONFIG_KEY):
        root = _deploy_root(key.source.path)
        if root is not None:
            keys_by_root[root].append(key)
    items = []
    for root, keys in sorted(keys_by_root.items()):
        kinds = sorted(
            {
                str(k.detail_as(ConfigKeyDetail).value)
                for k in keys
                if k.name == "kind" and k.detail_as(ConfigKeyDetail).value
            }
        )
        is_chart = any(PurePosixPath(k.source.path).name == "Chart.yaml" for k in keys)
        values = [
            k
            for k in keys
            if PurePosixPath(k.source.path).name in ("values.yaml", "values.yml")
            and k.detail_as(ConfigKeyDetail).value not in (None, "", "null", "{}", "[]")
        ]
        parts = ["Helm chart" if is_chart else "deployment manifests"]
        if kinds:
            parts.append(f"deploys {', '.join(map(tick, kinds))}")
        if values:
            shown = ", ".join(
                f"{tick(k.name)} {clean(k.detail_as(ConfigKeyDetail).value, 30)}" for k in values[:_MAX_VALUES]
            )
            more = f" and {len(values) - _MAX_VALUES} more" if len(values) > _MAX_VALUES else ""
            parts.append(f"values: {shown}{more}")
        items.append(
            Component(
                id=book.id("C"),
                name=root,
                responsibility="; ".join(parts),
                paths=[root + "/"],
                sources=cites(values or keys, 2),
            )
        )
    return items


#: Names shown per kind in a component's summary of what its code does.
_MAX_NAMED = 3


def _says_something(doc: str, path: str) -> bool:
    words = re.findall(r"[a-z0-9]+", doc.lower())
    return bool(words) and words != re.findall(r"[a-z0-9]+", PurePosixPath(path).name.lower())


def _what_code_does(book: FactBook, paths: set[str]) -> str | None:
    """What a component's code does, from its facts: routes it serves, commands and apps it
    offers, services it calls, public functions and classes it defines. None when it has none."""

    def named(kind: FactKind, label: Callable[[Fact], str]) -> list[str]:
        found = [label(f) for f in book.facts(kind) if f.source.path in paths and not is_test_path(f.source.path)]
        return list(dict.fromkeys(found))

    routes = named(
        FactKind.HTTP_ROUTE,
        lambda f: f"{f.detail_as(HttpRouteDetail).method} {f.detail_as(HttpRouteDetail).path}".strip(),
    )
    commands = named(
        FactKind.CLI_COMMAND,
        lambda f: str(
            f.detail_as(CliCommandDetail).command or f.detail_as(CliCommandDetail).program or f"python {f.source.path}"
        ),
    )
    services = named(FactKind.SERVICE, lambda f: str(f.detail_as(ServiceDetail).client or f.name))
    public = named(FactKind.CLASS, lambda f: f.name) + named(FactKind.FUNCTION, lambda f: f.name)
    public = [n for n in public if not n.startswith("_")]
    parts = []
    # Routes are shown as written, not as identifiers: a template like /<path:path> is no name.
    for verb, names, show in (
        ("serves", routes, str),
        ("runs as", commands, tick),
        ("calls", services, tick),
        ("defines", public, tick),
    ):
        if names:
            more = f" and {len(names) - _MAX_NAMED} more" if len(names) > _MAX_NAMED else ""
            parts.append(f"{verb} {', '.join(map(show, names[:_MAX_NAMED]))}{more}")
    return "; ".join(parts) or None
