"""A small prototype on disk and a spec that cites it correctly, shared by the quality tests."""

from __future__ import annotations

from pathlib import Path

import nbformat

from specagent.spec.markdown import render_markdown
from specagent.spec.model import (
    Baseline,
    Citation,
    Component,
    Constraint,
    Dependency,
    Goal,
    Interface,
    Metric,
    OpenQuestion,
    Overview,
    Problem,
    Requirement,
    Risk,
    Spec,
    UserStory,
)

APP = '''"""Loan scoring API."""
import os

from fastapi import FastAPI

app = FastAPI()
MODEL_PATH = os.environ["MODEL_PATH"]


@app.post("/score")
def score_application(income: float, debt: float) -> dict:
    """Score one loan application."""
    ratio = debt / income
    return {"score": 1 - ratio}
'''
SETTINGS = 'API_KEY = "sk-live-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"\nTIMEOUT_S = 30\n'
README = "# Loans\n\nScores loan applications for the credit team.\n"


def write_prototype(root: Path) -> Path:
    """app.py (15 lines), settings.py (with a secret), README.md and a notebook with outputs."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "app.py").write_text(APP)
    (root / "settings.py").write_text(SETTINGS)
    (root / "README.md").write_text(README)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Evaluate"),
        nbformat.v4.new_code_cell(
            "auc = evaluate(model)\nprint(f'AUC: {auc:.2f}')",
            outputs=[nbformat.v4.new_output("stream", name="stdout", text="AUC: 0.81\n")],
        ),
    ]
    nbformat.write(nb, root / "eval.ipynb")
    return root


def cite(path: str = "app.py", a: int = 10, b: int = 11, **kw: object) -> Citation:
    return Citation(path=path, start_line=a, end_line=b, **kw)  # type: ignore[arg-type]


def good_spec() -> Spec:
    """Every section filled, every citation resolving, every backticked name in the repo."""
    return Spec(
        overview=Overview(
            problem=Problem(text="The credit team scores loans by hand.", sources=[cite("README.md", 3, 3)]),
            goals=[Goal(id="G-001", statement="Score applications in one call.", sources=[cite()])],
        ),
        user_stories=[
            UserStory(
                id="US-001",
                as_a="credit analyst",
                i_want="a score per application",
                provenance="inferred",
                sources=[cite()],
            )
        ],
        requirements=[
            Requirement(
                id="FR-001",
                statement="When a client posts an application to `/score`, the API shall return its score.",
                sources=[cite(quote='@app.post("/score")')],
            ),
        ],
        interfaces=[
            Interface(
                id="IF-001",
                kind="http",
                name="POST /score",
                method="POST",
                route="/score",
                signature="`score_application(income, debt)`",
                sources=[cite()],
            )
        ],
        data_contracts=[],
        metrics=[
            Metric(
                id="SM-001",
                name="AUC",
                definition="`auc` on the holdout",
                baseline=Baseline(value=0.81, raw="AUC: 0.81"),
                target=">= 0.85",
                sources=[cite("eval.ipynb", 1, 2, cell=2, quote="AUC: 0.81")],
            )
        ],
        constraints=[
            Constraint(
                id="MC-001",
                category="latency",
                statement="The API shall answer each request within 200 ms at p95.",
                provenance="decision",
            )
        ],
        dependencies=[
            Dependency(id="DEP-001", kind="env_var", name="MODEL_PATH", sources=[cite("app.py", 7, 7)]),
            Dependency(
                id="DEP-002",
                kind="secret",
                name="API_KEY",
                sources=[cite("settings.py", 1, 1, quote='API_KEY = "[REDACTED]"')],
            ),
        ],
        architecture=[
            Component(id="C-001", name="API", responsibility="serves scores", paths=["app.py"], sources=[cite()])
        ],
        risks=[Risk(id="RK-001", title="No tests", provenance="inferred", sources=[cite("app.py", 1, 1)])],
        open_questions=[
            OpenQuestion(
                id="OQ-001", question="Which data contracts does the bank's core system need?", provenance="decision"
            ),
        ],
    )


def write_spec(root: Path, spec: Spec) -> tuple[Path, Path]:
    """SPEC.md and spec.json in ``root/spec/`` as the drafter writes them."""
    out = root / "spec"
    out.mkdir(exist_ok=True)
    md = out / "SPEC.md"
    md.write_text(render_markdown(spec, root_rel=".."))
    js = out / "spec.json"
    js.write_text(spec.model_dump_json(indent=2) + "\n")
    return md, js
