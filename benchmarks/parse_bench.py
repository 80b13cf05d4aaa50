"""Speed of the text passes that run on every file or every item, each as a ratio to a baseline.

    python benchmarks/parse_bench.py [--repeat 5]

Each stage is timed on generated input beside a baseline doing the least any such pass must do
on the same input, in the same process (best of ``--repeat`` runs each), so the ratio holds
from one machine to the next where wall times do not:

- secret redaction of a 1 MB Python file vs one regex tokenisation pass over it;
- the Python parser on a 10,000-line module vs ``ast.parse`` of the same source;
- ``specagent check``'s rules on a 1,000-requirement spec vs rendering that spec to Markdown.

The ratios are watched, not gated: a change that multiplies one is worth a look.
"""

from __future__ import annotations

import argparse
import ast
import re
import time
from collections.abc import Callable
from typing import Any

from workloads import python_source, secrets_text

from specagent.ingest.python_parser import parse_python
from specagent.ingest.secrets import redact
from specagent.quality.checks import run_checks
from specagent.spec.markdown import render_markdown
from specagent.spec.model import Citation, Overview, Problem, Requirement, Spec

WORD = re.compile(r"[A-Za-z0-9_]+")


APP = '''"""Loan scoring API."""
from fastapi import FastAPI

app = FastAPI()


@app.post("/score")
def score_application(income: float, debt: float) -> dict:
    """Score one loan application."""
    return {"score": 1 - debt / income}
'''


def big_spec(items: int = 1000) -> tuple[Spec, dict[str, str]]:
    """A spec of ``items`` requirements, each citing the same real function."""
    cite = Citation(path="app.py", start_line=8, end_line=10, quote="def score_application(income: float, debt: float)")
    spec = Spec(overview=Overview(problem=Problem(text="Loan officers score applications by hand.", sources=[cite])))
    spec.requirements = [
        Requirement(
            id=f"FR-{i:03d}",
            statement=f"When job {i} ends, the runner shall call `score_application`.",
            sources=[cite],
        )
        for i in range(1, items + 1)
    ]
    return spec, {"app.py": APP}


def best_of(repeat: int, fn: Callable[[], Any]) -> float:
    """The fastest of ``repeat`` runs, in seconds: the least disturbed by other work."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per stage; the fastest counts")
    args = parser.parse_args(argv)

    text = secrets_text()
    source = python_source()
    spec, texts = big_spec()
    stages = [
        (
            f"redact {len(text) / 1e6:.1f} MB",
            lambda: redact("big.py", text),
            "regex tokens",
            lambda: WORD.findall(text),
        ),
        (
            f"parse_python {source.count(chr(10)):,} lines",
            lambda: parse_python("big.py", source),
            "ast.parse",
            lambda: ast.parse(source),
        ),
        (
            f"check {len(spec.requirements):,} items",
            lambda: run_checks(spec, texts),
            "render_markdown",
            lambda: render_markdown(spec),
        ),
    ]
    print(f"{'stage':<28} {'seconds':>8}   {'baseline':<16} {'seconds':>8}   ratio")
    for name, run, base_name, base in stages:
        stage_s = best_of(args.repeat, run)
        base_s = best_of(args.repeat, base)
        print(f"{name:<28} {stage_s:>8.3f}   {base_name:<16} {base_s:>8.3f}   {stage_s / base_s:>5.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
