"""Offline draft speed and memory on a generated prototype, and how they scale.

    python benchmarks/draft_bench.py            # 50k and 100k lines
    python benchmarks/draft_bench.py --lines 20000 --lines 40000

Prints wall time and peak memory (RSS of a fresh child process) per size, and the time ratio of
each size to the first one: linear scaling gives a ratio equal to the size ratio. Each size runs
in its own process so one run's memory does not hide the next one's.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

MODULE = textwrap.dedent(
    '''
    """Module {m}: feature engineering and scoring helpers for segment {m}."""
    import json
    import os

    import numpy as np
    import pandas as pd

    THRESHOLD_{m} = float(os.getenv("THRESHOLD_{m}", "0.5"))


    def load_{m}(path: str = "data/segment_{m}.csv") -> pd.DataFrame:
        """Read the segment's rows."""
        return pd.read_csv(path)


    def score_{m}(frame: pd.DataFrame, weight: float = 1.5) -> np.ndarray:
        """Score every row; TODO: calibrate weight {m}."""
        values = frame.select_dtypes("number").to_numpy()
        total = values.sum(axis=1) * weight
        return total / (1 + np.abs(total))


    class Segment{m}Report:
        """Summary of one scoring run."""

        def __init__(self, rows: int) -> None:
            self.rows = rows

        def to_json(self) -> str:
            return json.dumps({{"rows": self.rows, "segment": {m}}})
    '''
)


def generate(root: Path, lines: int) -> int:
    """Write a prototype of about ``lines`` lines: packages of modules, a notebook, notes."""
    per_module = MODULE.count("\n")
    modules = max(1, lines // per_module)
    written = 0
    for m in range(modules):
        pkg = root / f"pkg{m // 50}"
        pkg.mkdir(parents=True, exist_ok=True)
        text = MODULE.format(m=m)
        (pkg / f"mod_{m}.py").write_text(text)
        written += text.count("\n")
    (root / "README.md").write_text("# Generated prototype\n\nScores customer segments.\n\n- must score 1M rows/h\n")
    (root / "requirements.txt").write_text("numpy==2.1.0\npandas==2.2.3\n")
    return written


def child(root: Path) -> None:
    from specagent.pipeline.draft import draft

    started = time.perf_counter()
    result = draft(root)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mib": peak_mib,
                "files": result.spec.meta.files,
                "lines": result.spec.meta.lines,
                "items": sum(1 for _ in result.spec.iter_items()),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, action="append", help="prototype size(s) in lines")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    sizes = args.lines or [50_000, 100_000]
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "proto"
            generate(root, size)
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(root)], check=True, capture_output=True, text=True
            ).stdout
            rows.append(json.loads(out.strip().splitlines()[-1]))
    base = rows[0]
    print(
        f"{'lines':>8} {'files':>6} {'items':>6} {'seconds':>8} {'peak MiB':>9} {'time ratio':>10} {'size ratio':>10}"
    )
    for row in rows:
        print(
            f"{row['lines']:>8} {row['files']:>6} {row['items']:>6} {row['seconds']:>8.2f} {row['peak_mib']:>9.0f} "
            f"{row['seconds'] / base['seconds']:>10.2f} {row['lines'] / base['lines']:>10.2f}"
        )


if __name__ == "__main__":
    main()
