"""Parse ``.env`` files (``.env``, ``.env.example``, ``.env.*``) into ENV_VAR facts.

Each ``KEY=value`` line gives one variable with its default, whether it is required and whether
it is a secret; secret, empty and placeholder values give no default.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from specagent.ingest.config.common import config_chunks, quote, span
from specagent.ingest.models import Fact, FactKind, ParseResult, SourceRef
from specagent.ingest.secret_names import is_secret_name
from specagent.ingest.secret_redaction import REDACTED

_EXAMPLE_ENV = frozenset({".env.example", ".env.sample", ".env.template", ".env.dist", ".env.defaults", ".env.tmpl"})


_ENV_PLACEHOLDER = re.compile(
    r"^(?:\.\.\.|…|x{3,}|X{3,}|\*{3,}|<.*>|\$\{.*\}|\{\{.*\}\}|change[-_ ]?me|replace[-_ ]?me|"
    r"your[-_ ].*|.*[-_ ]here|todo|tbd)$",
    re.IGNORECASE,
)
_URL_CREDENTIALS = re.compile(r"://[^/\s:@]+:[^/\s@]+@")
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$")


def _env_value(raw: str) -> str:
    raw = raw.strip()
    if raw[:1] in {'"', "'"}:
        end = raw.find(raw[0], 1)
        return raw[1:end] if end > 0 else raw[1:]
    # ``\s#`` rather than ``\s+#``: the same cut once stripped, and linear on a long run of spaces.
    return re.sub(r"\s#.*$", "", raw).strip()


def parse_dotenv(path: str, text: str, lines: list[str]) -> ParseResult:
    accessor = ".env.example" if PurePosixPath(path).name.lower() in _EXAMPLE_ENV else ".env"
    facts = []
    for no, line in enumerate(lines, start=1):
        m = _ENV_LINE.match(line)
        if not m or line.lstrip().startswith("#"):
            continue
        name, value = m.group(1), _env_value(m.group(2))
        secret = is_secret_name(name) or REDACTED in value or bool(_URL_CREDENTIALS.search(value))
        default = None if secret or not value or _ENV_PLACEHOLDER.match(value) else value
        facts.append(
            Fact(
                kind=FactKind.ENV_VAR,
                name=name,
                detail={
                    "accessor": accessor,
                    "default": default,
                    "required": default is None,
                    "is_secret": secret,
                },
                source=SourceRef(path=path, span=span(no), quote=quote(lines, no)),
            )
        )
    return ParseResult(facts=facts, chunks=config_chunks(path, text))
