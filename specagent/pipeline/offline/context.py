"""Dependencies (packages, services, models, env vars) and architecture (components)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import PurePosixPath

from specagent.ingest.details import (
    CiJobDetail,
    CliCommandDetail,
    ConfigKeyDetail,
    DependencyDetail,
    DockerDetail,
    EnvVarDetail,
    HttpRouteDetail,
    ImportDetail,
    ModuleDetail,
    ServiceDetail,
)
from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_common import is_test_path
from specagent.pipeline.offline.book import FactBook
from specagent.pipeline.offline.common import (
    IMPORT_TO_DIST,
    cite,
    cites,
    clean,
    norm_pkg,
    tick,
)
from specagent.spec.model import (
    Citation,
    Component,
    Dependency,
)

#: System packages named in a container component; the rest are counted.
_MAX_PACKAGES = 8


#: A requirements file this long, almost all pinned with ``==``, is a frozen environment
#: (``pip freeze``): most of its lines are transitive, and a reviewer needs the direct ones.
_FROZEN_MIN_ENTRIES = 20
_FROZEN_PINNED_SHARE = 0.9


def _imported_dists(book: FactBook) -> set[str]:
    """Normalised names of the distributions the code imports (by import name and known renames)."""
    names: set[str] = set()
    for imp in book.facts(FactKind.IMPORT):
        module = str(imp.detail_as(ImportDetail).module or imp.name).split(".")[0]
        names.add(norm_pkg(module))
        names.add(norm_pkg(IMPORT_TO_DIST.get(module, module)))
    return names


def _frozen_files(book: FactBook, imported: set[str]) -> dict[str, list[Fact]]:
    """Declaring files that are frozen environments, with their entries."""
    by_file: dict[str, list[Fact]] = defaultdict(list)
    for dep in book.facts(FactKind.DEPENDENCY):
        by_file[dep.source.path].append(dep)
    frozen = {}
    for path, deps in by_file.items():
        pinned = [d for d in deps if str(d.detail_as(DependencyDetail).version or "").startswith("==")]
        unused = [d for d in deps if norm_pkg(d.name) not in imported]
        if (
            len(deps) >= _FROZEN_MIN_ENTRIES
            and len(pinned) >= _FROZEN_PINNED_SHARE * len(deps)
            and len(unused) > len(deps) / 2
        ):
            frozen[path] = deps
    return frozen


def dependencies(book: FactBook) -> list[Dependency]:
    items: list[Dependency] = []
    imported = _imported_dists(book)
    frozen = _frozen_files(book, imported)
    declared: dict[str, list[Fact]] = defaultdict(list)
    transitive: dict[str, list[Fact]] = defaultdict(list)
    for dep in book.facts(FactKind.DEPENDENCY):
        if dep.source.path in frozen and norm_pkg(dep.name) not in imported:
            transitive[dep.source.path].append(dep)
            continue
        declared[norm_pkg(dep.name)].append(dep)
    for dep in (d for deps in transitive.values() for d in deps):
        declared.setdefault(norm_pkg(dep.name), [])  # declared: never "imported but not declared"
    for path, deps in sorted(transitive.items()):
        total = len(frozen[path])
        items.append(
            Dependency(
                id=book.id("DEP"),
                kind="package",
                name=f"{PurePosixPath(path).name}: {total} pinned packages",
                purpose=f"a frozen environment; the {total - len(deps)} the code imports are listed on their own, "
                f"the other {len(deps)} are not imported by the code (transitive or unused)",
                sources=[cite(deps[0])],
            )
        )
    for _, deps in sorted(declared.items()):
        if not deps:
            continue
        first = deps[0]
        version = next(
            (str(d.detail_as(DependencyDetail).version) for d in deps if d.detail_as(DependencyDetail).version), None
        )
        group = first.detail_as(DependencyDetail).group
        items.append(
            Dependency(
                id=book.id("DEP"),
                kind="package",
                name=first.name,
                version=version,
                purpose=f"{group} dependency" if group else None,
                required=not group,
                sources=cites(deps, 2),
            )
        )
    undeclared: dict[str, list[Fact]] = defaultdict(list)
    for imp in book.facts(FactKind.IMPORT):
        module = str(imp.detail_as(ImportDetail).module or imp.name)
        if imp.detail_as(ImportDetail).stdlib or module in book.local_modules:
            continue
        dist = IMPORT_TO_DIST.get(module, module)
        if norm_pkg(dist) in declared or norm_pkg(module) in declared:
            continue
        undeclared[dist].append(imp)
    for dist, imps in sorted(undeclared.items()):
        items.append(
            Dependency(
                id=book.id("DEP"),
                kind="package",
                name=dist,
                purpose="imported but not declared in any requirements file",
                sources=cites(imps, 2),
            )
        )
    if undeclared and declared:
        book.undeclared = dict(sorted(undeclared.items()))
    services: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    models: dict[str, list[Fact]] = defaultdict(list)
    for svc in book.facts(FactKind.SERVICE):
        if svc.detail_as(ServiceDetail).kind == "self":
            continue  # the prototype calling its own API is not a dependency
        client = str(svc.detail_as(ServiceDetail).client or svc.name)
        services[(str(svc.detail_as(ServiceDetail).kind or "other"), client)].append(svc)
        for model in svc.detail_as(ServiceDetail).models or []:
            models[str(model)].append(svc)
    for (kind, client), svcs in sorted(services.items()):
        endpoints = sorted(
            {str(s.detail_as(ServiceDetail).endpoint) for s in svcs if s.detail_as(ServiceDetail).endpoint}
        )
        products = sorted({p for e in endpoints if (p := _product_of(e))})
        named = ", ".join(products)
        if products and named.lower() != client.lower():
            named = f"{named} (through {client})"
        items.append(
            Dependency(
                id=book.id("DEP"),
                kind="service",
                name=named or client,
                purpose=clean(f"{kind} service" + (f" at {', '.join(map(tick, endpoints[:3]))}" if endpoints else "")),
                sources=cites(svcs, 3),
            )
        )
    for model, svcs in sorted(models.items()):
        clients = sorted({str(s.detail_as(ServiceDetail).client or s.name) for s in svcs})
        items.append(
            Dependency(
                id=book.id("DEP"),
                kind="model",
                name=model,
                purpose=f"called through {', '.join(map(tick, clients))}",
                sources=cites(svcs, 3),
            )
        )
    env: dict[str, list[Fact]] = defaultdict(list)
    for var in book.facts(FactKind.ENV_VAR):
        env[var.name].append(var)
    for name, vars_ in sorted(env.items()):
        secret = any(v.detail_as(EnvVarDetail).is_secret for v in vars_)
        defaults = sorted(
            {
                str(v.detail_as(EnvVarDetail).default)
                for v in vars_
                if v.detail_as(EnvVarDetail).default not in (None, "") and not secret
            }
        )
        accessors = sorted({str(v.detail_as(EnvVarDetail).accessor) for v in vars_} - {""})
        required = any(v.detail_as(EnvVarDetail).required for v in vars_)
        purpose = f"read via {', '.join(map(tick, accessors))}" if accessors else None
        if defaults:
            purpose = f"{purpose + '; ' if purpose else ''}default {tick(defaults[0])}"
        items.append(
            Dependency(
                id=book.id("DEP"),
                kind="secret" if secret else "env_var",
                name=name,
                purpose=purpose,
                required=required,
                sources=cites(vars_, 3),
            )
        )
    return items


def architecture(book: FactBook) -> list[Component]:
    groups: dict[str, list[str]] = defaultdict(list)
    all_paths = sorted({f.source.path for kind in book.by_kind for f in book.by_kind[kind]})
    for path in all_paths:
        pure = PurePosixPath(path)
        if pure.suffix not in {".py", ".ipynb"}:
            continue
        group = pure.parts[0] if len(pure.parts) > 1 else path
        groups[group].append(path)
    module_docs = {f.source.path: f for f in book.facts(FactKind.MODULE) if f.detail_as(ModuleDetail).doc}
    imports_by_path: dict[str, set[str]] = defaultdict(set)
    for imp in book.facts(FactKind.IMPORT):
        imports_by_path[imp.source.path].add(str(imp.detail_as(ImportDetail).module or imp.name))
    clients_by_path: dict[str, set[str]] = defaultdict(set)
    for svc in book.facts(FactKind.SERVICE):
        if svc.detail_as(ServiceDetail).kind != "self":
            clients_by_path[svc.source.path].add(str(svc.detail_as(ServiceDetail).client or svc.name))
    group_of_module = {}
    for group in groups:
        group_of_module[PurePosixPath(group).stem] = group
    # A file with facts beyond its module entry has lines to cite; an empty __init__.py has none.
    with_content = {f.source.path for kind, facts in book.by_kind.items() if kind != FactKind.MODULE for f in facts}
    items: list[Component] = []
    for group, paths in sorted(groups.items()):
        if not any(p in with_content or p in module_docs for p in paths):
            continue  # only empty files: nothing to say, and nothing a citation could point at
        docs = [module_docs[p] for p in paths if p in module_docs]
        notebooks = [p for p in paths if p.endswith(".ipynb")]
        tests = [p for p in paths if is_test_path(p)]
        # A docstring that only repeats the file's name says nothing.
        docs = [d for d in docs if _says_something(str(d.detail_as(ModuleDetail).doc), d.source.path)]
        does = _what_code_does(book, set(paths))
        if docs:
            responsibility = clean(docs[0].detail_as(ModuleDetail).doc, 200)
        elif does:
            responsibility = does
        elif notebooks and len(notebooks) == len(paths):
            responsibility = f"notebooks: {', '.join(map(tick, notebooks[:4]))}"
        elif tests and len(tests) == len(paths):
            responsibility = f"tests: {', '.join(map(tick, tests[:4]))}"
        else:
            responsibility = f"modules: {', '.join(map(tick, paths[:5]))}" + (
                f" and {len(paths) - 5} more" if len(paths) > 5 else ""
            )
        uses: set[str] = set()
        for p in paths:
            for module in imports_by_path.get(p, ()):
                target = group_of_module.get(module)
                if target and target != group:
                    uses.add(target)
            uses |= clients_by_path.get(p, set())
        first = next((p for p in paths if p in with_content), paths[0])
        sources = [cite(d) for d in docs[:2]] or [
            Citation(path=first, start_line=1, end_line=1, cell=1 if first.endswith(".ipynb") else None)
        ]
        items.append(
            Component(
                id=book.id("C"),
                name=group,
                responsibility=responsibility,
                paths=[group if group in paths else group + "/"],
                uses=sorted(uses),
                sources=sources,
            )
        )
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
    items.extend(_deploy_components(book))
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


#: What a connection URL's scheme says the service is ("mysql+pymysql://..." is MySQL).
_SCHEME_PRODUCTS = {
    "mysql": "MySQL",
    "mariadb": "MariaDB",
    "postgresql": "PostgreSQL",
    "postgres": "PostgreSQL",
    "sqlite": "SQLite",
    "mssql": "SQL Server",
    "oracle": "Oracle",
    "redis": "Redis",
    "rediss": "Redis",
    "mongodb": "MongoDB",
    "mongodb+srv": "MongoDB",
    "amqp": "RabbitMQ",
    "amqps": "RabbitMQ",
    "kafka": "Kafka",
    "snowflake": "Snowflake",
    "bigquery": "BigQuery",
    "clickhouse": "ClickHouse",
}


def _product_of(endpoint: str) -> str | None:
    """The service a connection URL names by its scheme, or None."""
    m = re.match(r"^([a-z][a-z0-9]*(?:\+srv)?)(?:\+[a-z0-9_]+)?://", endpoint.strip().lower())
    return _SCHEME_PRODUCTS.get(m.group(1)) if m else None
