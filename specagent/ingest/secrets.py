"""Find secrets in a file's text and replace their values by ``[REDACTED]``.

Runs before any parser sees a file, so nothing downstream (index, model, spec) ever holds a
secret value. Two kinds of rule:

- detect-secrets' high-confidence regex plugins (AWS, GitHub, Slack, Stripe, JWT, basic auth in
  URLs, ...) plus a few token shapes it lacks (``sk-...`` keys, Hugging Face, Google API keys);
  they run over the whole text at once, which keeps a 1 MB file well under a second;
- keyword assignments (``password = "..."``, ``API_KEY=...``, ``"api_password": "..."``,
  ``Authorization: Bearer ...``) with a value that is not a placeholder: not ``<your-key>``,
  ``$API_TOKEN`` or ``${{ secrets.X }}``, not test-fixture words (``ci-token``, ``dummy``) and, in
  a CI workflow, not a short lower-case word.

Only the value is replaced: quotes, the rest of the line and the line count stay, so JSON, YAML
and Python that parsed before still parse.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.basic_auth import BasicAuthDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.npm import NpmDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector

REDACTED = "[REDACTED]"


@dataclass(frozen=True, slots=True)
class SecretFinding:
    """A secret found on ``line`` (1-based); the value itself is never kept."""

    line: int
    secret_type: str
    variable: str | None = None


@dataclass(slots=True)
class Redacted:
    """The text with every secret value replaced, and what was found."""

    text: str
    findings: list[SecretFinding] = field(default_factory=list)


# Plugins with few false positives. Left out on purpose: the high-entropy plugins (slow, noisy),
# KeywordDetector (replaced by the rules below), Twilio/Artifactory/IBM/Softlayer (their bare
# patterns match ordinary identifiers and hex ids).
_PLUGINS = (
    AWSKeyDetector,
    AzureStorageKeyDetector,
    BasicAuthDetector,
    DiscordBotTokenDetector,
    GitHubTokenDetector,
    GitLabTokenDetector,
    JwtTokenDetector,
    MailchimpDetector,
    NpmDetector,
    OpenAIDetector,
    PypiTokenDetector,
    SendGridDetector,
    SlackDetector,
    SquareOAuthDetector,
    StripeDetector,
    TelegramBotTokenDetector,
)

_TYPE_NAMES = {"OpenAI Token": "OpenAI key"}

# Token shapes detect-secrets 1.5 misses. Each needs a digit and a letter so words like
# ``sk-learn-compatible-estimators`` are not taken for keys.
_EXTRA_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Anthropic key", re.compile(r"(?<![\w-])sk-ant-[A-Za-z0-9_\-]{20,}")),
    (
        "OpenAI key",
        re.compile(r"(?<![\w-])sk-(?:proj-|svcacct-|admin-)?(?=[A-Za-z_\-]*\d)(?=[\d_\-]*[A-Za-z])[A-Za-z0-9_\-]{20,}"),
    ),
    ("Hugging Face token", re.compile(r"(?<![\w-])hf_[A-Za-z0-9]{30,}")),
    ("Google API key", re.compile(r"(?<![\w-])AIza[0-9A-Za-z_\-]{35}")),
    ("GitHub Token", re.compile(r"(?<![\w-])github_pat_[A-Za-z0-9_]{40,}")),
    ("Groq key", re.compile(r"(?<![\w-])gsk_[A-Za-z0-9]{30,}")),
)

_PRIVATE_KEY_BEGIN = re.compile(r"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----")
_PRIVATE_KEY_END = re.compile(r"-----END ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----")
# Base64 runs inside a key body; the look-behind keeps the ``n`` of a JSON ``\n`` escape.
_KEY_BODY_RUN = re.compile(r"(?<!\\)[A-Za-z0-9+/=]{16,}")
_PRIVATE_KEY_MAX_LINES = 200

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

# Lines worth a closer look: any secret-ish word, case-insensitive. Cheap prefilter for the
# assignment regex below.
_KEYWORD_LINE = re.compile(
    r"^[^\n]*?(?:pass|pwd|secret|token|key|auth|credential|bearer|contrase)[^\n]*",
    re.IGNORECASE | re.MULTILINE,
)

_ASSIGNMENT = re.compile(
    r"""
    (?P<kq>\\?["'])?                                  # optional (escaped) quote around the key
    (?<![\w.\-])(?P<key>[A-Za-z_][\w.\-]*)
    (?(kq)\\?["'])                                   # the closing quote, when there was one
    \]?\s*
    (?<![=!<>])(?P<sep>:=|=>|==|!=|=|:)(?![=:])\s*
    (?:(?P<prefix>[rbuRBU]{1,2})(?=\\?["']))?        # a Python string prefix, only before a quote
    (?:
        \\"(?P<v_esc>[^"\\]*)\\"                        # \"...\" inside a JSON string (ipynb)
      | "(?P<v_dq>[^"\\\n]*(?:\\.[^"\\\n]*)*)"
      | '(?P<v_sq>[^'\\\n]*(?:\\.[^'\\\n]*)*)'
      | (?P<v_bare>[^\s'"\#,;}\]\)(=\\]+)
    )
    """,
    re.VERBOSE,
)
_AUTH_SCHEME = re.compile(r"^(?:Bearer|Basic|Token|Bot)\s+", re.IGNORECASE)

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
_SCHEME_ONLY = re.compile(r"^(?:Bearer|Basic|Token|Bot)$", re.IGNORECASE)
# The token after a bare "Bearer" in prose or a curl line, without the markup around it.
_TOKEN_AFTER_SCHEME = re.compile(r"[ \t]+[`'\"]?(?P<tok>[^\s`'\"]+)")
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_CODE_SUFFIXES = frozenset({".py", ".pyi", ".ipynb"})
_STRICT_SUFFIXES = frozenset({".json", ".ipynb", ".toml", ".jsonl"})
_YAML_SUFFIXES = frozenset({".yml", ".yaml"})

_VARIABLE_BEFORE = re.compile(
    r"""\\?["']?([A-Za-z_][\w.\-]*)\\?["']?\]?\s*(?::=|=>|=|:)\s*[rbuRBU]{0,2}"""
    r"""(?:"{3}|'{3}|\\?["'])?\s*(?:(?:Bearer|Basic|Token)\s+)?[^\s"']*$""",
)


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


def _secret_kind(name: str) -> str:
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


class _Spans:
    """Character ranges to redact, each with a finding; overlapping ranges merge."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0]
        self.line_starts.extend(m.end() for m in re.finditer("\n", text))
        # (start, end, secret_type, variable, replacement, line reported or None for own line)
        self.ranges: list[tuple[int, int, str, str | None, str, int | None]] = []

    def line_of(self, pos: int) -> int:
        return bisect.bisect_right(self.line_starts, pos)

    def add(
        self,
        start: int,
        end: int,
        secret_type: str,
        variable: str | None = None,
        replacement: str = REDACTED,
        report_line: int | None = None,
    ) -> None:
        if end > start:
            self.ranges.append((start, end, secret_type, variable, replacement, report_line))

    def apply(self) -> Redacted:
        if not self.ranges:
            return Redacted(self.text, [])
        # Earlier start first; for one start, the range added first (a plugin's) wins.
        ordered = sorted(self.ranges, key=lambda r: r[0])
        merged: list[list[Any]] = []
        for start, end, stype, var, repl, line in ordered:
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
                merged[-1][4] = REDACTED  # a merged range is no longer one bare YAML value
                if merged[-1][3] is None:
                    merged[-1][3] = var
                continue
            merged.append([start, end, stype, var, repl, line])
        out: list[str] = []
        findings: list[SecretFinding] = []
        seen: set[tuple[int, str, str | None]] = set()
        pos = 0
        for start, end, stype, var, repl, line in merged:
            out.append(self.text[pos:start])
            # A range never swallows a newline: redact each line's part, keep the line count.
            pieces = self.text[start:end].split("\n")
            out.append("\n".join(repl if piece else "" for piece in pieces))
            pos = end
            key = (line or self.line_of(start), stype, var)
            if key not in seen:
                seen.add(key)
                findings.append(SecretFinding(*key))
        out.append(self.text[pos:])
        findings.sort(key=lambda f: f.line)
        return Redacted("".join(out), findings)


def _variable_before(prefix: str) -> str | None:
    m = _VARIABLE_BEFORE.search(prefix[-200:])
    return m.group(1) if m else None


def _scan_plugins(spans: _Spans) -> None:
    text = spans.text
    for plugin_cls in _PLUGINS:
        plugin = plugin_cls()
        stype = _TYPE_NAMES.get(plugin.secret_type, plugin.secret_type)
        for regex in plugin.denylist:
            for m in regex.finditer(text):
                start, end = m.span()
                # Patterns with groups mark the secret part (e.g. the password in a URL).
                for g in range(1, (regex.groups or 0) + 1):
                    if m.group(g):
                        start, end = m.span(g)
                        break
                value = text[start:end]
                if "\n" in value or (plugin_cls is JwtTokenDetector and not JwtTokenDetector.is_formally_valid(value)):
                    continue
                if plugin_cls is BasicAuthDetector and is_placeholder(value):
                    continue
                line_start = text.rfind("\n", 0, start) + 1
                spans.add(start, end, stype, _variable_before(text[line_start:start]))
    for stype, regex in _EXTRA_PATTERNS:
        for m in regex.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            spans.add(m.start(), m.end(), stype, _variable_before(text[line_start : m.start()]))


def _scan_private_keys(spans: _Spans) -> None:
    text = spans.text
    pos = 0
    while True:
        begin = _PRIVATE_KEY_BEGIN.search(text, pos)
        if begin is None:
            return
        end = _PRIVATE_KEY_END.search(text, begin.end())
        if end is not None:
            body_end = end.start()
        else:
            # No END marker (truncated file): redact a bounded number of lines after BEGIN.
            body_end = begin.end()
            for _ in range(_PRIVATE_KEY_MAX_LINES):
                nxt = text.find("\n", body_end + 1)
                if nxt == -1:
                    body_end = len(text)
                    break
                body_end = nxt
        line_start = text.rfind("\n", 0, begin.start()) + 1
        variable = _variable_before(text[line_start : begin.start()])
        # One finding per key, on its BEGIN line, however many lines the body has.
        begin_line = spans.line_of(begin.start())
        found = False
        for run in _KEY_BODY_RUN.finditer(text, begin.end(), body_end):
            spans.add(run.start(), run.end(), "Private Key", variable, REDACTED, begin_line)
            found = True
        if not found:
            spans.add(begin.start(), begin.end(), "Private Key", variable)
        pos = max(body_end, begin.end())


#: ``os.getenv("API_KEY", "value")``: the fallback of a secret-named variable is a secret too.
_ENV_DEFAULT = re.compile(
    r"""(?:getenv|environ\.get|environ\.setdefault)\(\s*(?P<kq>["'])(?P<key>[A-Za-z_][A-Za-z0-9_]*)(?P=kq)"""
    r"""\s*,\s*(?P<q>["'])(?P<value>[^"'\n]+)(?P=q)"""
)


def _scan_env_defaults(spans: _Spans, path: str) -> None:
    for m in _ENV_DEFAULT.finditer(spans.text):
        key, value = m.group("key"), m.group("value")
        if is_secret_name(key) and not is_placeholder(value, path):
            spans.add(m.start("value"), m.end("value"), _secret_kind(key), key)


# Dependency pins ("pyobjc-framework-CryptoTokenKit==10.3.1") look like key == value; their
# credentials, when any, sit in index URLs, which the URL rule reads.
_DEPENDENCY_FILES = re.compile(
    r"(?:^|/)(?:(?:requirements|constraints)[\w.-]*\.(?:txt|in)|Pipfile(?:\.lock)?|[\w.-]+\.lock)$"
)
# "result.apiKey", "config.token;": an expression that reads the secret, not the secret.
_EXPRESSION_VALUE = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+[;,]?$|^[A-Za-z_$][\w$]*;$")


def _scan_assignments(spans: _Spans, path: str) -> None:
    text = spans.text
    if _DEPENDENCY_FILES.search(path):
        return
    suffix = PurePosixPath(path).suffix.lower()
    code = suffix in _CODE_SUFFIXES
    strict = suffix in _STRICT_SUFFIXES
    for hit in _KEYWORD_LINE.finditer(text):
        line = hit.group()
        if len(line) > 2000:  # minified blobs, embedded images: not hand-written config
            continue
        offset = hit.start()
        for m in _ASSIGNMENT.finditer(line):
            key = m.group("key")
            if not is_secret_name(key):
                continue
            group = next(g for g in ("v_esc", "v_dq", "v_sq", "v_bare") if m.group(g) is not None)
            if group == "v_bare" and (code or strict):
                continue  # an expression in code, or unquoting would break JSON/TOML
            value = m.group(group)
            v_start = m.start(group)
            scheme = _AUTH_SCHEME.match(value)
            if scheme:
                value = value[scheme.end() :]
                v_start += scheme.end()
            elif group == "v_bare" and _SCHEME_ONLY.match(value):
                # "Authorization: Bearer $API_TOKEN": the secret, if any, is the next word.
                after = _TOKEN_AFTER_SCHEME.match(line, m.end(group))
                if after is None:
                    continue
                value = after.group("tok").rstrip(".,;:)*_")
                v_start = after.start("tok")
            if (
                is_placeholder(value, path)
                or " " in value.strip()
                or _ENV_NAME.match(value)
                or value.startswith(("http://", "https://", "/", "./", "~", "os.", "env."))
                or "{" in value
                or (group == "v_bare" and value.lower() in {"true", "false", "null"})
                or (group == "v_bare" and _EXPRESSION_VALUE.match(value))
            ):
                continue
            # A bare YAML value gets quotes so the document keeps a string there, not a list.
            repl = f"'{REDACTED}'" if group == "v_bare" and suffix in _YAML_SUFFIXES else REDACTED
            spans.add(offset + v_start, offset + v_start + len(value), _secret_kind(key), key, repl)


def redact(path: str, text: str) -> Redacted:
    """Replace every secret value in ``text`` by ``[REDACTED]``; never raises.

    ``path`` (relative, POSIX) picks the rules: code and JSON/TOML need quoted values.
    """
    try:
        spans = _Spans(text)
        _scan_plugins(spans)
        _scan_private_keys(spans)
        _scan_assignments(spans, path)
        _scan_env_defaults(spans, path)
        return spans.apply()
    except Exception:
        # A bug here must not stop ingest, nor let a secret through: fail closed, keeping
        # only the line count so citations elsewhere still make sense.
        blank = "\n" * text.count("\n")
        return Redacted(blank, [SecretFinding(1, "unscanned (redaction failed)", None)])
