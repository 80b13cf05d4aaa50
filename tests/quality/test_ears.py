"""EARS pattern recognition."""

from __future__ import annotations

import pytest

from specagent.quality.ears import classify, normalize


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


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        # A modal where EARS says "shall".
        ("The CLI must be able to read a CSV file.", "The CLI shall read a CSV file."),
        ("The service will return 404 for an unknown ticket.", "The service shall return 404 for an unknown ticket."),
        # A precondition the writer did not close with a comma: the last short subject before "shall".
        (
            "When a GET request is made to `/metrics` the application shall return JSON.",
            "When a GET request is made to `/metrics`, the application shall return JSON.",
        ),
        ("If the model times out the worker shall retry once.", "If the model times out, the worker shall retry once."),
        ("While a job runs the worker should report progress.", "While a job runs, the worker shall report progress."),
    ],
)
def test_normalize_rewrites_only_the_wording(statement: str, expected: str) -> None:
    assert normalize(statement) == expected
    assert classify(expected).pattern is not None


@pytest.mark.parametrize(
    "statement",
    [
        "The API shall log every request.",  # already EARS: untouched
        "When the user submits a prompt, the API is called and returns a recipe.",  # no modal to turn
        "The tool must validate input and should log errors.",  # two obligations: not one requirement
        "The user can upload a file.",  # a capability, not an obligation
        "When a file arrives shall parse it",  # no subject to close the precondition before
    ],
)
def test_normalize_leaves_what_it_cannot_rewrite_safely(statement: str) -> None:
    assert normalize(statement) == statement
