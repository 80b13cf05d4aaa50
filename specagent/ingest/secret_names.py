"""Which names and values count as secrets: a key name that holds one (``OPENAI_API_KEY``, not
``max_tokens``), a value that is only a stand-in (``<your-key>``, ``${VAR}``, ``ci-token``), and
the kind of secret a name says it holds.
"""

from __future__ import annotations

import re

# Words that make a key name secret-looking; checked on the name's lower-case word parts.
_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "secret",
        "token",
        "apikey",
        "credential",
        "credentials",
        "bearer",
        "authorization",
        "contraseña",
        "contrasena",
    }
)
# A preceding word that turns ``key`` or ``pass`` into a secret name (``api_key``, ``db_pass``).
_KEY_PREFIXES = frozenset(
    {
        "api",
        "access",
        "private",
        "secret",
        "signing",
        "encryption",
        "master",
        "client",
        "service",
        "account",
        "auth",
        "db",
        "database",
        "session",
        "app",
        "subscription",
        "license",
        "openai",
        "anthropic",
        "x",
    }
)
# A last word that means the name is about a secret but does not hold one
# (``password_field``, ``token_count``, ``api_key_env``).
_BENIGN_SUFFIXES = frozenset(
    {
        "field",
        "fields",
        "name",
        "names",
        "label",
        "prompt",
        "hint",
        "length",
        "len",
        "count",
        "counts",
        "file",
        "files",
        "path",
        "dir",
        "env",
        "var",
        "variable",
        "header",
        "type",
        "policy",
        "url",
        "uri",
        "id",
        "min",
        "max",
        "limit",
        "limits",
        "size",
        "regex",
        "pattern",
        "rule",
        "rules",
        "column",
        "col",
        "param",
        "required",
        "enabled",
        "provider",
        "source",
        "expiry",
        "expires",
        "ttl",
        "timeout",
        "usage",
        "used",
        "cost",
        "price",
        "reset",
        "version",
        "mode",
        "format",
        "help",
        "example",
        "placeholder",
        "location",
        "ref",
        "store",
        "manager",
        "arn",
        "scope",
        "scopes",
    }
)
_BENIGN_PREFIXES = frozenset({"max", "min", "num", "n", "total", "is", "has", "use", "no", "show"})

_NAME_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|ñ", re.UNICODE)

_PLACEHOLDER = re.compile(
    r"""^(?:
        \.\.\.|…|x+|\*+|-+|_+|0+|
        change[-_ ]?me|replace[-_ ]?me|fill[-_ ]?me|todo|tbd|fixme|
        none|null|nil|undefined|true|false|yes|no|on|off|
        secret|secrets|password|passwd|token|key|api[-_]?key|
        example|sample|dummy|test|testing|fake|placeholder|default|required|optional|
        your[-_ .].*|.*[-_ ]here|insert[-_ ].*|enter[-_ ].*|put[-_ ].*|add[-_ ].*|
        <.*>|\{\{.*\}\}|\$\{.*\}|\$\(.*\)|\$[A-Za-z_]\w*|\$env:\w+|%[A-Za-z_]\w*%|%\(.*\)s|%s|\{\w*\}|
        \[redacted\]|redacted|\*\*\*.*|.*xxxx.*|.*your[-_]?(?:api[-_]?)?(?:key|token|secret|password).*|
        sk-\.\.\.|sk-x+|sk-\*+|sk-your.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Values made only of test-fixture words ("ci-token", "test_secret", "dummy-key") stand in for
# a secret in tests and CI; a real one has digits, mixed case or no words at all.
_FIXTURE_WORDS = frozenset(
    """
    test tests testing ci dummy example sample changeme change me secret secrets password passwd
    pass fake mock mocked local dev demo token key api placeholder default foo bar baz not real
    my some unit integration e2e fixture stub
    """.split()
)
_FIXTURE_VALUE = re.compile(r"^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+){0,3}$")
# Words that say, anywhere in a value, that it is a stand-in ("sk-REPLACE-ME-not-a-real-key"):
# a generated secret never spells them.
_PLACEHOLDER_PHRASE = re.compile(
    r"replace[-_ ]?(?:me|this|with)|change[-_ ]?(?:me|this)|fill[-_ ]?(?:me|in)|not[-_ ]?a[-_ ]?real|"
    r"placeholder|your[-_ ]?(?:own[-_ ]?)?(?:api[-_ ]?)?(?:key|token|secret|password)",
    re.IGNORECASE,
)
# In a CI workflow a short lower-case word value ("ci-token", "hunter") is a fixture for the
# test job, not a credential: real ones come from the CI's secret store (``${{ secrets.X }}``).
_CI_WORD_VALUE = re.compile(r"^[a-z]{2,12}(?:[-_][a-z]{2,12}){0,3}$")
_CI_PATHS = re.compile(r"(?:^|/)(?:\.github/workflows/[^/]+|\.gitlab-ci\.ya?ml|\.circleci/config\.ya?ml)$")


def _name_parts(name: str) -> list[str]:
    return [p.lower() for p in _NAME_PARTS.findall(name)]


def is_secret_name(name: str) -> bool:
    """Whether a variable, key or env var name looks like it holds a secret.

    ``OPENAI_API_KEY``, ``db_password``, ``authToken`` yes; ``max_tokens``, ``password_field``,
    ``token_count``, ``api_key_env`` no.
    """
    parts = _name_parts(name)
    if not parts:
        return False
    if parts[-1] in _BENIGN_SUFFIXES or parts[0] in _BENIGN_PREFIXES:
        return False
    for i, part in enumerate(parts):
        if part in _SECRET_WORDS:
            return True
        if part in {"key", "pass", "pw", "auth"} and i > 0 and parts[i - 1] in _KEY_PREFIXES:
            return True
        if part in {"pass", "pw"} and i == len(parts) - 1:
            return True
        if part == "dsn" and i == len(parts) - 1:
            return True
    return False


def is_placeholder(value: str, path: str = "") -> bool:
    """Whether a value is an obvious stand-in: ``...``, ``<your-key>``, ``${VAR}``, ``$API_TOKEN``,
    ``changeme``, ``ci-token``, ``sk-REPLACE-ME-not-a-real-key``; in a CI workflow (``path``) also
    any short lower-case word."""
    v = value.strip()
    if len(v) < 4 or _PLACEHOLDER.match(v) or _PLACEHOLDER_PHRASE.search(v):
        return True
    if _FIXTURE_VALUE.match(v) and all(w in _FIXTURE_WORDS for w in re.split(r"[-_.]", v.lower())):
        return True
    return bool(path and _CI_PATHS.search(path) and _CI_WORD_VALUE.match(v))


def secret_kind(name: str) -> str:
    """The kind of secret a name says it holds: Password, Token, API key, Secret or Credential."""
    parts = set(_name_parts(name))
    if parts & {"password", "passwd", "pwd", "pass", "pw", "passphrase", "contraseña"}:
        return "Password"
    if "token" in parts or "bearer" in parts:
        return "Token"
    if "key" in parts or "apikey" in parts:
        return "API key"
    if "secret" in parts:
        return "Secret"
    return "Credential"
