"""Secret redaction: each kind of secret is replaced, look-alikes are kept, files stay valid."""

from __future__ import annotations

import ast
import base64
import json

import pytest
import yaml
from workloads import secrets_text

from specagent.ingest.secret_names import is_placeholder, is_secret_name
from specagent.ingest.secret_redaction import REDACTED
from specagent.ingest.secrets import redact

# Fake credentials are assembled at run time so no scanner mistakes this file for a leak.
AWS_KEY_ID = "AKIA" + "IOSFODNN7" + "EXAMPLQ"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"
GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0" + "k1L2m3N4o5P6q7R8"
SLACK = "xoxb-" + "1234567890-1234567890123-" + "AbCdEfGhIjKlMnOpQrStUvWx"
STRIPE = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
OPENAI = "sk-proj-" + "FAKEq7Lm2Xv9Rt4Kw8Np3Zb6Hd1Js5Ac0Ue4Gy7Wf"


def _jwt() -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'sub': '1234567890'})}.c2lnbmF0dXJlMTIz"


def _values_gone(original: str, redacted: str, *values: str) -> None:
    assert original.count("\n") == redacted.count("\n")
    for value in values:
        assert value not in redacted


@pytest.mark.parametrize(
    ("line", "secret", "secret_type", "variable"),
    [
        (f'aws_access_key_id = "{AWS_KEY_ID}"', AWS_KEY_ID, "AWS Access Key", "aws_access_key_id"),
        (f'aws_secret_access_key = "{AWS_SECRET}"', AWS_SECRET, "AWS Access Key", None),
        (f'token = "{GITHUB}"', GITHUB, "GitHub Token", "token"),
        (f'SLACK_BOT = "{SLACK}"', SLACK, "Slack Token", "SLACK_BOT"),
        (f'stripe.api_key = "{STRIPE}"', STRIPE, "Stripe Access Key", "stripe.api_key"),
        (f'OPENAI_API_KEY = "{OPENAI}"', OPENAI, "OpenAI key", "OPENAI_API_KEY"),
        (f'auth = "{_jwt()}"', _jwt(), "JSON Web Token", None),
        ('password = "hunter2-Secret"', "hunter2-Secret", "Password", "password"),
        ('client = Client(api_key="k3y-1234-abcd")', "k3y-1234-abcd", "API key", "api_key"),
    ],
)
def test_python_secrets_are_redacted(line: str, secret: str, secret_type: str, variable: str | None) -> None:
    src = f"import os\n{line}\nprint('done')\n"
    out = redact("app/settings.py", src)
    _values_gone(src, out.text, secret)
    assert REDACTED in out.text
    ast.parse(out.text)  # still Python
    assert [f.line for f in out.findings] == [2]
    assert out.findings[0].secret_type == secret_type
    if variable is not None:
        assert out.findings[0].variable == variable


def test_basic_auth_url_keeps_user_and_host() -> None:
    src = 'DB = "postgres://admin:s3cretPass9@db.example.com:5432/app"\n'
    out = redact("db.py", src)
    assert out.text == 'DB = "postgres://admin:[REDACTED]@db.example.com:5432/app"\n'
    assert out.findings[0].secret_type == "Basic Auth Credentials"
    assert out.findings[0].variable == "DB"


def test_private_key_block_keeps_line_count_and_markers() -> None:
    body = ["MIIEowIBAAKCAQEA7bq9x0Y2kP4Lr1sYw8Q", "u3Jk9PqW2e+Zx/7bNc4mTfV0hG1aLsKd5Ry"]
    src = 'KEY = """-----BEGIN RSA PRIVATE KEY-----\n' + "\n".join(body) + '\n-----END RSA PRIVATE KEY-----"""\nx = 1\n'
    out = redact("keys.py", src)
    _values_gone(src, out.text, *body)
    assert "-----BEGIN RSA PRIVATE KEY-----" in out.text
    assert "-----END RSA PRIVATE KEY-----" in out.text
    assert out.text.split("\n")[1] == REDACTED
    assert len(out.findings) == 1 and out.findings[0].line == 1
    assert out.findings[0].variable == "KEY"
    ast.parse(out.text)


