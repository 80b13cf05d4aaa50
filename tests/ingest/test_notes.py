"""Notes parser: headings (markdown, setext, rst, loose txt), cue lines, metrics, chunks."""

from __future__ import annotations

import textwrap

import pytest

from specagent.ingest.models import ChunkKind, FactKind, ParseResult, make_chunk_id
from specagent.ingest.notes import parse_notes
from specagent.spec.model import Citation
from specagent.spec.resolve import resolve

MARKDOWN = textwrap.dedent(
    """\
    ---
    title: front matter is not a heading
    ---
    # Churn predictor

    Predict which customers will cancel next month so the retention desk can call them.
    Built from the billing export.

    ## Goals

    - Flag the 500 riskiest customers every Monday.
    - Explain each score in one sentence.

    ## Non-goals

    - Real-time scoring.

    ## Users

    - Retention desk agents.
    - As a desk lead, I want a weekly list so that I can plan calls.

    ## Requirements

    The export must arrive by 06:00. Scores should be reproducible
    from the same input. We need to keep the raw file for 30 days.

    * TODO: decide the threshold
    * [ ] add a model card
    * [x] write the EDA notebook
    * Idea: add tenure buckets
    * Could we reuse the CRM ids?

    ```python
    # must not be read as a cue: it is code
    print("accuracy: 0.99")
    ```

    Results
    -------

    baseline accuracy: 0.81 (logistic regression)

    Q: who signs off the model?
    """
)


def _resolves(path: str, text: str, result: ParseResult) -> None:
    """Every fact and chunk cites lines that exist, and every quote is found there."""
    texts = {path: text}
    for fact in result.facts:
        span = fact.source.span
        problem = resolve(
            Citation(
                path=path,
                start_line=span.start_line,
                end_line=span.end_line,
                quote=fact.source.quote,
            ),
            texts,
        )
        assert problem is None, (fact, problem)
    lines = text.split("\n")
    for chunk in result.chunks:
        assert chunk.text == "\n".join(lines[chunk.span.start_line - 1 : chunk.span.end_line])
        assert chunk.id == make_chunk_id(path, chunk.span, chunk.text)


def _cues(result: ParseResult) -> list[tuple[str, str]]:
    return [(f.detail.cue, f.detail.text) for f in result.facts if f.kind is FactKind.NOTE_LINE]


def test_markdown_sections() -> None:
    result = parse_notes("docs/notes.md", MARKDOWN)
    sections = [f for f in result.facts if f.kind is FactKind.NOTE_SECTION]
    assert [(f.name, f.detail.level) for f in sections] == [
        ("Churn predictor", 1),
        ("Goals", 2),
        ("Non-goals", 2),
        ("Users", 2),
        ("Requirements", 2),
        ("Results", 2),
    ]
    top = sections[0]
    assert top.detail.text.startswith("Predict which customers will cancel next month")
    assert top.detail.text.endswith("billing export.")
    assert {f.detail.doc_title for f in sections} == {"Churn predictor"}
    assert top.source.span.start_line == 4
    assert sections[1].source.span == sections[1].source.span.model_copy(update={"start_line": 9, "end_line": 12})
    assert all(c.kind is ChunkKind.SECTION for c in result.chunks)
    assert [c.symbols for c in result.chunks][1:3] == [["Churn predictor"], ["Goals"]]
    _resolves("docs/notes.md", MARKDOWN, result)


def test_markdown_cues() -> None:
    result = parse_notes("docs/notes.md", MARKDOWN)
    cues = _cues(result)
    assert ("goal", "Flag the 500 riskiest customers every Monday.") in cues
    assert ("non-goal", "Real-time scoring.") in cues
    assert ("user", "Retention desk agents.") in cues
    assert ("user", "As a desk lead, I want a weekly list so that I can plan calls.") in cues
    assert ("must", "The export must arrive by 06:00.") in cues
    # A sentence wrapped over two lines is one cue, cited on both lines.
    should = next(f for f in result.facts if f.kind is FactKind.NOTE_LINE and f.detail.cue == "should")
    assert should.detail.text == "Scores should be reproducible from the same input."
    assert (should.source.span.start_line, should.source.span.end_line) == (25, 26)
    assert ("need", "We need to keep the raw file for 30 days.") in cues
    assert ("todo", "TODO: decide the threshold") in cues
    assert ("todo", "add a model card") in cues
    assert ("idea", "Idea: add tenure buckets") in cues
    assert ("question", "Could we reuse the CRM ids?") in cues
    assert ("question", "Q: who signs off the model?") in cues
    texts = [t for _, t in cues]
    assert "write the EDA notebook" not in texts  # a done task is not a cue
    assert not any("must not be read" in t for t in texts)  # code blocks are skipped


