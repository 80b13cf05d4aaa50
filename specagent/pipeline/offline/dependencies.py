"""Dependencies: packages (declared, frozen, imported but undeclared), services, models, env vars."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath

from specagent.ingest.details import (
    DependencyDetail,
    EnvVarDetail,
    ImportDetail,
    ServiceDetail,
)
from specagent.ingest.models import Fact, FactKind
from specagent.pipeline.offline.book import FactBook
from specagent.pipeline.offline.common import (
    cite,
    cites,
    clean,
    import_dists,
    norm_pkg,
    tick,
)
from specagent.spec.model import Dependency

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
        names.update(norm_pkg(dist) for dist in import_dists(module))
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
    """What the prototype depends on: packages (declared, frozen, imported but undeclared),
    services and the models called through them, and environment variables."""
    items = _package_dependencies(book)
    items.extend(_service_dependencies(book))
    items.extend(_env_dependencies(book))
    return items


def _package_dependencies(book: FactBook) -> list[Dependency]:
    """Packages: a frozen environment's transitive entries as one item, each declared package,
    then each imported package declared nowhere (kept in the book for the risks)."""
    imported = _imported_dists(book)
    frozen = _frozen_files(book, imported)
    declared, transitive = _declared_packages(book, frozen, imported)
    items = [_frozen_environment(book, path, len(frozen[path]), deps) for path, deps in sorted(transitive.items())]
    items.extend(_declared_package(book, deps) for _, deps in sorted(declared.items()) if deps)
    undeclared = _undeclared_packages(book, declared)
    items.extend(
        Dependency(
            id=book.id("DEP"),
            kind="package",
            name=dist,
            purpose="imported but not declared in any requirements file",
            sources=cites(imps, 2),
        )
        for dist, imps in sorted(undeclared.items())
    )
    if undeclared and declared:
        book.undeclared = dict(sorted(undeclared.items()))
    return items


def _declared_packages(
    book: FactBook, frozen: dict[str, list[Fact]], imported: set[str]
) -> tuple[dict[str, list[Fact]], dict[str, list[Fact]]]:
    """The declaring facts by normalised package name, and by frozen file the entries the code
    does not import (transitive ones: declared, with no facts of their own to list)."""
    declared: dict[str, list[Fact]] = defaultdict(list)
    transitive: dict[str, list[Fact]] = defaultdict(list)
    for dep in book.facts(FactKind.DEPENDENCY):
        if dep.source.path in frozen and norm_pkg(dep.name) not in imported:
            transitive[dep.source.path].append(dep)
            continue
        declared[norm_pkg(dep.name)].append(dep)
    for dep in (d for deps in transitive.values() for d in deps):
        declared.setdefault(norm_pkg(dep.name), [])  # declared: never "imported but not declared"
    return declared, transitive


def _frozen_environment(book: FactBook, path: str, total: int, unimported: list[Fact]) -> Dependency:
    """A frozen environment as one item: how many of its pinned entries the code does not import."""
    return Dependency(
        id=book.id("DEP"),
        kind="package",
        name=f"{PurePosixPath(path).name}: {total} pinned packages",
        purpose=f"a frozen environment; the {total - len(unimported)} the code imports are listed on their own, "
        f"the other {len(unimported)} are not imported by the code (transitive or unused)",
        sources=[cite(unimported[0])],
    )


def _declared_package(book: FactBook, deps: list[Fact]) -> Dependency:
    """A declared package: its first version given, and its group (dev, test) if it has one."""
    first = deps[0]
    version = next(
        (str(d.detail_as(DependencyDetail).version) for d in deps if d.detail_as(DependencyDetail).version), None
    )
    group = first.detail_as(DependencyDetail).group
    return Dependency(
        id=book.id("DEP"),
        kind="package",
        name=first.name,
        version=version,
        purpose=f"{group} dependency" if group else None,
        required=not group,
        sources=cites(deps, 2),
    )


def _undeclared_packages(book: FactBook, declared: dict[str, list[Fact]]) -> dict[str, list[Fact]]:
    """Distributions the code imports that no file declares (stdlib and local modules aside)."""
    undeclared: dict[str, list[Fact]] = defaultdict(list)
    for imp in book.facts(FactKind.IMPORT):
        module = str(imp.detail_as(ImportDetail).module or imp.name)
        if imp.detail_as(ImportDetail).stdlib or module in book.local_modules:
            continue
        dists = import_dists(module)
        if norm_pkg(module) in declared or any(norm_pkg(dist) in declared for dist in dists):
            continue
        undeclared[dists[0]].append(imp)
    return undeclared


def _service_dependencies(book: FactBook) -> list[Dependency]:
    """One item per service client (named by the product its URLs name), then one per model
    called through the services."""
    services: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    models: dict[str, list[Fact]] = defaultdict(list)
    for svc in book.facts(FactKind.SERVICE):
        if svc.detail_as(ServiceDetail).kind == "self":
            continue  # the prototype calling its own API is not a dependency
        client = str(svc.detail_as(ServiceDetail).client or svc.name)
        services[(str(svc.detail_as(ServiceDetail).kind or "other"), client)].append(svc)
        for model in svc.detail_as(ServiceDetail).models or []:
            models[str(model)].append(svc)
    items = []
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
    return items


def _env_dependencies(book: FactBook) -> list[Dependency]:
    """One item per environment variable read: a secret or a plain variable, how it is read,
    its default (never a secret's), and whether it is required."""
    env: dict[str, list[Fact]] = defaultdict(list)
    for var in book.facts(FactKind.ENV_VAR):
        env[var.name].append(var)
    items = []
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
