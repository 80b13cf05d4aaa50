"""The eval suite: draft every corpus prototype, score the drafts, compare with a baseline.

Also runs the smell-accuracy eval. Library code: it returns results, writes reports when asked,
and reports progress as events. The drafter comes from ``settings`` (offline when no model is
set), so a ``--model`` run is the same call with another Settings; extra scorers (an LLM judge)
join through the :class:`Judge` protocol.

Scores are taken by :mod:`scoring`, gated by :mod:`baseline` and written out by :mod:`reports`;
the sets of prototypes are :mod:`sets`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from specagent.config import Settings
from specagent.errors import InputPathError
from specagent.evals.results import EvalReport, PrototypeScore
from specagent.evals.scoring import Judge, category_totals, evaluate_prototype, totals
from specagent.evals.sets import EVAL_SETS, EvalTarget, discover_set
from specagent.events import EventSink, StageFinished, StageProgress, StageStarted, null_sink
from specagent.quality.smell_eval import SmellScores, load_sentences, score_splits


def _drafter(scores: Sequence[PrototypeScore], settings: Settings) -> str:
    """The drafter as the drafts themselves name it (``llm:local`` resolves to its model file)."""
    named = sorted({p.drafter for p in scores if p.drafter})
    if named:
        return ", ".join(named)
    return f"llm:{settings.model}" if settings.model else "offline"


def run_eval(
    corpus: Path | None = None,
    *,
    settings: Settings | None = None,
    on_event: EventSink = null_sink,
    judges: Sequence[Judge] = (),
    targets: Sequence[EvalTarget] | None = None,
    replay_root: Path | None = None,
    only: Sequence[str] | None = None,
) -> EvalReport:
    """Draft and score every prototype of ``corpus`` (or the given ``targets``; those named in
    ``only``).

    With ``replay_root``, each prototype's model answers come from ``replay_root/<name>``
    (recorded by ``draft --record``), so a model eval reruns without calling the model.
    """
    settings = settings or Settings()
    if targets is None:
        if corpus is None:
            raise InputPathError("nothing to evaluate: give a corpus folder or targets")
        targets = discover_set("corpus", corpus)
    if only:
        unknown = sorted(set(only) - {t.name for t in targets})
        if unknown:
            raise InputPathError(f"no prototype {', '.join(unknown)} in the eval set")
        targets = [t for t in targets if t.name in set(only)]
    on_event(StageStarted("eval", total=len(targets)))
    started = time.perf_counter()
    scores = []
    for done, target in enumerate(targets, start=1):
        on_event(StageProgress("eval", done - 1, len(targets), target.name))
        here = settings
        if replay_root is not None:
            here = settings.model_copy(update={"replay_dir": Path(replay_root) / target.name})
        scores.append(evaluate_prototype(target.root, settings=here, judges=judges, target=target))
        on_event(StageProgress("eval", done, len(targets), target.name))
    on_event(StageFinished("eval", time.perf_counter() - started, f"{len(targets)} prototypes"))
    sets = sorted({p.set for p in scores}, key=lambda s: EVAL_SETS.index(s) if s in EVAL_SETS else 99)
    return EvalReport(
        drafter=_drafter(scores, settings),
        corpus=str(corpus) if corpus is not None else ", ".join(sets),
        prototypes=scores,
        totals=totals(scores),
        set_totals={s: totals([p for p in scores if p.set == s]) for s in sets},
        categories={s: category_totals([p for p in scores if p.set == s]) for s in sets},
    )


def run_smell_eval(data: Path) -> dict[str, SmellScores]:
    """Score the smell detector on every split of ``data`` and on all of it."""
    return score_splits(load_sentences(Path(data)))
