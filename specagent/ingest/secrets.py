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

The rules live beside this module: ``secret_detectors`` (the patterns), ``secret_names`` (which
names and values count) and ``secret_redaction`` (ranges, merging, replacement).
"""

from __future__ import annotations

from specagent.ingest.secret_detectors import scan_assignments, scan_env_defaults, scan_plugins, scan_private_keys
from specagent.ingest.secret_redaction import Redacted, SecretFinding, SecretSpans


def redact(path: str, text: str) -> Redacted:
    """Replace every secret value in ``text`` by ``[REDACTED]``; never raises.

    ``path`` (relative, POSIX) picks the rules: code and JSON/TOML need quoted values.
    """
    try:
        spans = SecretSpans(text)
        scan_plugins(spans)
        scan_private_keys(spans)
        scan_assignments(spans, path)
        scan_env_defaults(spans, path)
        return spans.apply()
    except Exception:
        # A bug here must not stop ingest, nor let a secret through: fail closed, keeping
        # only the line count so citations elsewhere still make sense.
        blank = "\n" * text.count("\n")
        return Redacted(blank, [SecretFinding(1, "unscanned (redaction failed)", None)])