def test_env_file_assignments() -> None:
    src = (
        "# local settings\n"
        f"OPENAI_API_KEY={OPENAI}\n"
        "DB_PASSWORD=hunter2x!\n"
        "API_KEY=\n"
        "SECRET_KEY=changeme\n"
        "LOG_LEVEL=INFO\n"
        "MAX_TOKENS=512\n"
    )
    out = redact(".env", src)
    _values_gone(src, out.text, OPENAI, "hunter2x!")
    lines = out.text.split("\n")
    assert lines[1] == f"OPENAI_API_KEY={REDACTED}"
    assert lines[2] == f"DB_PASSWORD={REDACTED}"
    assert lines[3:7] == ["API_KEY=", "SECRET_KEY=changeme", "LOG_LEVEL=INFO", "MAX_TOKENS=512"]
    assert [(f.line, f.variable) for f in out.findings] == [
        (2, "OPENAI_API_KEY"),
        (3, "DB_PASSWORD"),
    ]


def test_json_stays_valid_json() -> None:
    data = {
        "model": "gpt-4o-mini",
        "api_password": "Summer2024!cx-dash",
        "token": 12345,
        "nested": {"client_secret": "abcDEF123456", "password_field": "password"},
        "max_tokens": 512,
    }
    src = json.dumps(data, indent=2)
    out = redact("config.json", src)
    loaded = json.loads(out.text)
    assert loaded["api_password"] == REDACTED
    assert loaded["nested"]["client_secret"] == REDACTED
    # An unquoted number cannot become [REDACTED] without breaking JSON: it is left alone.
    assert loaded["token"] == 12345
    assert loaded["nested"]["password_field"] == "password"
    assert loaded["max_tokens"] == 512
    assert src.count("\n") == out.text.count("\n")


def test_yaml_stays_valid_and_keeps_strings() -> None:
    src = "db:\n  user: admin\n  password: s3cr3tpw\napi_token: ${TOKEN}\nretries: 3\n"
    out = redact("config.yaml", src)
    loaded = yaml.safe_load(out.text)
    assert loaded["db"]["password"] == REDACTED  # a string, not a one-item list
    assert loaded["api_token"] == "${TOKEN}"
    assert loaded["db"]["user"] == "admin"
    assert [(f.line, f.variable) for f in out.findings] == [(3, "password")]


def test_notebook_json_with_escaped_quotes() -> None:
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "source": [f'OPENAI_API_KEY = "{OPENAI}"\n', 'db_password = "pa55-word-x"\n'],
                "outputs": [],
                "metadata": {},
                "execution_count": None,
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    src = json.dumps(nb, indent=1)
    out = redact("nb.ipynb", src)
    _values_gone(src, out.text, OPENAI, "pa55-word-x")
    source = json.loads(out.text)["cells"][0]["source"]
    assert source == [f'OPENAI_API_KEY = "{REDACTED}"\n', f'db_password = "{REDACTED}"\n']


@pytest.mark.parametrize(
    "src",
    [
        "max_tokens = 512\n",
        'password_field = "password"\n',
        'commit = "3f786850e387550fdab836ed7e6dc881de23001b"\n',
        'api_key = os.environ["OPENAI_API_KEY"]\n',
        'api_key = os.getenv("OPENAI_API_KEY", "")\n',
        'API_KEY = "<your-key>"\n',
        'OPENAI_API_KEY = "sk-..."\n',
        'token = "${GITHUB_TOKEN}"\n',
        'password = "changeme"\n',
        'secret = "xxxxxxxx"\n',
        'model = "sk-learn-compatible-estimator"\n',
        'token_count = "1234567"\n',
        'label = "Enter your password"\n',
        'api_key_env = "OPENAI_API_KEY"\n',
        'url = "https://example.com/docs"\n',
        'if password_type == "bcrypt":\n    pass\n',
    ],
)
def test_look_alikes_are_kept(src: str) -> None:
    out = redact("app.py", src)
    assert out.text == src
    assert out.findings == []


def test_is_secret_name() -> None:
    for name in ("OPENAI_API_KEY", "db_password", "authToken", "client_secret", "DB_PASS", "pwd"):
        assert is_secret_name(name), name
    for name in ("max_tokens", "password_field", "token_count", "api_key_env", "tokenizer", "key"):
        assert not is_secret_name(name), name


def test_is_placeholder() -> None:
    stand_ins = ("...", "<your-key>", "${VAR}", "changeme", "your_api_key_here", "xxx", "sk-REPLACE-ME-not-a-real-key")
    for value in stand_ins:
        assert is_placeholder(value), value
    assert not is_placeholder("hunter2-Secret")
    assert not is_placeholder("sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd")


