"""Property: any spec the model accepts survives SPEC.md -> reader unchanged.

Text is drawn from what drafts and people write: identifiers in backticks, pipes, quotes,
backslashes, non-ASCII, markdown punctuation. Fields are single-line (the drafter folds
whitespace), which is the renderer's documented input.
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specagent.spec.markdown import render_markdown
from specagent.spec.model import (
    Baseline,
    Citation,
    Constraint,
    DataContract,
    Dependency,
    FieldSpec,
    Interface,
    Metric,
    OpenQuestion,
    Parameter,
    Requirement,
    Risk,
    Spec,
)
from specagent.spec.reader import read_markdown

ALPHABET = string.ascii_letters + string.digits + " `|\"'\\_-.,:;()<>/#*$%@=+?!éü漢"


def _line(min_size: int = 1) -> st.SearchStrategy[str]:
    """One line of text: no leading/trailing space, no empty result, no Markdown structure starters."""
    return (
        st.text(alphabet=ALPHABET, min_size=min_size, max_size=40)
        .map(lambda s: " ".join(s.split()))
        .filter(lambda s: len(s) >= min_size and not s.startswith(("-", "#", "|", "*", ">")))
        .filter(lambda s: "`" not in s or s.count("`") % 2 == 0)
    )


paths = st.lists(st.sampled_from(["app", "my dir", "src", "données", "a.b"]), min_size=1, max_size=3).map(
    lambda parts: "/".join(parts) + ".py"
)


@st.composite
def citations(draw: st.DrawFn) -> Citation:
    start = draw(st.integers(1, 500))
    cell = draw(st.one_of(st.none(), st.integers(1, 40)))
    path = draw(paths)
    return Citation(
        path=path[:-3] + ".ipynb" if cell else path,
        start_line=start,
        end_line=start + draw(st.integers(0, 30)),
        cell=cell,
        quote=draw(st.one_of(st.none(), _line())),
    )


sources = st.lists(citations(), max_size=3)
provenance = st.sampled_from(["observed", "inferred", "decision"])


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    def ids(prefix: str, n: int) -> list[str]:
        return [f"{prefix}-{i:03d}" for i in range(1, n + 1)]

    requirements = [
        Requirement(
            id=i,
            statement=draw(_line()),
            priority=draw(st.sampled_from(["must", "should", "could"])),
            acceptance=draw(st.lists(_line(), max_size=2)),
            provenance=draw(provenance),
            locked=draw(st.booleans()),
            sources=draw(sources),
        )
        for i in ids("FR", draw(st.integers(0, 3)))
    ]
    interfaces = [
        Interface(
            id=i,
            kind=draw(st.sampled_from(["cli", "http", "file", "other"])),
            name=draw(_line()),
            summary=draw(st.one_of(st.none(), _line())),
            parameters=[
                Parameter(
                    name=draw(_line()),
                    type=draw(st.one_of(st.none(), _line())),
                    required=draw(st.booleans()),
                    default=draw(st.one_of(st.none(), _line())),
                    description=draw(st.one_of(st.none(), _line())),
                )
                for _ in range(draw(st.integers(0, 3)))
            ],
            sources=draw(sources),
        )
        for i in ids("IF", draw(st.integers(0, 2)))
    ]
    contracts = [
        DataContract(
            id=i,
            name=draw(_line()),
            role=draw(st.sampled_from(["input", "stored", "config"])),
            format=draw(st.one_of(st.none(), _line())),
            fields=[
                FieldSpec(
                    name=draw(_line()),
                    type=draw(st.one_of(st.none(), _line())),
                    required=draw(st.booleans()),
                    constraints=draw(st.one_of(st.none(), _line())),
                )
                for _ in range(draw(st.integers(0, 3)))
            ],
            sources=draw(sources),
        )
        for i in ids("DC", draw(st.integers(0, 2)))
    ]
    metrics = [
        Metric(
            id=i,
            name=(name := draw(_line())),
            definition=draw(st.one_of(st.just(name), _line())),
            baseline=Baseline(raw=draw(_line())),
            target=draw(st.one_of(st.none(), _line())),
            provenance=draw(provenance),
            sources=draw(sources),
        )
        for i in ids("SM", draw(st.integers(0, 3)))
    ]
    return Spec(
        requirements=requirements,
        interfaces=interfaces,
        data_contracts=contracts,
        metrics=metrics,
        constraints=[
            Constraint(id=i, category="latency", statement=draw(_line()), sources=draw(sources))
            for i in ids("MC", draw(st.integers(0, 2)))
        ],
        dependencies=[
            Dependency(
                id=i,
                kind="package",
                name=draw(_line()),
                version=draw(st.one_of(st.none(), _line())),
                required=draw(st.one_of(st.none(), st.booleans())),
                sources=draw(sources),
            )
            for i in ids("DEP", draw(st.integers(0, 3)))
        ],
        risks=[
            Risk(id=i, title=draw(_line()), detail=draw(st.one_of(st.none(), _line())), sources=draw(sources))
            for i in ids("RK", draw(st.integers(0, 2)))
        ],
        open_questions=[
            OpenQuestion(
                id=i,
                question=draw(_line()),
                why=draw(st.one_of(st.none(), _line())),
                options=draw(st.lists(_line(), max_size=2)),
                provenance="decision",
            )
            for i in ids("OQ", draw(st.integers(0, 2)))
        ],
    )


def _without_baseline_values(spec: Spec) -> dict:
    """What SPEC.md shows on its own: the baseline as printed, not its parsed value and unit."""
    data = spec.model_dump()
    for metric in data["metrics"]:
        if metric["baseline"]:
            metric["baseline"]["value"] = None
            metric["baseline"]["unit"] = None
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_markdown_round_trip(spec: Spec) -> None:
    markdown = render_markdown(spec)
    assert read_markdown(markdown, companion=spec) == spec
    assert _without_baseline_values(read_markdown(markdown)) == _without_baseline_values(spec)
