"""The offline drafter: a complete Spec from Facts alone, no model.

Every item it writes comes from a fact and cites it. What facts cannot tell (targets, budgets,
users when the notes are silent) becomes an open question, never invented text. Output is
deterministic: the same facts give the same spec. IDs here are provisional and sequential;
:func:`specagent.spec.ids.assign_ids` makes them stable against an earlier draft.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from specagent.ingest.models import Fact, FactKind
from specagent.spec.model import (
    Baseline,
    Citation,
    Component,
    Constraint,
    DataContract,
    Dependency,
    FieldSpec,
    Goal,
    Interface,
    Metric,
    NonGoal,
    OpenQuestion,
    Overview,
    Parameter,
    Problem,
    Requirement,
    Risk,
    Spec,
    UserGroup,
    UserStory,
)

#: Extensions that make a FILE_IO target a file path rather than an expression.
FILE_EXTENSIONS = frozenset(
    """csv tsv json jsonl ndjson parquet pkl pickle joblib yaml yml toml txt md npy npz xlsx xls
    h5 hdf5 onnx pt pth db sqlite sqlite3 log html feather arrow avro orc gz zip""".split()
)
LATENCY_WORDS = ("latency", "p50", "p90", "p95", "p99", "duration", "time", "seconds")
COST_WORDS = ("cost", "price", "$", "usd", "spend")
THROUGHPUT_WORDS = ("throughput", "rows/s", "req/s", "qps", "rps", "per second", "tokens/s")
MEMORY_WORDS = ("memory", "ram", "mb", "gb", "rss")
NFR_WORDS = re.compile(
    r"\b(latency|p9\d|ms|seconds?|cost|\$|throughput|rps|qps|uptime|availability|memory|"
    r"secure|privacy|gdpr|pii|scal\w+|concurren\w+)\b",
    re.IGNORECASE,
)
PROBLEM_HEADINGS = re.compile(
    r"\b(problem|overview|motivation|background|about|summary|purpose|context|why|what is this|introduction)\b", re.I
)
STORY_RE = re.compile(
    r"\bas an? (?P<who>.+?),? I (?:want|need|would like) (?:to )?(?P<what>.+?)"
    r"(?:,? so (?:that )?(?P<why>.+?))?[.]?$",
    re.IGNORECASE,
)
_WS = re.compile(r"\s+")
#: A citation quote only has to identify the lines; a prefix does that and keeps SPEC.md short.
QUOTE_LIMIT = 48


def _clean(text: Any, limit: int = 300) -> str:
    """One line, trimmed: spec fields never carry raw newlines (keeps SPEC.md round-trips exact)."""
    value = _WS.sub(" ", str(text)).strip()
    if len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return value


def _tick(name: Any) -> str:
    """An identifier in backticks (backticks inside are dropped)."""
    return f"`{str(name).replace('`', '')}`"


def cite(fact: Fact) -> Citation:
    """The citation of a fact: its path, span and quote."""
    span = fact.source.span
    quote = fact.source.quote
    return Citation(
        path=fact.source.path,
        start_line=span.start_line,
        end_line=max(span.end_line, span.start_line),
        cell=span.cell,
        quote=_clean(quote, QUOTE_LIMIT) if quote else None,
    )


def _cites(facts: Iterable[Fact], limit: int = 5) -> list[Citation]:
    seen: dict[tuple[Any, ...], Citation] = {}
    for fact in facts:
        c = cite(fact)
        key = (c.path, c.cell, c.start_line, c.end_line)
        if key not in seen:
            seen[key] = c
    return sorted(seen.values(), key=lambda c: (c.path, c.cell or 0, c.start_line))[:limit]


def _order(fact: Fact) -> tuple[Any, ...]:
    span = fact.source.span
    return (fact.source.path, span.cell or 0, span.start_line, fact.kind.value, fact.name)


def _is_test_path(path: str) -> bool:
    pure = PurePosixPath(path)
    return (
        any(part in {"tests", "test"} for part in pure.parts[:-1])
        or pure.name.startswith("test_")
        or pure.name.endswith("_test.py")
        or pure.name == "conftest.py"
    )


#: Folders whose text is the product's content (a knowledge base, prompts, fixtures), not the
#: team's notes about the product: a "must" there is data, not a requirement.
CONTENT_DIRS = frozenset(
    "data datasets dataset kb knowledge knowledge_base corpus docs_kb samples sample fixtures examples "
    "prompts templates assets static".split()
)


def _is_team_note(path: str, cell: int | None) -> bool:
    """Notes that state what the team wants: README, notes and docs, not content or notebooks."""
    pure = PurePosixPath(path)
    if cell is not None or pure.suffix == ".ipynb" or "prompt" in pure.name.lower():
        return False
    return not any(part.lower() in CONTENT_DIRS for part in pure.parts[:-1])


def _module_name(path: str) -> str:
    pure = PurePosixPath(path)
    parts = list(pure.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or pure.stem


def _norm_pkg(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# Import names whose distribution is called something else.
IMPORT_TO_DIST = {
    "sklearn": "scikit-learn",
    "yaml": "pyyaml",
    "cv2": "opencv-python",
    "PIL": "pillow",
    "bs4": "beautifulsoup4",
    "dotenv": "python-dotenv",
    "jwt": "pyjwt",
    "dateutil": "python-dateutil",
    "attr": "attrs",
    "Crypto": "pycryptodome",
    "skimage": "scikit-image",
    "google": "google-api-core",
    "psycopg2": "psycopg2-binary",
    "multipart": "python-multipart",
}


_CONSTRAINT_WORDS = {
    "primary_key": "primary key",
    "unique": "unique",
    "index": "indexed",
    "ge": ">=",
    "gt": ">",
    "le": "<=",
    "lt": "<",
    "max_length": "max length",
    "min_length": "min length",
    "foreign_key": "references",
    "sql_type": "SQL",
    "server_default": "server default",
    "onupdate": "on update",
    "pattern": "pattern",
    "regex": "pattern",
    "multiple_of": "multiple of",
}


def constraint_text(value: Any) -> str:
    """Field constraints as a reader wants them: ``primary key; references `items.id```."""
    if not value:
        return ""
    if not isinstance(value, dict):
        return str(value)
    parts = []
    for key, raw in value.items():
        if key == "nullable":
            if raw is False:
                parts.append("not null")
            continue
        if key == "sql_type" and "(" not in str(raw):
            continue  # `Integer` says no more than the field's type
        word = _CONSTRAINT_WORDS.get(key, key.replace("_", " "))
        if raw is True:
            parts.append(word)
        elif raw not in (None, False, ""):
            shown = (
                _tick(raw)
                if key in {"foreign_key", "sql_type", "server_default", "onupdate", "pattern", "regex"}
                else str(raw)
            )
            parts.append(f"{word} {shown}")
    return "; ".join(parts)


class _Ids:
    """Provisional sequential IDs per prefix."""

    def __init__(self) -> None:
        self._next: dict[str, int] = defaultdict(int)

    def __call__(self, prefix: str) -> str:
        self._next[prefix] += 1
        return f"{prefix}-{self._next[prefix]:03d}"


class OfflineDrafter:
    """Builds a Spec from facts. Use :func:`draft_offline`."""

    def __init__(self, facts: list[Fact], project: str) -> None:
        self.project = project
        self.by_kind: dict[FactKind, list[Fact]] = defaultdict(list)
        for fact in sorted(facts, key=_order):
            self.by_kind[fact.kind].append(fact)
        self.id = _Ids()
        self.questions: list[OpenQuestion] = []
        self.local_modules = self._local_modules(facts)
        self.undeclared: list[str] = []

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
            if path.suffix == ".py":
                names.add(path.parts[0].removesuffix(".py"))
                names.add(path.stem)
        return names

    def ask(
        self, question: str, why: str, sources: list[Citation] | None = None, options: list[str] | None = None
    ) -> None:
        self.questions.append(
            OpenQuestion(
                id=self.id("OQ"),
                provenance="decision",
                question=_clean(question),
                why=_clean(why),
                options=[_clean(o, 120) for o in options or []],
                sources=sources or [],
            )
        )

    # -- sections ------------------------------------------------------------------------------

    def _problem(self) -> Problem | None:
        """The notes' opening paragraph, plus their problem/motivation section when there is one."""
        sections = [f for f in self.facts(FactKind.NOTE_SECTION) if f.detail.get("text")]
        team = [f for f in sections if _is_team_note(f.source.path, f.source.span.cell)] or sections
        if not team:
            return None

        def doc_rank(path: str) -> tuple[bool, int, str]:
            pure = PurePosixPath(path)
            return (pure.stem.lower() != "readme", len(pure.parts), path)

        best_doc = min((f.source.path for f in team), key=doc_rank)
        in_doc = [f for f in team if f.source.path == best_doc]
        chosen = [in_doc[0]]
        motivated = next((f for f in in_doc if PROBLEM_HEADINGS.search(str(f.detail.get("heading", "")))), None)
        if motivated is not None and motivated is not in_doc[0]:
            chosen.append(motivated)
        text = " ".join(_clean(f.detail["text"], 400) for f in chosen)
        return Problem(text=_clean(text, 700), provenance="inferred", sources=[cite(f) for f in chosen])

    def overview(self) -> Overview:
        problem = self._problem()
        if problem is None:
            self.ask(
                "What problem does the production version solve, and for whom?",
                "No README or notes state the problem; the spec cannot invent it.",
            )
        lines = self.facts(FactKind.NOTE_LINE)
        goals = [
            Goal(
                id=self.id("G"),
                statement=_clean(f.detail.get("text", f.name)),
                provenance="inferred",
                sources=[cite(f)],
            )
            for f in lines
            if f.detail.get("cue") == "goal"
        ]
        non_goals = [
            NonGoal(
                id=self.id("NG"),
                statement=_clean(f.detail.get("text", f.name)),
                provenance="inferred",
                sources=[cite(f)],
            )
            for f in lines
            if f.detail.get("cue") == "non-goal"
        ]
        users = [
            UserGroup(
                id=self.id("U"),
                name=_clean(f.detail.get("text", f.name), 160),
                provenance="inferred",
                sources=[cite(f)],
            )
            for f in lines
            if f.detail.get("cue") == "user" and not STORY_RE.search(f.detail.get("text", ""))
        ]
        if not goals:
            self.ask(
                "What are the measurable goals of the production version?",
                "The notes state no goals; targets for the metrics below depend on them.",
            )
        if not users:
            self.ask(
                "Who are the target users, and what does each need from the system?",
                "No users or personas are named in the notes; user stories depend on them.",
            )
        return Overview(problem=problem, goals=goals, non_goals=non_goals, users=users)

    def user_stories(self) -> list[UserStory]:
        stories = []
        for fact in self.facts(FactKind.NOTE_LINE):
            match = STORY_RE.search(fact.detail.get("text", ""))
            if not match:
                continue
            stories.append(
                UserStory(
                    id=self.id("US"),
                    provenance="inferred",
                    as_a=_clean(match["who"], 120),
                    i_want=_clean(match["what"], 200),
                    so_that=_clean(match["why"], 200) if match["why"] else None,
                    sources=[cite(fact)],
                )
            )
        if not stories:
            self.ask(
                "Which user stories must the first production release support?",
                "The prototype's notes contain no user stories; acceptance criteria need them.",
            )
        return stories

    def requirements(self) -> list[Requirement]:
        reqs: list[Requirement] = []
        for fact in self.facts(FactKind.NOTE_LINE):
            cue = fact.detail.get("cue")
            if cue not in {"must", "should"} or not _is_team_note(fact.source.path, fact.source.span.cell):
                continue
            text = _clean(fact.detail.get("text", fact.name))
            nfr = bool(NFR_WORDS.search(text))
            reqs.append(
                Requirement(
                    id=self.id("NFR" if nfr else "FR"),
                    kind="non_functional" if nfr else "functional",
                    statement=text,
                    priority="should" if cue == "should" else "must",
                    provenance="inferred",
                    sources=[cite(fact)],
                )
            )
        by_target: dict[str, list[Fact]] = defaultdict(list)
        for test in self.facts(FactKind.TEST):
            target = test.detail.get("target") or _module_name(test.source.path)
            by_target[str(target)].append(test)
        for target, tests in sorted(by_target.items()):
            acceptance = []
            for t in tests[:8]:
                asserts = t.detail.get("asserts") or []
                check = f": `{_clean(asserts[0], 100)}`" if asserts else ""
                acceptance.append(f"{_tick(t.name)}{check}")
            reqs.append(
                Requirement(
                    id=self.id("FR"),
                    statement=f"{_tick(target)} shall keep the behaviour its prototype tests check "
                    f"({len(tests)} test{'s' if len(tests) != 1 else ''}).",
                    priority="must",
                    provenance="observed",
                    acceptance=acceptance,
                    sources=_cites(tests, 3),
                )
            )
        if not reqs:
            self.ask(
                "Which behaviours are required, and how will each be accepted?",
                "The prototype has no tests and its notes state no must/should lines.",
            )
        return reqs

    def interfaces(self) -> list[Interface]:
        items: list[Interface] = []
        for route in self.facts(FactKind.HTTP_ROUTE):
            d = route.detail
            method = str(d.get("method", "GET")).upper()
            path = d.get("path", route.name)
            items.append(
                Interface(
                    id=self.id("IF"),
                    kind="http",
                    name=f"{method} {path}",
                    method=method,
                    route=path,
                    summary=_clean(d["doc"]) if d.get("doc") else None,
                    signature=_tick(d["handler"]) if d.get("handler") else None,
                    request=_tick(d["request_model"]) if d.get("request_model") else None,
                    response=_tick(d["response_model"]) if d.get("response_model") else None,
                    parameters=[Parameter(name=str(p)) for p in d.get("params") or []],
                    sources=[cite(route)],
                )
            )
        for cmd in self.facts(FactKind.CLI_COMMAND):
            d = cmd.detail
            program = d.get("program") or PurePosixPath(cmd.source.path).stem
            command = d.get("command") or ""
            name = f"{program} {command}".strip()
            params = []
            for opt in d.get("options") or []:
                default = opt.get("default")
                choices = opt.get("choices")
                desc = _clean(opt.get("help") or "", 160) or None
                if choices:
                    desc = f"{desc + '; ' if desc else ''}one of {', '.join(map(str, choices))}"
                params.append(
                    Parameter(
                        name=str(opt.get("name", "")),
                        flags=[str(f) for f in opt.get("flags") or []],
                        type=str(opt["type"]) if opt.get("type") else None,
                        required=bool(opt.get("required")),
                        default=None if default is None else _clean(default, 80),
                        description=desc,
                    )
                )
            items.append(
                Interface(
                    id=self.id("IF"),
                    kind="cli",
                    name=name,
                    summary=_clean(d["help"]) if d.get("help") else None,
                    parameters=params,
                    sources=[cite(cmd)],
                )
            )
        items.extend(self._library_interfaces())
        items.extend(self._file_interfaces())
        if not items:
            self.ask(
                "How will people and systems call the production version (CLI, HTTP, library)?",
                "The prototype exposes no CLI, route or public function.",
            )
        return items

    def _library_interfaces(self) -> list[Interface]:
        # Route handlers and CLI plumbing are interfaces of their own already.
        handlers = {(r.source.path, str(r.detail.get("handler"))) for r in self.facts(FactKind.HTTP_ROUTE)}
        by_module: dict[str, list[Fact]] = defaultdict(list)
        for fn in self.facts(FactKind.FUNCTION):
            path = fn.source.path
            qual = str(fn.detail.get("qualname", fn.name))
            if (
                (path, fn.name) in handlers
                or fn.name in {"main", "parse_args", "cli", "build_parser", "get_parser"}
                or "." in qual
                or fn.name.startswith("_")
                or fn.source.span.cell is not None
                or not path.endswith(".py")
                or _is_test_path(path)
                or PurePosixPath(path).name in {"setup.py", "conftest.py", "__main__.py"}
            ):
                continue
            by_module[path].append(fn)
        docs = {f.source.path: f.detail.get("doc") for f in self.facts(FactKind.MODULE)}
        items = []
        for path, fns in sorted(by_module.items()):
            items.append(
                Interface(
                    id=self.id("IF"),
                    kind="library",
                    name=_module_name(path),
                    summary=_clean(docs[path]) if docs.get(path) else None,
                    parameters=[
                        Parameter(
                            name=fn.name,
                            type=_clean(fn.detail.get("signature") or fn.name, 160),
                            description=_clean(fn.detail["doc"], 160) if fn.detail.get("doc") else None,
                        )
                        for fn in fns[:20]
                    ],
                    sources=_cites(fns, 3),
                )
            )
        return items

    def _file_interfaces(self) -> list[Interface]:
        by_target: dict[str, list[Fact]] = defaultdict(list)
        for io in self.facts(FactKind.FILE_IO):
            target = str(io.detail.get("target") or io.name).strip("'\"")
            suffix = PurePosixPath(target).suffix.lower().lstrip(".")
            if suffix in FILE_EXTENSIONS and " " not in target and "(" not in target:
                by_target[target].append(io)
        items = []
        for target, ios in sorted(by_target.items()):
            modes = sorted({str(i.detail.get("mode", "read")) for i in ios})
            fmt = next((str(i.detail["format"]) for i in ios if i.detail.get("format")), None)
            calls = sorted({str(i.detail.get("call")) for i in ios if i.detail.get("call")})
            where = sorted({i.source.path for i in ios})
            items.append(
                Interface(
                    id=self.id("IF"),
                    kind="file",
                    name=target,
                    summary=_clean(
                        f"{' and '.join(modes)} as {fmt or 'file'}"
                        f"{' by ' + ', '.join(map(_tick, calls[:3])) if calls else ''}"
                        f" in {', '.join(map(_tick, where[:3]))}"
                    ),
                    sources=_cites(ios, 3),
                )
            )
        return items

    def data_contracts(self) -> list[DataContract]:
        items: list[DataContract] = []
        classes = {(f.source.path, f.name): f for f in self.facts(FactKind.CLASS)}
        routes = self.facts(FactKind.HTTP_ROUTE)
        route_models = {
            str(r.detail.get(k)) for r in routes for k in ("request_model", "response_model") if r.detail.get(k)
        }
        model_fields = {
            m.name: {str(f.get("name")) for f in m.detail.get("fields") or []} for m in self.facts(FactKind.DATA_MODEL)
        }
        for model in self.facts(FactKind.DATA_MODEL):
            d = model.detail
            framework = str(d.get("framework", "model"))
            bases = classes.get((model.source.path, model.name))
            base_names = [str(b) for b in (bases.detail.get("bases") or [])] if bases else []
            if framework == "sqlalchemy":
                role, fmt = "stored", f"SQL table {_tick(d['table'])}" if d.get("table") else "SQL table"
            elif any("Settings" in b for b in base_names):
                role, fmt = "config", "settings (environment)"
            elif model.name in route_models:
                role, fmt = "message", "JSON body (pydantic)"
            else:
                role, fmt = "message", f"{framework} model"
            parents = [b for b in base_names if b in model_fields]
            if parents:
                fmt = f"{fmt}; extends {', '.join(map(_tick, parents))}"
            items.append(
                DataContract(
                    id=self.id("DC"),
                    name=model.name,
                    role=role,  # type: ignore[arg-type]
                    format=fmt,
                    summary=_clean(d["doc"]) if d.get("doc") else None,
                    fields=[
                        FieldSpec(
                            name=str(f.get("name")),
                            type=_clean(f.get("type"), 80) if f.get("type") else None,
                            required=bool(f.get("required", True)),
                            constraints=_clean(
                                "; ".join(
                                    x
                                    for x in (
                                        f"default {f['default']}" if f.get("default") not in (None, "") else "",
                                        constraint_text(f.get("constraints")),
                                    )
                                    if x
                                ),
                                160,
                            )
                            or None,
                        )
                        for f in d.get("fields") or []
                    ],
                    sources=[cite(model)],
                )
            )
        written = {
            str(io.detail.get("target", "")).strip("'\"")
            for io in self.facts(FactKind.FILE_IO)
            if io.detail.get("mode") == "write"
        }
        for schema in self.facts(FactKind.DATA_SCHEMA):
            d = schema.detail
            path = schema.source.path
            role = "output" if any(w and path.endswith(w) for w in written) else "input"
            rows = d.get("rows_sampled")
            items.append(
                DataContract(
                    id=self.id("DC"),
                    name=path,
                    role=role,  # type: ignore[arg-type]
                    format=str(d.get("format", PurePosixPath(path).suffix.lstrip("."))),
                    summary=(
                        f"sample of {rows} rows{' (file sampled: head only)' if d.get('sampled') else ''}"
                        if rows
                        else None
                    ),
                    fields=[
                        FieldSpec(
                            name=str(c.get("name")),
                            type=str(c.get("type")) if c.get("type") else None,
                            description=f"e.g. {_clean(c['example'], 40)}"
                            if c.get("example") not in (None, "")
                            else None,
                        )
                        for c in (d.get("columns") or [])[:60]
                    ],
                    sources=[cite(schema)],
                )
            )
        for frame in self.facts(FactKind.DATAFRAME):
            d = frame.detail
            columns = [str(c) for c in d.get("columns") or []]
            if not columns:
                continue
            shape = d.get("shape")
            # The same columns as a contract already drafted (the CSV it was read from, or an
            # earlier display of the same frame): add the observed shape there, not a copy.
            twin = next((i for i in items if [f.name for f in i.fields] == columns), None)
            if twin is not None:
                if shape and str(tuple(shape)) not in (twin.summary or ""):
                    note = f"shape {tuple(shape)} in {_tick(cite(frame).label())}"
                    twin.summary = f"{twin.summary}; {note}" if twin.summary else note
                    twin.sources.append(cite(frame))
                continue
            items.append(
                DataContract(
                    id=self.id("DC"),
                    name=str(d.get("variable") or frame.name),
                    role="input",
                    format="dataframe",
                    summary=f"shape {tuple(shape)} as displayed" if shape else None,
                    fields=[FieldSpec(name=c) for c in columns[:60]],
                    sources=[cite(frame)],
                )
            )
        items.extend(self._config_contracts())
        if not items:
            self.ask(
                "What data does the production version take in, store and emit?",
                "No data models, samples or config files were found in the prototype.",
            )
        return items

    def _config_contracts(self) -> list[DataContract]:
        by_file: dict[str, list[Fact]] = defaultdict(list)
        for key in self.facts(FactKind.CONFIG_KEY):
            name = PurePosixPath(key.source.path).name
            if name in {"pyproject.toml", "setup.cfg", "package.json"} or ".github" in key.source.path:
                continue
            by_file[key.source.path].append(key)
        items = []
        for path, keys in sorted(by_file.items()):
            items.append(
                DataContract(
                    id=self.id("DC"),
                    name=path,
                    role="config",
                    format=str(keys[0].detail.get("file_format") or PurePosixPath(path).suffix.lstrip(".")),
                    fields=[
                        FieldSpec(
                            name=k.name,
                            required=False,
                            constraints=f"default {_clean(k.detail['value'], 60)}"
                            if k.detail.get("value") not in (None, "")
                            else None,
                        )
                        for k in keys[:40]
                    ],
                    sources=_cites(keys, 2),
                )
            )
        return items

    def metrics(self) -> list[Metric]:
        items: list[Metric] = []
        by_key: dict[tuple[str, str], Metric] = {}
        # Notebook outputs first: a measurement outranks the note that repeats it.
        ordered = sorted(self.facts(FactKind.METRIC), key=lambda f: (not f.source.path.endswith(".ipynb"), _order(f)))
        for fact in ordered:
            d = fact.detail
            value = d.get("value")
            # One value printed twice (a summary table, the README quoting the notebook) is one baseline.
            key = (fact.name, str(value if value is not None else d.get("raw")))
            if key in by_key:
                earlier = by_key[key]
                if len(earlier.sources) < 3 and cite(fact) not in earlier.sources:
                    earlier.sources.append(cite(fact))
                continue
            context = f" for `{_clean(d['context'], 60)}`" if d.get("context") else ""
            split = f" on the {d['split']} split" if d.get("split") else ""
            metric = Metric(
                id=self.id("SM"),
                name=_clean(fact.name, 80),
                definition=f"{fact.name}{context}{split}",
                baseline=Baseline(
                    value=float(value) if isinstance(value, int | float) else None,
                    unit=str(d["unit"]) if d.get("unit") else None,
                    raw=_clean(d.get("raw") or f"{fact.name}: {value}", 120),
                ),
                sources=[cite(fact)],
            )
            by_key[key] = metric
            items.append(metric)
        if items:
            names = sorted({m.name for m in items})
            self.ask(
                f"Which targets must production meet for {', '.join(map(_tick, names[:6]))}"
                f"{' and others' if len(names) > 6 else ''}?",
                "The prototype measured baselines but no targets; each metric needs one to be testable.",
                sources=[items[0].sources[0]],
            )
        else:
            self.ask(
                "How will success be measured, and what baseline does the prototype reach?",
                "No notebook output or note reports a metric.",
            )
        return items

    def constraints(self) -> list[Constraint]:
        items: list[Constraint] = []
        measured: set[tuple[str, str]] = set()
        for fact in self.facts(FactKind.METRIC):
            # The same measurement quoted in a notebook and again in the notes is one constraint.
            key = (fact.name, str(fact.detail.get("value")))
            if key in measured:
                continue
            measured.add(key)
            name = fact.name.lower()
            unit = str(fact.detail.get("unit") or "").lower()
            probe = f"{name} {unit}"
            category = None
            if any(w in probe for w in THROUGHPUT_WORDS):
                category = "throughput"
            elif any(w in probe for w in COST_WORDS):
                category = "cost"
            elif any(w in probe for w in LATENCY_WORDS) or unit in {"ms", "s"}:
                category = "latency"
            elif any(w in probe.split() for w in MEMORY_WORDS):
                category = "other"
            if category is None:
                continue
            raw = _clean(fact.detail.get("raw") or fact.name, 120)
            items.append(
                Constraint(
                    id=self.id("MC"),
                    category=category,  # type: ignore[arg-type]
                    statement=f"The prototype measured {_tick(raw)} ({fact.name}).",
                    target=None,
                    sources=[cite(fact)],
                )
            )
        services = self.facts(FactKind.SERVICE)
        llm = [s for s in services if s.detail.get("kind") == "llm"]
        if llm:
            models = sorted({str(m) for s in llm for m in s.detail.get("models") or []})
            clients = sorted({str(s.detail.get("client") or s.name) for s in llm})
            named = ", ".join(map(_tick, models or clients))
            items.append(
                Constraint(
                    id=self.id("MC"),
                    category="cost",
                    provenance="inferred",
                    statement=f"Every request that reaches {named} through {', '.join(map(_tick, clients))} "
                    "is paid per token; production needs a cost budget per request.",
                    sources=_cites(llm, 3),
                )
            )
            items.append(
                Constraint(
                    id=self.id("MC"),
                    category="privacy",
                    provenance="inferred",
                    statement=f"Text sent to {named} leaves the system; what data may be sent must be decided.",
                    sources=_cites(llm, 3),
                )
            )
        secrets = [f for f in self.facts(FactKind.ENV_VAR) if f.detail.get("is_secret")]
        if secrets:
            names = sorted({f.name for f in secrets})
            items.append(
                Constraint(
                    id=self.id("MC"),
                    category="security",
                    provenance="inferred",
                    statement=f"Secrets {', '.join(map(_tick, names[:6]))} come from the environment and "
                    "must never be logged, committed or sent to a model.",
                    sources=_cites(secrets, 3),
                )
            )
        if not any(c.category == "latency" for c in items):
            self.ask(
                "What latency budget must a request meet (p95, in ms)?",
                "The prototype measured no latency; production needs a measurable bound.",
            )
        return items

    def dependencies(self) -> list[Dependency]:
        items: list[Dependency] = []
        declared: dict[str, list[Fact]] = defaultdict(list)
        for dep in self.facts(FactKind.DEPENDENCY):
            declared[_norm_pkg(dep.name)].append(dep)
        for _, deps in sorted(declared.items()):
            first = deps[0]
            version = next((str(d.detail["version"]) for d in deps if d.detail.get("version")), None)
            group = first.detail.get("group")
            items.append(
                Dependency(
                    id=self.id("DEP"),
                    kind="package",
                    name=first.name,
                    version=version,
                    purpose=f"{group} dependency" if group else None,
                    required=not group,
                    sources=_cites(deps, 2),
                )
            )
        undeclared: dict[str, list[Fact]] = defaultdict(list)
        for imp in self.facts(FactKind.IMPORT):
            module = str(imp.detail.get("module") or imp.name)
            if imp.detail.get("stdlib") or module in self.local_modules:
                continue
            dist = IMPORT_TO_DIST.get(module, module)
            if _norm_pkg(dist) in declared or _norm_pkg(module) in declared:
                continue
            undeclared[dist].append(imp)
        for dist, imps in sorted(undeclared.items()):
            items.append(
                Dependency(
                    id=self.id("DEP"),
                    kind="package",
                    name=dist,
                    purpose="imported but not declared in any requirements file",
                    sources=_cites(imps, 2),
                )
            )
        if undeclared and declared:
            self.undeclared = sorted(undeclared)
        services: dict[tuple[str, str], list[Fact]] = defaultdict(list)
        models: dict[str, list[Fact]] = defaultdict(list)
        for svc in self.facts(FactKind.SERVICE):
            client = str(svc.detail.get("client") or svc.name)
            services[(str(svc.detail.get("kind") or "other"), client)].append(svc)
            for model in svc.detail.get("models") or []:
                models[str(model)].append(svc)
        for (kind, client), svcs in sorted(services.items()):
            endpoints = sorted({str(s.detail["endpoint"]) for s in svcs if s.detail.get("endpoint")})
            items.append(
                Dependency(
                    id=self.id("DEP"),
                    kind="service",
                    name=client,
                    purpose=_clean(
                        f"{kind} service" + (f" at {', '.join(map(_tick, endpoints[:3]))}" if endpoints else "")
                    ),
                    sources=_cites(svcs, 3),
                )
            )
        for model, svcs in sorted(models.items()):
            clients = sorted({str(s.detail.get("client") or s.name) for s in svcs})
            items.append(
                Dependency(
                    id=self.id("DEP"),
                    kind="model",
                    name=model,
                    purpose=f"called through {', '.join(map(_tick, clients))}",
                    sources=_cites(svcs, 3),
                )
            )
        env: dict[str, list[Fact]] = defaultdict(list)
        for var in self.facts(FactKind.ENV_VAR):
            env[var.name].append(var)
        for name, vars_ in sorted(env.items()):
            secret = any(v.detail.get("is_secret") for v in vars_)
            defaults = sorted(
                {str(v.detail["default"]) for v in vars_ if v.detail.get("default") not in (None, "") and not secret}
            )
            accessors = sorted({str(v.detail.get("accessor", "")) for v in vars_} - {""})
            required = any(v.detail.get("required") for v in vars_)
            purpose = f"read via {', '.join(map(_tick, accessors))}" if accessors else None
            if defaults:
                purpose = f"{purpose + '; ' if purpose else ''}default {_tick(defaults[0])}"
            items.append(
                Dependency(
                    id=self.id("DEP"),
                    kind="secret" if secret else "env_var",
                    name=name,
                    purpose=purpose,
                    required=required,
                    sources=_cites(vars_, 3),
                )
            )
        return items

    def architecture(self) -> list[Component]:
        groups: dict[str, list[str]] = defaultdict(list)
        all_paths = sorted({f.source.path for kind in self.by_kind for f in self.by_kind[kind]})
        for path in all_paths:
            pure = PurePosixPath(path)
            if pure.suffix not in {".py", ".ipynb"}:
                continue
            group = pure.parts[0] if len(pure.parts) > 1 else path
            groups[group].append(path)
        module_docs = {f.source.path: f for f in self.facts(FactKind.MODULE) if f.detail.get("doc")}
        imports_by_path: dict[str, set[str]] = defaultdict(set)
        for imp in self.facts(FactKind.IMPORT):
            imports_by_path[imp.source.path].add(str(imp.detail.get("module") or imp.name))
        clients_by_path: dict[str, set[str]] = defaultdict(set)
        for svc in self.facts(FactKind.SERVICE):
            clients_by_path[svc.source.path].add(str(svc.detail.get("client") or svc.name))
        group_of_module = {}
        for group in groups:
            group_of_module[PurePosixPath(group).stem] = group
        items: list[Component] = []
        for group, paths in sorted(groups.items()):
            docs = [module_docs[p] for p in paths if p in module_docs]
            notebooks = [p for p in paths if p.endswith(".ipynb")]
            tests = [p for p in paths if _is_test_path(p)]
            if docs:
                responsibility = _clean(docs[0].detail["doc"], 200)
            elif notebooks and len(notebooks) == len(paths):
                responsibility = f"notebooks: {', '.join(map(_tick, notebooks[:4]))}"
            elif tests and len(tests) == len(paths):
                responsibility = f"tests: {', '.join(map(_tick, tests[:4]))}"
            else:
                responsibility = f"modules: {', '.join(map(_tick, paths[:5]))}" + (
                    f" and {len(paths) - 5} more" if len(paths) > 5 else ""
                )
            uses: set[str] = set()
            for p in paths:
                for module in imports_by_path.get(p, ()):
                    target = group_of_module.get(module)
                    if target and target != group:
                        uses.add(target)
                uses |= clients_by_path.get(p, set())
            sources = [cite(d) for d in docs[:2]] or [Citation(path=paths[0], start_line=1, end_line=1)]
            items.append(
                Component(
                    id=self.id("C"),
                    name=group,
                    responsibility=responsibility,
                    paths=[group if group in paths else group + "/"],
                    uses=sorted(uses),
                    sources=sources,
                )
            )
        for docker in self.facts(FactKind.DOCKER):
            d = docker.detail
            ports = ", ".join(str(p) for p in d.get("ports") or [])
            parts = [f"container image from {_tick(d['base_image'])}" if d.get("base_image") else "container image"]
            if ports:
                parts.append(f"exposes port {ports}")
            if d.get("cmd"):
                parts.append(f"runs {_tick(_clean(d['cmd'], 100))}")
            items.append(
                Component(
                    id=self.id("C"),
                    name=docker.source.path,
                    responsibility="; ".join(parts),
                    paths=[docker.source.path],
                    sources=[cite(docker)],
                )
            )
        for job in self.facts(FactKind.CI_JOB):
            steps = [_clean(s, 60) for s in job.detail.get("steps") or []][:4]
            items.append(
                Component(
                    id=self.id("C"),
                    name=f"CI job {job.name}",
                    responsibility=f"{job.detail.get('system', 'CI')} job {_tick(job.name)}"
                    + (f" runs: {'; '.join(map(_tick, steps))}" if steps else ""),
                    paths=[job.source.path],
                    sources=[cite(job)],
                )
            )
        return items

    def risks(self) -> list[Risk]:
        items: list[Risk] = []
        for secret in self.facts(FactKind.SECRET):
            var = secret.detail.get("variable")
            label = _tick(var) if var else str(secret.detail.get("secret_type", "secret"))
            items.append(
                Risk(
                    id=self.id("RK"),
                    title=f"Hard-coded secret {label} ({secret.detail.get('secret_type', 'secret')}) "
                    f"committed in {_tick(secret.source.path)}",
                    likelihood="high",
                    impact="high",
                    mitigation="Revoke and rotate it, purge it from history, read it from a secret store.",
                    sources=[cite(secret)],
                )
            )
        for err in self.facts(FactKind.ERROR_OUTPUT):
            d = err.detail
            items.append(
                Risk(
                    id=self.id("RK"),
                    title=f"{_tick(cite(err).label())} fails with {_tick(d.get('ename', 'error'))}",
                    detail=_clean(d.get("evalue") or "", 200) or None,
                    likelihood="high",
                    impact="medium",
                    mitigation="Fix the cell and re-run the notebook top to bottom before quoting its numbers.",
                    sources=[cite(err)],
                )
            )
        for todo in self.facts(FactKind.TODO):
            if str(todo.detail.get("tag", "TODO")).upper() not in {"FIXME", "HACK", "XXX", "BUG"}:
                continue
            items.append(
                Risk(
                    id=self.id("RK"),
                    title=f"{todo.detail.get('tag', 'FIXME')}: {_clean(todo.detail.get('text') or todo.name, 200)}",
                    likelihood="medium",
                    impact="medium",
                    sources=[cite(todo)],
                )
            )
        by_path: dict[str, list[Fact]] = defaultdict(list)
        for found in self.facts(FactKind.HARDCODED_PATH):
            by_path[found.name].append(found)
        for machine_path, places in sorted(by_path.items()):
            items.append(
                Risk(
                    id=self.id("RK"),
                    title=f"Hard-coded absolute path {_tick(machine_path)}",
                    detail="Runs only on the machine it was written on.",
                    likelihood="high",
                    impact="medium",
                    mitigation="Make the path a setting or a CLI option.",
                    sources=_cites(places, 3),
                )
            )
        undeclared = self.undeclared
        if undeclared:
            items.append(
                Risk(
                    id=self.id("RK"),
                    title=f"Undeclared dependencies: {', '.join(map(_tick, undeclared[:8]))}",
                    detail="Imported by the code but pinned nowhere; a fresh install may break.",
                    likelihood="medium",
                    impact="medium",
                    mitigation="Declare and pin them.",
                    provenance="inferred",
                    sources=[],
                )
            )
        code_files = {
            f.source.path for kind in self.by_kind for f in self.by_kind[kind] if f.source.path.endswith(".py")
        }
        if code_files and not self.facts(FactKind.TEST):
            items.append(
                Risk(
                    id=self.id("RK"),
                    title="No automated tests: no `test_*.py` file or `tests/` folder was found",
                    detail="Behaviour can change unnoticed while the prototype is productionised.",
                    likelihood="high",
                    impact="high",
                    mitigation="Write tests for the interfaces above before refactoring.",
                    provenance="inferred",
                    sources=[],
                )
            )
        return items

    def open_questions_from_notes(self) -> None:
        for todo in self.facts(FactKind.TODO):
            if str(todo.detail.get("tag", "TODO")).upper() in {"FIXME", "HACK", "XXX", "BUG"}:
                continue
            text = _clean(todo.detail.get("text") or todo.name)
            self.questions.append(
                OpenQuestion(
                    id=self.id("OQ"),
                    provenance="decision",
                    question=text if text.upper().startswith("TODO") else f"TODO: {text}",
                    sources=[cite(todo)],
                )
            )
        for line in self.facts(FactKind.NOTE_LINE):
            cue = line.detail.get("cue")
            if cue not in {"question", "idea", "todo"}:
                continue
            text = _clean(line.detail.get("text") or line.name)
            self.questions.append(
                OpenQuestion(
                    id=self.id("OQ"),
                    provenance="decision",
                    question=text
                    if cue == "question" or text.lower().startswith(cue)
                    else f"{cue.capitalize()}: {text}",
                    sources=[cite(line)],
                )
            )

    def build(self) -> Spec:
        overview = self.overview()
        stories = self.user_stories()
        requirements = self.requirements()
        interfaces = self.interfaces()
        contracts = self.data_contracts()
        metrics = self.metrics()
        constraints = self.constraints()
        dependencies = self.dependencies()
        architecture = self.architecture()
        risks = self.risks()
        self.open_questions_from_notes()
        return Spec(
            overview=overview,
            user_stories=stories,
            requirements=requirements,
            interfaces=interfaces,
            data_contracts=contracts,
            metrics=metrics,
            constraints=constraints,
            dependencies=dependencies,
            architecture=architecture,
            risks=risks,
            open_questions=self.questions,
        )


def draft_offline(facts: list[Fact], project: str) -> Spec:
    """A complete spec from facts alone (meta is left for the caller to fill)."""
    return OfflineDrafter(facts, project).build()


__all__ = ["OfflineDrafter", "cite", "draft_offline"]
