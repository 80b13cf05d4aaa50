"""EARS pattern recognition."""

from __future__ import annotations

import pytest

from specagent.quality.ears import classify


@pytest.mark.parametrize(
    ("statement", "pattern"),
    [
        ("The API shall log every request.", "ubiquitous"),
        ("When a file arrives, the loader shall parse it.", "event"),
        ("While the cache is warm, the service shall skip the database.", "state"),
        ("If the token expires, then the client shall refresh it.", "unwanted"),
        ("Where SSO is enabled, the login page shall redirect to the IdP.", "optional"),
        ("While offline, when a save is requested, the app shall queue the edit.", "complex"),
        ("The `ask` route shall not return stack traces.", "ubiquitous"),
    ],
)
def test_patterns(statement: str, pattern: str) -> None:
    assert classify(statement).pattern == pattern


def test_if_without_then_is_still_unwanted_behaviour() -> None:
    # Writers outside EARS leave "then" out; the comma closes the condition all the same.
    assert classify("If the token expires, the client shall refresh it.").pattern == "unwanted"
    assert classify("If the upload exceeds 10 MB, then the API shall reject it.").pattern == "unwanted"
    assert classify("If the upload exceeds 10 MB the API shall reject it.").pattern is None


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        ("Logs are kept for a week.", "no 'shall'"),
        ("The API shall log and the UI shall show.", "more than one"),
        ("When a file arrives the loader shall parse it.", "comma"),
    ],
)
def test_nonconforming(statement: str, problem: str) -> None:
    result = classify(statement)
    assert result.pattern is None
    assert problem in (result.problem or "")