def test_metrics_in_notes() -> None:
    result = parse_notes("docs/notes.md", MARKDOWN)
    metrics = [f for f in result.facts if f.kind is FactKind.METRIC]
    # print("accuracy: 0.99") in the code block is code, not a measurement.
    assert [(f.name, f.detail.value, f.detail.unit) for f in metrics] == [
        ("baseline accuracy", 0.81, None),
    ]
    assert metrics[0].source.quote == "baseline accuracy: 0.81"
    assert (
        metrics[0].source.span.start_line
        == MARKDOWN.split("\n").index("baseline accuracy: 0.81 (logistic regression)") + 1
    )


RST = textwrap.dedent(
    """\
    ==========
    Forecaster
    ==========

    Daily demand forecast for the warehouse.

    Goals
    =====

    - Cut stock-outs by half.

    Open questions
    --------------

    - Which horizon do buyers need
    - Who owns the holiday calendar?

    Example::

        the service must ignore this literal block
    """
)


def test_rst_headings_and_levels() -> None:
    result = parse_notes("docs/index.rst", RST)
    sections = [f for f in result.facts if f.kind is FactKind.NOTE_SECTION]
    assert [(f.name, f.detail.level) for f in sections] == [
        ("Forecaster", 1),
        ("Goals", 2),
        ("Open questions", 3),
    ]
    assert sections[0].detail.text == "Daily demand forecast for the warehouse."
    cues = _cues(result)
    assert ("goal", "Cut stock-outs by half.") in cues
    # Under an "Open questions" heading a bullet is a question even without a "?".
    assert ("question", "Which horizon do buyers need") in cues
    assert not any("literal block" in t for _, t in cues)
    _resolves("docs/index.rst", RST, result)


TXT = textwrap.dedent(
    """\
    PROJECT NOTES

    We must keep the CSV format the finance team uses.

    Open issues:
    - the dedupe step is slow?
    - TODO add tests for the parser
    """
)


def test_txt_loose_headings() -> None:
    result = parse_notes("notes.txt", TXT)
    sections = [(f.name, f.detail.level) for f in result.facts if f.kind is FactKind.NOTE_SECTION]
    assert sections == [("PROJECT NOTES", 1), ("Open issues", 2)]
    assert _cues(result) == [
        ("must", "We must keep the CSV format the finance team uses."),
        ("question", "the dedupe step is slow?"),
        ("todo", "TODO add tests for the parser"),
    ]
    _resolves("notes.txt", TXT, result)


def test_txt_without_headings_is_one_section() -> None:
    text = "just a few thoughts\nthe api should retry twice\n"
    result = parse_notes("ideas.txt", text)
    sections = [f for f in result.facts if f.kind is FactKind.NOTE_SECTION]
    assert [(f.name, f.detail.text) for f in sections] == [("ideas", "just a few thoughts the api should retry twice")]
    assert _cues(result) == [("should", "just a few thoughts the api should retry twice")]
    assert len(result.chunks) == 1


def test_heading_that_merely_mentions_users_gives_no_user_cue() -> None:
    text = "# Churn prediction for users\n\n- a plain bullet\n- it must be fast\n"
    result = parse_notes("a.md", text)
    assert _cues(result) == [("must", "it must be fast")]


def test_long_section_is_split_into_chunks() -> None:
    paragraphs = "\n\n".join(f"Paragraph {i}. " + "word " * 80 for i in range(20))
    text = f"# Big\n\n{paragraphs}\n"
    result = parse_notes("big.md", text)
    assert len(result.chunks) > 1
    assert all(len(c.text) <= 2000 for c in result.chunks)
    assert result.chunks[0].span.start_line == 1
    _resolves("big.md", text, result)


def test_odd_input_never_raises() -> None:
    for text in ("", "\n\n", "#", "```\nunclosed fence", "====\n====", "\x00" * 10, "- " * 500):
        result = parse_notes("odd.md", text)
        assert isinstance(result, ParseResult)