def test_a_spelled_out_stand_in_key_is_no_finding() -> None:
    out = redact(".env.example", "OPENAI_API_KEY=sk-REPLACE-ME-not-a-real-key\nDB_PASSWORD=Xq9vL2pR7zT4mKw8\n")
    assert [f.variable for f in out.findings] == ["DB_PASSWORD"]
    assert "sk-REPLACE-ME-not-a-real-key" in out.text


def test_one_megabyte_finds_exactly_the_secrets() -> None:
    # Speed: benchmarks/parse_bench.py times this same text (a ratio to one regex pass over it).
    text = secrets_text()
    assert len(text) > 1_000_000
    out = redact("big.py", text)
    assert out.text.count("\n") == text.count("\n")
    assert len(out.findings) == 5000  # every "api_key" line, nothing else


@pytest.mark.parametrize(
    ("path", "src"),
    [
        ("README.md", "All `/api/v1` routes need `Authorization: Bearer $API_TOKEN`.\n"),
        ("README.md", 'curl -H "Authorization: Bearer ${API_TOKEN}" localhost:8000\n'),
        ("README.md", "curl -H Authorization: Bearer $API_TOKEN localhost\n"),
        ("docs/auth.md", "Send Authorization: Bearer <token> on every call.\n"),
        (".github/workflows/ci.yml", "    env:\n      API_TOKEN: ci-token\n      DB_PASSWORD: postgres\n"),
        (".github/workflows/ci.yml", "    env:\n      API_TOKEN: ${{ secrets.API_TOKEN }}\n"),
        (".gitlab-ci.yml", "variables:\n  API_KEY: dummy\n"),
        (".env.example", "API_TOKEN=ci-token\nDB_PASSWORD=test\nSECRET_KEY=dummy-secret\n"),
        ("config.yaml", "api_key: example\npassword: changeme\ntoken: test_token\n"),
        ("run.ps1", "$env:API_KEY = $env:OPENAI_API_KEY\n"),
    ],
)
def test_placeholders_and_fixture_values_are_kept(path: str, src: str) -> None:
    out = redact(path, src)
    assert out.text == src
    assert out.findings == []


@pytest.mark.parametrize(
    ("path", "src", "secret"),
    [
        ("README.md", "curl -H 'Authorization: Bearer " + "q7Lm2Xv9Rt4Kw8Np3Zb6" + "' host\n", "q7Lm2Xv9Rt4Kw8Np3Zb6"),
        ("README.md", "Authorization: Bearer " + "q7Lm2Xv9Rt4Kw8Np3Zb6" + "\n", "q7Lm2Xv9Rt4Kw8Np3Zb6"),
        (".github/workflows/ci.yml", "env:\n  API_TOKEN: " + "a8f3K2j9d0s7Q1w" + "\n", "a8f3K2j9d0s7Q1w"),
        (".github/workflows/ci.yml", "env:\n  OPENAI_API_KEY: " + OPENAI + "\n", OPENAI),
        ("config.yaml", "password: hunter\n", "hunter"),  # a plain word outside CI is a password
        ("config.yaml", "db_password: Rosebud-77\n", "Rosebud-77"),
        (".env", "TOKEN=bXyZ" + "9a8b7c6d5e4f" + "\n", "bXyZ9a8b7c6d5e4f"),
    ],
)
def test_real_looking_values_are_still_redacted(path: str, src: str, secret: str) -> None:
    out = redact(path, src)
    _values_gone(src, out.text, secret)
    # The whole value goes, not all but its first letter.
    assert REDACTED in out.text and secret[0] + REDACTED not in out.text
    assert len(out.findings) == 1


def test_fixture_words_are_placeholders_everywhere_and_ci_words_only_in_ci() -> None:
    for value in ("test", "ci-token", "dummy", "example", "changeme", "secret", "password", "test_secret"):
        assert is_placeholder(value), value
    assert is_placeholder("hunter", ".github/workflows/test.yml")
    assert not is_placeholder("hunter", "config.yaml")
    assert not is_placeholder("a8f3K2j9d0s7Q1w", ".github/workflows/test.yml")
    assert not is_placeholder("ci-token-2024x9", ".github/workflows/test.yml")
