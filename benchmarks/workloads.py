"""Generated inputs shared by the benchmarks and the tests that check the same inputs' results.

The benchmarks time these; the tests assert what comes out of them (exact findings, routes), so
the figure a benchmark prints and the behaviour a test pins down are about the same text.
"""

from __future__ import annotations

import random
import string
import textwrap


def secrets_text() -> str:
    """About 1 MB of Python-ish lines: keyword look-alikes, random blobs, 5,000 real findings."""
    rng = random.Random(7)
    lines = []
    for i in range(20_000):
        kind = i % 4
        if kind == 0:
            lines.append(f"    result_{i} = compute(token_count={i}, key='k{i}', password_field='pw')")
        elif kind == 1:
            lines.append("".join(rng.choices(string.ascii_letters + string.digits + "+/", k=48)))
        elif kind == 2:
            lines.append(f'    "api_key": "{"".join(rng.choices(string.ascii_letters, k=20))}",')
        else:
            lines.append(f"# comment {i} about secrets, keys and tokens, nothing assigned here")
    return "\n".join(lines)


def python_source(lines: int = 10_000) -> str:
    """A FastAPI module of repeated routes, models, env reads and file I/O."""
    block = textwrap.dedent(
        '''
        @router.post("/items/{i}", response_model=ItemOut)
        async def create_item_{i}(item_id: int, body: ItemIn) -> ItemOut:
            """Create item {i}."""
            path = os.getenv("DATA_PATH_{i}", "data/x.csv")
            df = pd.read_csv(path)
            with open("out_{i}.json", "w") as fh:
                json.dump({{"n": len(df)}}, fh)  # TODO: stream {i}
            return ItemOut(id=item_id, name=body.name)


        class Model{i}(BaseModel):
            name: str = Field(..., max_length=50)
            size: int = Field(0, ge=0, le=100)
        '''
    )
    head = "import os, json\nimport pandas as pd\nfrom fastapi import APIRouter\nrouter = APIRouter()\n"
    return head + "".join(block.format(i=i) for i in range(lines // block.count("\n") + 1))
