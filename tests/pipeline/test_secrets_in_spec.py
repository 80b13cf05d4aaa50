"""Secret values never reach a spec, whichever way the prototype writes them."""

from __future__ import annotations

from pathlib import Path

from specagent.pipeline.draft import run_draft

SECRETS = {
    "app.py": 'import os\nDB_PASSWORD = os.getenv("DB_PASSWORD", "Tr0ub4dor&3xyz")\n'
    'SECRET_KEY = os.environ.get("SECRET_KEY", "dev-secret-9f8e7d")\n'
    'OPENAI_API_KEY = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd"\n',
    ".env": "STRIPE_KEY=sk_live_51HxYzAbCdEfGhIjKlMnOpQrSt\nDATABASE_URL=postgres://admin:S3cr3tPw@db:5432/app\n",
    "config.yaml": "api_password: hunter2-Xy9\n",
}
VALUES = [
    "Tr0ub4dor&3xyz",
    "dev-secret-9f8e7d",
    "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd",
    "sk_live_51HxYzAbCdEfGhIjKlMnOpQrSt",
    "S3cr3tPw",
    "hunter2-Xy9",
]


def test_no_secret_value_in_either_spec_file(tmp_path: Path) -> None:
    for rel, text in SECRETS.items():
        (tmp_path / rel).write_text(text)
    result, written = run_draft(tmp_path)
    output = "".join(path.read_text() for path in written)
    leaked = [value for value in VALUES if value in output or value[:8] in output]
    assert not leaked
    risks = " ".join(r.title for r in result.spec.risks)
    assert "DB_PASSWORD" in risks and "SECRET_KEY" in risks  # named, never shown
