"""The smell detector on sentences written for these tests (not the eval data)."""

from __future__ import annotations

import pytest

from specagent.quality.smells import SMELLS, detect, smell_kinds


@pytest.mark.parametrize(
    ("sentence", "smell"),
    [
        ("The exporter shall write several summary files.", "vague"),
        ("The importer shall finish quickly.", "vague"),
        ("The settings page shall be intuitive.", "subjective"),
        ("The wizard shall be user-friendly.", "subjective"),
        ("The new parser shall be faster than the old one.", "comparative"),
        ("The planner shall choose the optimal schedule.", "comparative"),
        ("The agent shall cache answers if possible.", "loophole"),
        ("The client shall reconnect as appropriate.", "loophole"),
        ("The viewer shall open PNG, JPEG, etc.", "open_ended"),
        ("The bot shall support channels such as Slack and Teams.", "open_ended"),
        ("The queue shall be reliable.", "non_verifiable"),
        ("The importer shall validate the header and shall email the owner.", "compound"),
        ("The importer shall validate the header and email the owner.", "compound"),
        ("Uploads shall be scanned for malware.", "passive"),
        ("It shall compress every upload.", "pronoun"),
        ("When the disk fills, they shall stop writing.", "pronoun"),
        ("The report need not include charts.", "negative"),
        ("The uploader shall not fail to record the checksum.", "negative"),
        ("The screen shall not be cluttered.", "negative"),
    ],
)
def test_detects_each_smell(sentence: str, smell: str) -> None:
    assert smell in smell_kinds(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "When a client posts a file larger than 20 MB, the gateway shall return HTTP 413.",
        "The scorer shall return the 5 highest-scoring candidates.",
        "The exporter shall write CSV and Parquet files.",  # one action, closed list
        "The service shall not log access tokens.",  # a prohibition is allowed
        "If the lock file does not exist, then the CLI shall create it.",  # negation in a condition
        "The billing run shall be started by the scheduler at 01:00 UTC.",  # passive with an actor
        "The job shall keep at most 7 daily snapshots.",
        "The CLI shall run `fast_sync` before `upload_all`.",  # names in code spans are not words
    ],
)
def test_clean_requirements_have_no_smell(sentence: str) -> None:
    assert detect(sentence) == []


def test_findings_name_their_evidence() -> None:
    (smell,) = [s for s in detect("The importer shall finish quickly.") if s.kind == "vague"]
    assert smell.evidence == "quickly"
    assert "quickly" in smell.message()


@pytest.mark.parametrize(
    ("sentence", "evidence"),
    [
        ("The importer shall validate the header and email the owner.", "and email"),
        ("The service shall never log secrets, commit them or send them to a model.", ", commit"),
        ("The importer shall check the header or email the owner.", "or email"),
    ],
)
def test_compound_evidence_quotes_the_join_as_written(sentence: str, evidence: str) -> None:
    (smell,) = [s for s in detect(sentence) if s.kind == "compound"]
    assert smell.evidence == evidence and evidence in sentence


def test_every_kind_is_in_the_vocabulary() -> None:
    text = "It should be fast, user friendly, better, etc. if possible and shall not be slow."
    assert smell_kinds(text) <= set(SMELLS)
    assert len(smell_kinds(text)) >= 5


@pytest.mark.parametrize(
    "sentence",
    [
        # a rationale clause adds no second requirement
        "The notifier shall sign each payload with HMAC-SHA256, so that receivers can verify its origin.",
        # an input verb whose output the second verb consumes: one behaviour
        "The loader shall parse each line of the report and store it as one row in the `ledger` table.",
        # a comma list of nouns, one of which looks like a verb
        "The scrubber shall remove phone numbers, email addresses and postal codes from transcripts.",
        # a status name is a name, not a size word
        "If the body exceeds 5 MB, the gateway shall answer with status 413 (Request Entity Too Large).",
    ],
)
def test_well_formed_sentences_written_elsewhere_are_clean(sentence: str) -> None:
    assert smell_kinds(sentence) == set()


def test_two_actions_with_outcomes_of_their_own_stay_compound() -> None:
    assert "compound" in smell_kinds("The client shall queue edits locally and sync them within 30 seconds.")
    assert "compound" in smell_kinds("The job shall write one file per day, return the path and notify the owner.")
