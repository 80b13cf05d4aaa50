"""PDF -> page text -> numbered sections -> spaCy EntityRuler cues.

The ruler is a cheap first pass: it does not decide the clause type, it only gives the LLM
a hint and lets us measure how often the LLM disagrees with an obvious cue.
"""
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pdfplumber
import spacy
from django.conf import settings

# "12.", "12.1", "Section 12", "ARTICLE VII" at the start of a line
HEADING_RE = re.compile(
    r"^\s*(?:(?:section|article|clause)\s+[\dIVXLC]+[.:]?|\d{1,2}(?:\.\d{1,2})*\.?)\s+(?P<title>[A-Z][^\n]{2,80})$",
    re.IGNORECASE | re.MULTILINE,
)
MIN_SECTION_CHARS = 80
MAX_SECTION_CHARS = 6000  # longer sections are truncated before the LLM call


@dataclass
class Section:
    heading: str
    text: str
    page_start: int
    page_end: int
    ruler_labels: list[str] = field(default_factory=list)


def read_pages(path: str) -> list[str]:
    """Text of every page, 1 string per page. Empty strings for image-only pages."""
    with pdfplumber.open(path) as pdf:
        # x_tolerance 1.5 keeps words apart in the two-column NDAs
        return [(page.extract_text(x_tolerance=1.5) or "") for page in pdf.pages]


def split_sections(pages: list[str]) -> list[Section]:
    """Split on numbered headings, page by page.

    FIXME: a section that runs over a page break is cut in two at the page boundary;
    the second half has no heading and usually ends up as "other". Merging needs the
    running header/footer stripped first, which we have not done.
    """
    sections: list[Section] = []
    for page_no, text in enumerate(pages, start=1):
        matches = list(HEADING_RE.finditer(text))
        if not matches:
            if text.strip():
                sections.append(Section("", text.strip(), page_no, page_no))
            continue
        if matches[0].start() > 0 and text[: matches[0].start()].strip():
            sections.append(Section("", text[: matches[0].start()].strip(), page_no, page_no))
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            body = text[m.start():end].strip()
            sections.append(Section(m.group("title").strip(), body, page_no, page_no))
    return [s for s in sections if len(s.text) >= MIN_SECTION_CHARS]


@lru_cache(maxsize=1)
def build_nlp():
    """en_core_web_sm with an EntityRuler in front of the statistical NER."""
    nlp = spacy.load(settings.SPACY_MODEL, disable=["lemmatizer"])
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "LOWER"})
    ruler.from_disk(settings.RULER_PATTERNS)
    return nlp


def tag_sections(nlp, sections: list[Section]) -> list[Section]:
    texts = [s.text[:MAX_SECTION_CHARS] for s in sections]
    for section, doc in zip(sections, nlp.pipe(texts, batch_size=32)):
        labels = sorted({ent.label_ for ent in doc.ents if ent.label_.startswith("CLAUSE_")})
        section.ruler_labels = labels
        section.text = section.text[:MAX_SECTION_CHARS]
    return sections
