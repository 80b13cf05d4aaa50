"""The detector patterns that find secrets in text, each adding what it finds to a
:class:`~specagent.ingest.secret_redaction.SecretSpans`:

- detect-secrets' high-confidence regex plugins plus a few token shapes it lacks;
- ``-----BEGIN ... PRIVATE KEY-----`` blocks, however many lines their body has;
- keyword assignments (``password = "..."``, ``"api_key": "..."``, ``Authorization: Bearer ...``);
- secret fallbacks of environment lookups (``os.getenv("API_KEY", "...")``).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

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

from specagent.ingest.secret_names import is_placeholder, is_secret_name, secret_kind
from specagent.ingest.secret_redaction import REDACTED, SecretSpans

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


def _variable_before(prefix: str) -> str | None:
    m = _VARIABLE_BEFORE.search(prefix[-200:])
    return m.group(1) if m else None


def scan_plugins(spans: SecretSpans) -> None:
    """Token shapes: the detect-secrets plugins and the extra patterns, over the whole text at once."""
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


def scan_private_keys(spans: SecretSpans) -> None:
    """The base64 body of each private key block (up to a bounded number of lines when it has no END)."""
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


def scan_env_defaults(spans: SecretSpans, path: str) -> None:
    """The fallback value of an environment lookup whose variable name holds a secret."""
    for m in _ENV_DEFAULT.finditer(spans.text):
        key, value = m.group("key"), m.group("value")
        if is_secret_name(key) and not is_placeholder(value, path):
            spans.add(m.start("value"), m.end("value"), secret_kind(key), key)


# Dependency pins ("pyobjc-framework-CryptoTokenKit==10.3.1") look like key == value; their
# credentials, when any, sit in index URLs, which the URL rule reads.
_DEPENDENCY_FILES = re.compile(
    r"(?:^|/)(?:(?:requirements|constraints)[\w.-]*\.(?:txt|in)|Pipfile(?:\.lock)?|[\w.-]+\.lock)$"
)
# "result.apiKey", "config.token;": an expression that reads the secret, not the secret.
_EXPRESSION_VALUE = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+[;,]?$|^[A-Za-z_$][\w$]*;$")


def scan_assignments(spans: SecretSpans, path: str) -> None:
    """Values assigned to secret-looking names; ``path`` decides whether a bare value counts."""
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
            spans.add(offset + v_start, offset + v_start + len(value), secret_kind(key), key, repl)
