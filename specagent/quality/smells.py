"""Requirement smells after INCOSE's Guide to Writing Requirements and ISO/IEC/IEEE 29148.

A rule-based detector: word lists and a few syntactic patterns, no model. Each smell is defined
in ``evals/README.md`` (the labelling guide the eval data follows); ``specagent eval --smells``
measures this detector against those labels.

Decision on negative statements: a prohibition (``shall not`` + one concrete action or precise
state) is allowed. The ``negative`` smell is kept for double negatives, negated vague or
subjective qualities, and statements of what is *not* required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The fixed smell vocabulary (also the label set of ``evals/data/requirements.jsonl``).
SMELLS: tuple[str, ...] = (
    "vague",
    "subjective",
    "comparative",
    "loophole",
    "open_ended",
    "non_verifiable",
    "compound",
    "passive",
    "pronoun",
    "negative",
)

#: One line per smell: what a reader is told.
DESCRIPTIONS: dict[str, str] = {
    "vague": "vague term",
    "subjective": "subjective term",
    "comparative": "comparative or superlative with no measurable reference",
    "loophole": "loophole lets the implementer opt out",
    "open_ended": "open-ended list or scope",
    "non_verifiable": "quality with no measurable criterion (give a number and unit)",
    "compound": "compound requirement (split it: one requirement per sentence)",
    "passive": "passive voice without an actor (name who does it)",
    "pronoun": "unclear pronoun as subject (name the thing)",
    "negative": "negation the reader must invert or cannot test",
}


@dataclass(frozen=True, slots=True)
class Smell:
    """One smell found in a sentence; ``evidence`` is the words that triggered it."""

    kind: str
    evidence: str

    def message(self) -> str:
        """One line for a person: what is wrong and which words."""
        return f"{DESCRIPTIONS[self.kind]}: '{self.evidence}'"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Imprecise quantifiers and frequencies: vague, but they do not make the requirement a quality.
VAGUE_QUANTITY = _words(
    """some several many few various numerous most regularly periodically frequently
    occasionally often sometimes generally usually normally typically approximately roughly
    mostly almost nearly suspicious recent handful countless plenty common commonly modest
    moderate moderately extensive extensively occasional long long-running"""
)
# Unbounded degree, size, speed and time words: vague; when nothing is measured, the
# requirement they qualify is a quality with no criterion (non-verifiable).
VAGUE_QUALITY = _words(
    """enough sufficient sufficiently adequate adequately reasonable reasonably acceptable
    acceptably appropriate appropriately proper properly relevant large small big huge tiny
    high highly low fast slow quick quickly rapid rapidly timely soon promptly minimal
    efficient efficiently significant significantly substantial substantially considerable
    considerably short lightweight heavy heavyweight snappy speedy swift instant
    instantly brief compact excessive undue negligible snappily decent decently"""
)
VAGUE_PHRASES = re.compile(
    r"\b(a lot of|lots of|a number of|a few|(?:near )?real[- ]time|as soon as|"
    r"too (?:much|many|long|slow|large|small|high|low|often|few))\b"
)
SUBJECTIVE = _words(
    """user-friendly easy easily intuitive intuitively simple clear clearly nice beautiful
    attractive modern elegant seamless seamlessly smooth smoothly graceful gracefully good bad
    helpful useful state-of-the-art cutting-edge cost-effective powerful high-quality
    convenient pleasant friendly polished confusing cluttered ugly difficult
    well-designed world-class best-in-class top-notch fair great excellent superior premium
    awesome delightful sleek engaging readable understandable straightforward hassle-free
    effortless effortlessly appealing rich natural meaningful"""
)
SUBJECTIVE_PHRASES = re.compile(r"\b(user friendly|easy to \w+|hard to \w+)\b")
# "well" is subjective as a manner adverb ("handle noisy audio well"), not in "as well as".
WELL_RE = re.compile(r"(?<!as )\bwell\b(?! as\b)")
COMPARATIVE = _words(
    """better worse best worst faster slower quicker cheaper cheapest fastest slowest quickest
    higher lower greater smaller larger bigger highest lowest largest smallest easier easiest
    improved improve improves improvement enhance enhanced optimal optimally optimum optimise
    optimize optimised optimized minimise minimize maximise maximize outperform outperforms
    surpass surpasses superior industry-leading market-leading class-leading"""
)
# "kept to a minimum" is "minimise" in other words.
COMPARATIVE_PHRASES = re.compile(r"\bto (?:a|the) (?:minimum|maximum)\b")
# A comparison against a number is a bound, not a smell: "more than 5%", "lower than 0.6".
NUMERIC_COMPARISON = re.compile(r"^(?:than|or equal to|to)?\s*(?:[$€£]?\d|one|two|three|four|five|ten)")
MORE_LESS = re.compile(r"\b(more|less)\s+(\w[\w-]*)")
MOST_ADJ = re.compile(r"\bmost\s+(\w[\w-]*)")
LOOPHOLE = re.compile(
    r"\b((?:if|where|when|whenever) (?:possible|feasible|practical|practicable|appropriate|"
    r"necessary|needed|applicable|required)|as (?:far|much|soon) as possible|\w+est possible|"
    r"as (?:appropriate|necessary|needed|applicable)|as required(?! by)|to the extent "
    r"(?:possible|practical|practicable|feasible)|ideally|preferably|(?:try|tries|attempts?|"
    r"aims?|strives?) to|best[- ]effort|if time permits|as soon as (?:practicable|practical|"
    r"feasible)|(?:when|where|if) (?:practicable|relevant|desired|sensible)|reasonable efforts?|"
    r"unless (?:impractical|infeasible)|endeavou?rs? to|circumstances permitting|"
    r"\w+est \w+ (?:achievable|attainable|practicable)|as \w+ as (?:is )?(?:achievable|attainable|practicable))\b"
)
OPEN_ENDED = re.compile(
    r"(\betc\b\.?|\band so (?:on|forth)\b|\band the like\b|\band more\b|\bamong others\b|"
    r"\band others\b|\b(?:and|or) (?:any |many )?other\b|\bamong other things\b|\.\.\.|…|"
    r"\b(?:or|and) similar\b|\bsuch as\b|\be\.g\.|\bfor (?:example|instance)\b|"
    r"\b(?:including )?but not limited to\b|(?<!would )(?<!should )(?<!looks )\blike\s+(?!to\b)"
    r"(?=[a-z]))"
)
# Quality words that, stated with no measure, leave a requirement unverifiable.
QUALITY_ADJ = _words(
    """accurate available reliable robust scalable secure performant responsive reproducible
    maintainable usable portable stable resilient fault-tolerant biased unbiased fair
    extensible flexible consistent correct"""
)
QUALITY_ADV = _words("""accurately reliably securely robustly correctly consistently automatically""")
QUALITY_VERB = re.compile(r"\b(scale[sd]?|protect(?:ed|s)?|perform(?:s|ed)?|avoid|handle|degrade|crash|hang)\b")
MEASURE = re.compile(
    r"\d|\b(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twice|half|"
    r"halve|hundred|thousand|million|billion|percentile|p\d\d)\b"
)
MODAL = re.compile(r"\b(shall|must|should|will)\b")
PRONOUNS = _words("it this that they these those he she")
CONDITION_START = re.compile(r"^(when|while|if|where|once|after|before|during|whenever|unless)\b")
# Base forms of verbs requirements use; "and <verb>" after the modal starts a second action.
ACTION_VERBS = _words(
    """accept add alert allow archive authenticate block build cache calculate charge check
    clean close compute convert copy create delete deliver deploy detect disable display
    download drop emit enable encrypt enforce export fail fetch flag forward generate halve
    handle hash ignore import index inform ingest insert install keep kill label launch list
    load lock log mark merge migrate move notify open parse pause persist post print process
    produce publish purge push queue raise read rebuild record redirect refresh register
    reject reload remove render replace report request reset resume retry return revoke
    rotate route run save schedule score send set show skip sort start stop store stream
    submit switch sync tag terminate trigger truncate unlock update upload validate verify
    warn write accept acknowledge aggregate annotate apply approve assign attach audit back
    broadcast bundle call cancel capture clear collect commit compare compile compress
    configure confirm connect crawl crop decode decrypt decompress deduplicate define
    deny describe destroy detach discard dispatch draw edit email encode enqueue escalate
    evaluate evict execute expire extract fill filter finish flush format freeze grant
    highlight increment inject invalidate invoke join limit link match measure monitor
    mount normalise normalize obtain page pin play poll predict preserve prompt provision
    prune query rank re-run recompute recover reduce refund reindex rename repair replay
    replicate request resize resolve respect respond restart restore retain retrain
    review rollback sample sanitize scan search seed select serve share sign snapshot
    split stage summarise summarize suspend throttle train transcode transform translate
    transmit unpack unsubscribe upgrade use wait watch wrap zip"""
)
DETERMINERS = _words("the a an each every all its their it them any this that these those")
NOT_VERBS = _words("of in on to for with from by at as per into onto over under than or and")
COMPOUND_JOIN = re.compile(r"(?:,?\s+(?:and|or)|,|\bas well as)\s+(\w+)\s+(\w+)")
# Past participles that do not end in -ed (the passive needs one after "be").
IRREGULAR_PARTICIPLES = _words(
    """built kept sent shown known held run set put read written given taken made done
    seen found paid sold told thrown drawn driven hidden broken chosen frozen spoken stolen
    bound brought bought caught fed hung laid led left lost meant met shut split spread
    struck taught thought understood withdrawn won worn upheld overridden rewritten rebuilt
    reset"""
)
# Words ending in -ed that, after "be", are adjectives rather than passives.
ED_ADJECTIVES = _words(
    """biased unbiased detailed advanced sophisticated experienced skilled complicated
    interested qualified concerned tired excited need needed unused unchanged unaffected
    unmodified unrelated untouched unauthenticated unauthorized unsupported undefined
    unexpected unlimited"""
)
PASSIVE = re.compile(
    r"\b(?:shall|must|should|will|may|can)(?: not| never)? be(?: \w+ly)?(?: (rate|auto|pre|re))?"
    r" (\w+)\b"
)
AGENT = re.compile(r"^(?:\s*\S+){0,6}?\s+by\s+(the|a|an|each|every|its|their|[A-Z]\w*)\b")
NOT_REQUIRED = re.compile(
    r"\b(need not|needs not|(?:is|are) not (?:necessary|needed|required)|not necessary|"
    r"(?:does|do) not (?:have|need) to|no need to)\b"
)
DOUBLE_NEGATIVE = re.compile(
    r"\b(?:not|never)\s+(?:\w+\s+)?(?:fail|omit|neglect|forget|refuse|prevent|avoid|lack)\b|"
    r"\bnot\s+(?:\w+\s+){0,2}(?:fewer|less|more)\s+than\b|\bnot\s+(?:be\s+)?un\w+|\bnot\s+without\b"
)
NEGATION = re.compile(r"\b(not|never)\b((?:\s+[\w-]+){1,5})")
CODE_SPAN = re.compile(r"`[^`]*`")
# Two or more capitalised words inside a sentence are a name ("Payload Too Large", "Light
# Curtain Monitor"): their words are not degree or opinion words.
TITLE_NAME = re.compile(r"(?<=[\w,(\"'] )(?:[A-Z][\w-]*\s+){1,5}[A-Z][\w-]*")
# A rationale ("..., so that reviewers can trace it") says why, not what: it adds no requirement.
RATIONALE = re.compile(r",?\s+(?:so that|in order that)\b.*$")
# "read the file and write its rows": when the first verb only takes input and the second one's
# object points back to it, the two verbs describe one behaviour ("queue edits and sync them"
# stays two: queueing has an outcome of its own).
BACK_REFERENCE = _words("it its them their")
INPUT_VERBS = _words("read parse load fetch receive take pull decode consume scan retrieve")
WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")


def _clean(text: str) -> str:
    """Lower-case prose with code spans and link targets masked (identifiers are not words)."""
    text = CODE_SPAN.sub(" CODE ", text)
    text = TITLE_NAME.sub(" NAME ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    # Paths and routes are identifiers too; "and/or" is a word (the compound smell needs it).
    text = re.sub(r"(?<!\S)(?!and/or\b)\S*\w/\S+|\S+\.(?:py|md|json|csv|ya?ml|toml|ipynb)\b", " PATH ", text)
    return " ".join(text.split())


def _main_start(low: str) -> int:
    """Where the clause holding the modal verb starts: an EARS precondition is cut off."""
    m = MODAL.search(low)
    if not m:
        return 0
    head = low[: m.start()]
    if CONDITION_START.match(low) and "," in head:
        start = head.rfind(",") + 1
        rest = low[start:]
        start += len(rest) - len(rest.lstrip())
        if low.startswith("then ", start):
            start += len("then ")
        return start
    return 0


def _main_clause(low: str) -> str:
    """The clause holding the modal verb."""
    return low[_main_start(low) :]


def _is_word_in(words: list[str], vocab: frozenset[str]) -> list[str]:
    return [w for w in words if w in vocab]


def _comparatives(low: str, words: list[str]) -> list[str]:
    hits: list[str] = []
    for m in re.finditer(r"\b[\w-]+\b", low):
        w = m.group(0)
        if w not in COMPARATIVE:
            continue
        rest = low[m.end() :].lstrip()
        if NUMERIC_COMPARISON.match(rest):
            continue
        hits.append(w)
    for m in re.finditer(r"\b(\w{3,}er) than\b", low):
        word = m.group(1)
        if (
            word not in COMPARATIVE
            and word not in ("other", "rather", "later")
            and (not NUMERIC_COMPARISON.match(low[m.end() :].lstrip()))
        ):
            hits.append(m.group(0))
    for m in MORE_LESS.finditer(low):
        nxt = m.group(2)
        if nxt in ("than", "of", "data", "items", "rows") or nxt[0].isdigit():
            continue
        before = low[: m.start()].rstrip()
        if before.endswith(("and", "no", "or", "any")):
            continue
        hits.append(m.group(0))
    hits += [m.group(0) for m in COMPARATIVE_PHRASES.finditer(low)]
    for m in MOST_ADJ.finditer(low):
        if m.group(1) in ("recent", "of", "once", "twice") or low[: m.start()].endswith("at "):
            continue
        if m.group(1).endswith(("ive", "ble", "ent", "ant", "ful", "ous", "ate", "ic", "al")):
            hits.append(m.group(0))
    return hits


def _vague(low: str, words: list[str]) -> tuple[list[str], list[str]]:
    """(quantity words, quality words) that are vague, skipping loophole phrases."""
    no_loophole = LOOPHOLE.sub(" ", low)
    ws = WORD.findall(no_loophole)
    qty = _is_word_in(ws, VAGUE_QUANTITY)
    # "most recent" names one thing; "most" before a noun is a vague quantity.
    qty = [w for w in qty if not (w == "recent" and "most recent" in low)]
    if "most" in qty and not re.search(r"(?<!at )\bmost (?!recent\b)[a-z]+s\b", no_loophole):
        qty.remove("most")
    qual = _is_word_in(ws, VAGUE_QUALITY)
    qual += [m.group(0) for m in VAGUE_PHRASES.finditer(no_loophole)]
    return qty, qual


def _compound(main: str) -> str | None:
    modals = MODAL.findall(main)
    if len(modals) >= 2:
        return f"{modals[0]} ... {modals[1]}"
    if "and/or" in main:
        return "and/or"
    m = MODAL.search(main)
    if not m:
        return None
    tail = RATIONALE.sub("", main[m.end() :])
    first_verb = next(iter(tail.split()), "")
    for j in COMPOUND_JOIN.finditer(tail):
        verb, nxt = j.group(1), j.group(2)
        # The evidence quotes the join as written (", commit" or "or send", not always "and").
        joined = " ".join(j.group(0)[: j.start(2) - j.start()].split())
        if nxt in BACK_REFERENCE and first_verb in INPUT_VERBS:
            continue
        # In a bare comma list ("phone numbers, email addresses") a verb-looking word is a noun
        # unless a determiner follows it (", return the id").
        separator = j.group(0)[: j.start(1) - j.start()].strip()
        if separator == "," and nxt not in DETERMINERS:
            continue
        if verb in ACTION_VERBS and nxt not in ("and", "or", "of", "to"):
            return joined
        # "... and <word> the|a|each ...": a word between "and" and a determiner is a verb.
        if nxt in DETERMINERS and verb not in DETERMINERS and verb not in NOT_VERBS:
            return joined
    return None


def _passive(main: str, original_main: str) -> str | None:
    """``main`` lower-cased; ``original_main`` the same clause as written (for proper names)."""
    if not MODAL.search(main):
        # "It is required that the model be retrained": the requirement sits in a that-clause.
        main = re.sub(r"\bthat\b(.*?)\bbe\b", r"that\1shall be", main, count=1)
        original_main = main
    for m in PASSIVE.finditer(main):
        word = m.group(2)
        if word in ED_ADJECTIVES:
            continue
        if not (word.endswith("ed") or word in IRREGULAR_PARTICIPLES):
            continue
        if AGENT.match(original_main[m.end() :]):
            continue
        return m.group(0)
    return None


def _pronoun(main: str, low: str) -> str | None:
    for m in MODAL.finditer(low):
        before = low[: m.start()].rstrip()
        toks = before.split()
        if not toks:
            continue
        prev = toks[-1]
        if prev not in PRONOUNS:
            continue
        clause_start = len(toks) == 1 or toks[-2].endswith(",") or toks[-2] in ("and", "then")
        if clause_start and not (prev == "that" and len(toks) > 1 and not toks[-2].endswith(",")):
            return prev
    return None


def _negative(low: str, smelly_words: set[str]) -> str | None:
    m = NOT_REQUIRED.search(low)
    if m:
        return m.group(0)
    m = DOUBLE_NEGATIVE.search(low)
    if m:
        return m.group(0)
    main = _main_clause(low)
    for m in NEGATION.finditer(main):
        window = m.group(2).split()
        if any(w.strip(",.") in smelly_words or w in ("too", "less", "more") for w in window):
            return f"{m.group(1)}{m.group(2)}"
    return None


def _quality_predicates(main: str, main_words: list[str]) -> list[str]:
    """Quality adjectives stated as what the thing shall be, stay or be kept."""
    link = r"\b(?:be|remain|stay|keep \w+(?: \w+)?|make \w+(?: \w+)?)(?: \w+)?"
    return [w for w in main_words if w in QUALITY_ADJ and re.search(rf"{link} {w}\b", main)]


def detect(text: str) -> list[Smell]:
    """Every smell in one requirement sentence (at most one finding per kind)."""
    cleaned = _clean(text)
    low = cleaned.lower()
    words = WORD.findall(low)
    main = _main_clause(low)
    found: dict[str, str] = {}

    qty, qual = _vague(low, words)
    if qty or qual:
        found["vague"] = (qty + qual)[0]
    # "clear the cache" is a verb; "mark the sector as bad" is a label, not an opinion.
    subj = [
        w
        for w in _is_word_in(words, SUBJECTIVE)
        if not (w == "clear" and re.search(r"\b(?:shall|must|should|will|to) clear\b", low))
        and not re.search(rf"\b(?:mark\w*|flag\w*|label\w*|tag\w*) [\w ]*\bas {w}\b", low)
    ]
    subj += [m.group(0) for m in SUBJECTIVE_PHRASES.finditer(low)]
    if WELL_RE.search(main) and not re.search(r"\bwell-\w", main):
        subj.append("well")
    if subj:
        found["subjective"] = subj[0]
    comps = _comparatives(low, words)
    if comps:
        found["comparative"] = comps[0]
    m = LOOPHOLE.search(low)
    if m:
        found["loophole"] = m.group(0)
    m = OPEN_ENDED.search(low)
    if m:
        found["open_ended"] = m.group(0).strip()

    measured = bool(MEASURE.search(low))
    if not measured:
        main_words = WORD.findall(main)
        reason = (
            ([w for w in qual if w in main] if qual else [])
            + subj
            + comps
            + _quality_predicates(main, main_words)
            + _is_word_in(main_words, QUALITY_ADV)
            + [v.group(0) for v in QUALITY_VERB.finditer(main)]
        )
        if reason:
            found["non_verifiable"] = reason[0]

    compound = _compound(main)
    if compound:
        found["compound"] = compound
    passive = _passive(main, cleaned[_main_start(low) :])
    if passive:
        found["passive"] = passive
    pronoun = _pronoun(main, low)
    if pronoun:
        found["pronoun"] = pronoun
    smelly = set(VAGUE_QUALITY | VAGUE_QUANTITY | SUBJECTIVE | COMPARATIVE | QUALITY_ADJ)
    negative = _negative(low, smelly)
    if negative:
        found["negative"] = negative
    return [Smell(kind, found[kind]) for kind in SMELLS if kind in found]


def smell_kinds(text: str) -> set[str]:
    """The kinds of smell in ``text``."""
    return {s.kind for s in detect(text)}