@pytest.mark.parametrize(
    ("heading", "cue"),
    [
        ("Who uses it", "user"),
        ("Who runs it", "user"),
        ("Who is it for?", "user"),
        ("Audience", "user"),
        ("Stakeholders", "user"),
        ("Personas", "user"),
        ("Target users", "user"),
        ("Users", "user"),
        ("Goals", "goal"),
        ("Objectives", "goal"),
        ("What we want", "goal"),
        ("Success criteria", "goal"),
        ("Non-goals", "non-goal"),
        ("Out of scope", "non-goal"),
        ("Not in scope", "non-goal"),
    ],
)
def test_heading_gives_its_bullets_and_paragraphs_a_cue(heading: str, cue: str) -> None:
    text = f"# Tool\n\n## {heading}\n\n- **Ops team**: runs the nightly job.\n\nAnalysts run it by hand.\n"
    result = parse_notes("README.md", text)
    assert _cues(result) == [(cue, "**Ops team**: runs the nightly job."), (cue, "Analysts run it by hand.")]
    _resolves("README.md", text, result)


@pytest.mark.parametrize("heading", ["User interface", "Users table", "Customer churn model"])
def test_heading_starting_with_user_word_is_no_audience(heading: str) -> None:
    text = f"## {heading}\n\n- a plain bullet\n"
    assert _cues(parse_notes("a.md", text)) == []


def test_todo_only_when_it_starts_the_line() -> None:
    text = textwrap.dedent(
        """\
        # Eval

        Metrics: MAPE (see the FIXME in `app/forecast.py`) and RMSE, averaged over SKUs.

        | metric | note |
        |---|---|
        | MAPE | TODO skip zero days |

        - Saturdays sell ~2x (TODO in `app/forecast.py`).
        - **TODO**: add a weekday profile.
        - FIXME the date parser
        """
    )
    result = parse_notes("eval.md", text)
    assert _cues(result) == [
        ("todo", "**TODO**: add a weekday profile."),
        ("todo", "FIXME the date parser"),
    ]


def test_idea_only_when_it_starts_the_line_or_sits_under_ideas() -> None:
    text = textwrap.dedent(
        """\
        # Notes

        The idea: classify every new review with GPT. It could also tag languages.

        - Idea - cache answers for the top questions.
        - idea: batch 20 reviews per request

        ## Ideas

        - hybrid search for product codes
        """
    )
    result = parse_notes("notes.md", text)
    assert _cues(result) == [
        ("idea", "Idea - cache answers for the top questions."),
        ("idea", "idea: batch 20 reviews per request"),
        ("idea", "hybrid search for product codes"),
    ]


def test_lines_starting_a_cue_split_a_paragraph() -> None:
    text = "intro line\nTODO: try few-shot examples\nTODO: ask for 300 more labels\n"
    result = parse_notes("cell.md", text)
    facts = [f for f in result.facts if f.kind is FactKind.NOTE_LINE]
    assert [(f.detail.cue, f.detail.text, f.source.span.start_line) for f in facts] == [
        ("todo", "TODO: try few-shot examples", 2),
        ("todo", "TODO: ask for 300 more labels", 3),
    ]


@pytest.mark.parametrize(
    ("body", "text", "end"),
    [
        ("- The export must arrive\n  before six.\n", "The export must arrive before six.", 4),
        ("- The export must arrive\nbefore six.\n", "The export must arrive before six.", 4),
        ("  - The export must arrive\n  before six.\n", "The export must arrive before six.", 4),
        ("10. The export must arrive\n    before six.\n", "The export must arrive before six.", 4),
        ("- The export must\n\tarrive\n  before six.\n", "The export must arrive before six.", 5),
    ],
)
def test_multi_line_bullets_are_joined(body: str, text: str, end: int) -> None:
    doc = "# Requirements\n\n" + body
    result = parse_notes("r.md", doc)
    facts = [f for f in result.facts if f.kind is FactKind.NOTE_LINE]
    assert [(f.detail.text, f.source.span.start_line, f.source.span.end_line) for f in facts] == [(text, 3, end)]
    _resolves("r.md", doc, result)


def test_a_sentence_introducing_a_list_under_a_user_heading_is_no_user() -> None:
    text = "## Who uses it\n\nTwo groups use it:\n\n- Retention desk agents\n"
    assert _cues(parse_notes("a.md", text)) == [("user", "Retention desk agents")]
