"""A spec with every kind of item and awkward text, for round-trip and renderer tests."""

from __future__ import annotations

from specagent.spec.model import (
    AcceptanceCriterion,
    Baseline,
    Citation,
    Component,
    Constraint,
    DataContract,
    Dependency,
    FieldSpec,
    Goal,
    Interface,
    Meta,
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


def c(path: str = "app/main.py", a: int = 3, b: int = 9, cell: int | None = None, quote: str | None = None) -> Citation:
    return Citation(path=path, start_line=a, end_line=b, cell=cell, quote=quote)


def sample_spec() -> Spec:
    return Spec(
        meta=Meta(
            tool_version="0.1.0",
            project="demo",
            generated_at="2026-11-25T10:00:00+00:00",
            files=3,
            lines=120,
            fingerprint="ab" * 32,
        ),
        overview=Overview(
            problem=Problem(
                text="Support agents spend 6 min per ticket | searching docs.",
                provenance="inferred",
                sources=[c("README.md", 1, 4, quote='Say "hi" \\ there')],
            ),
            goals=[Goal(id="G-001", statement="Answer 80% of tickets in `< 2 s`.", sources=[c("README.md", 8, 8)])],
            non_goals=[NonGoal(id="NG-001", statement="No voice channel.", provenance="inferred", locked=True)],
            users=[UserGroup(id="U-001", name="Support agent", description="answers tickets")],
        ),
        user_stories=[
            UserStory(
                id="US-001",
                as_a="support agent",
                i_want="to ask a question",
                so_that="I answer faster",
                provenance="inferred",
                acceptance=[AcceptanceCriterion(given="an indexed KB", when="I ask", then="I get a cited answer")],
                sources=[c("notes/ideas.md", 2, 2)],
            )
        ],
        requirements=[
            Requirement(
                id="FR-001",
                statement="When a question arrives, the `ask` route shall answer.",
                priority="must",
                acceptance=["`test_ask`: `assert r.status_code == 200`"],
                rationale="core flow",
                sources=[c()],
            ),
            Requirement(
                id="NFR-001",
                kind="non_functional",
                statement="p95 latency shall stay under 800 ms.",
                priority="should",
                provenance="inferred",
                sources=[c("nb.ipynb", 1, 2, cell=4, quote="p95 latency: 412 ms")],
            ),
        ],
        interfaces=[
            Interface(
                id="IF-001",
                kind="http",
                name="POST /ask",
                method="POST",
                route="/ask",
                signature="`ask`",
                request="`AskRequest`",
                response="`AskResponse`",
                summary="Answer a question.",
                parameters=[Parameter(name="q", type="str", required=True)],
                sources=[c()],
            ),
            Interface(
                id="IF-002",
                kind="cli",
                name="train",
                summary="Train the model.",
                parameters=[
                    Parameter(
                        name="seed",
                        flags=["--seed", "-s"],
                        type="int",
                        default="42",
                        description="random seed | reproducibility",
                    )
                ],
                sources=[c("my dir/tränkle.py", 1, 1)],
            ),
        ],
        data_contracts=[
            DataContract(
                id="DC-001",
                name="Item",
                role="stored",
                format="SQL table `items`",
                fields=[
                    FieldSpec(name="id", type="int", constraints="primary key"),
                    FieldSpec(name="sku", type="str", constraints="pattern `^[A-Z]{3}-\\d{4}$` | strict"),
                    FieldSpec(name="note", type="str | None", required=False),
                ],
                sources=[c("app/models.py", 5, 12)],
            )
        ],
        metrics=[
            Metric(
                id="SM-001",
                name="accuracy",
                definition="`accuracy` on the test split",
                baseline=Baseline(value=0.847, unit=None, raw="accuracy: 0.847"),
                target=">= 0.85",
                how_measured="re-run `nb.ipynb cell 4`",
                sources=[c("nb.ipynb", 1, 3, cell=4, quote="accuracy: 0.847")],
            )
        ],
        constraints=[
            Constraint(
                id="MC-001",
                category="latency",
                statement="measured `p95 latency: 412 ms`",
                sources=[c("nb.ipynb", 1, 3, cell=5)],
            )
        ],
        dependencies=[
            Dependency(
                id="DEP-001",
                kind="package",
                name="fastapi",
                version=">=0.110",
                required=True,
                sources=[c("requirements.txt", 1, 1, quote='"fastapi>=0.110", \\ ok')],
            ),
            Dependency(
                id="DEP-002",
                kind="secret",
                name="OPENAI_API_KEY",
                purpose="read via `os.getenv`",
                required=None,
                sources=[c("app/llm.py", 4, 4)],
            ),
        ],
        architecture=[
            Component(
                id="C-001",
                name="app",
                responsibility="HTTP API and retrieval",
                paths=["app/"],
                uses=["openai", "chromadb"],
                sources=[c("app/__init__.py", 1, 1)],
            )
        ],
        risks=[
            Risk(
                id="RK-001",
                title="Hard-coded secret `OPENAI_API_KEY` in `.env`",
                likelihood="high",
                impact="high",
                mitigation="Rotate it.",
                sources=[c(".env", 1, 1)],
            ),
            Risk(id="RK-002", title="No automated tests", provenance="inferred"),
        ],
        open_questions=[
            OpenQuestion(
                id="OQ-001",
                question="Which targets must production meet?",
                why="Baselines but no targets.",
                options=["keep 0.85", "raise to 0.9"],
                provenance="decision",
            )
        ],
    )
