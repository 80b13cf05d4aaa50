"""The LLM drafter: start from the offline spec, ask the model per section group over
code-chosen evidence, validate and repair, and add what passes.

Observed items of the offline draft are never removed or reworded; the model adds items
(provenance *inferred*, or *decision* for proposed targets and questions) and fills the empty
summary of a bare interface or component.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from specagent.config import Settings, user_cache_dir
from specagent.errors import ModelError
from specagent.events import EventSink, StageFinished, StageProgress, StageStarted, Warned, null_sink
from specagent.llm.cache import ResponseCache
from specagent.llm.chat import Answer, BudgetExhausted, ChatClient, ChatModel, make_chat_model
from specagent.llm.local import LocalServer, is_local, local_model
from specagent.llm.provider import Provider, provider_from
from specagent.llm.record import Recorder, Replayer
from specagent.llm.structured import strict_schema
from specagent.llm.usage import Usage
from specagent.pipeline.agent.check import ItemErrors, check_answer, negated_goals, with_ears_wording, without
from specagent.pipeline.agent.prompts import load_prompt
from specagent.pipeline.agent.review import apply_review, plan_review, review_enabled, to_review
from specagent.pipeline.agent.sections import PLANNERS, Job, Proposal, Search, apply, settle_gaps, to_proposal
from specagent.quality.truth import RepoText
from specagent.spec.model import Spec

GROUPS: tuple[str, ...] = tuple(PLANNERS)


@dataclass
class AgentReport:
    """What the model drafting did: usage, and what validation dropped or demoted."""

    model: str
    usage: Usage
    added: int = 0
    dropped: int = 0
    demoted: int = 0
    settled: int = 0  # gap questions turned into requests to confirm what the model filled in
    sections: dict[str, str] = field(default_factory=dict)  # group -> "ok", "skipped", "failed: ..."
    warnings: list[str] = field(default_factory=list)
    stopped: str | None = None  # why the budget stopped the run


def render_messages(job: Job, project: str) -> tuple[list[dict[str, str]], str]:
    """The messages of a job's first request, and the prompt version (part of the cache key)."""
    system = load_prompt("system")
    prompt = load_prompt(job.group)
    user = prompt.render(project=project, known=job.known, evidence=job.evidence.render(), max_items=5)
    if job.focus:
        user += f"\nA person asked for this change (follow it only within the rules above): {job.focus}\n"
    version = f"system:{system.version},{job.group}:{prompt.version}"
    return [{"role": "system", "content": system.render(project=project)}, {"role": "user", "content": user}], version


SHORTER = (
    "\n\nNote: an earlier answer was too long and was cut off at the length limit. "
    "Give at most two items per list, in short sentences, as compact JSON."
)


def _repair_message(errors: list[str]) -> str:
    listed = "\n".join(f"- {e}" for e in errors[:12])
    return f"Your answer has these errors:\n{listed}\nAnswer again with the whole JSON object, corrected."


def _validation_lines(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors()[:8]:
        where = ".".join(str(p) for p in err["loc"]) or "answer"
        got = err.get("input")
        shown = f" (got {str(got)[:60]!r})" if isinstance(got, str | int | float) else ""
        out.append(f"{where}: {err['msg']}{shown}")
    return out


@dataclass
class Outcome:
    """A group's result: the proposal to apply (the answer, for the review), and counts for the report."""

    proposal: Proposal | None
    answer: BaseModel | None = None  # what passed validation
    dropped: int = 0
    demoted: int = 0
    warnings: list[str] = field(default_factory=list)
    status: str = "ok"


def draft_group(job: Job, client: ChatClient, repo: RepoText, project: str, rounds: int) -> Outcome:
    """Ask, validate, repair (at most ``rounds`` times); keep what passes.

    Raises :class:`BudgetExhausted` when the budget stops a call, and ModelError when the
    endpoint fails.
    """
    messages, version = render_messages(job, project)
    first = messages
    schema = strict_schema(job.schema)
    answer_model = None
    errors = ItemErrors()
    for round_no in range(rounds + 1):
        reply: Answer = client.ask(
            f"{job.group} (round {round_no})",
            messages,
            schema_name=job.schema.__name__,
            schema=schema,
            max_tokens=job.max_tokens,
            prompt_version=version,
        )
        problems: list[str]
        if reply.finish_reason == "length":
            problems = ["your answer was cut off at the length limit: give fewer, shorter items"]
            answer_model = None
        else:
            try:
                answer_model = with_ears_wording(job.schema.model_validate_json(reply.json_text))
            except ValidationError as exc:
                answer_model = None
                problems = _validation_lines(exc)
            else:
                errors = check_answer(answer_model, job.evidence, repo)
                # Smells go back once: a second round on wording alone is not worth a slow call.
                problems = errors.lines(with_smells=round_no == 0)
        if not problems:
            break
        if round_no < rounds and reply.finish_reason == "length":
            # A cut answer is not sent back: it would cost as many prompt tokens as it wasted.
            shorter = [*first[:-1], {"role": "user", "content": first[-1]["content"] + SHORTER}]
            if shorter == messages:
                break  # asked that already: at temperature 0 the answer would be the same
            messages = shorter
        elif round_no < rounds:
            messages = [
                *messages,
                {"role": "assistant", "content": reply.content},
                {"role": "user", "content": _repair_message(problems)},
            ]
    if answer_model is None:
        return Outcome(
            None,
            status="failed",
            warnings=[f"{job.group}: the model's answer was still invalid after {rounds} repairs; nothing added"],
        )
    return _verdict(job, answer_model, errors)


def _verdict(job: Job, answer: BaseModel, errors: ItemErrors) -> Outcome:
    """What of a valid answer is kept, dropped or demoted to an open question, with a warning
    for each item that is not kept as it is."""
    outcome = Outcome(None)
    dropped: dict[str, str] = {}

    def drop(path: str, why: str) -> None:
        if path not in dropped:
            dropped[path] = why
            outcome.warnings.append(f"{job.group}: dropped {path}: {why}")

    for path in sorted(negated_goals(answer) - set(errors.hard)):
        drop(path, "it only negates a goal")
    for path, messages in errors.hard.items():
        drop(path, messages[0])
    demote = {p: m[0] for p, m in errors.quote.items() if p not in dropped}
    if job.group != "risks":
        # Only risks carry quotes; elsewhere a failing item is dropped.
        for path, why in demote.items():
            drop(path, why)
        demote = {}
    for path in demote:
        outcome.warnings.append(f"{job.group}: {path} demoted to an open question: {demote[path]}")
    for path, messages in errors.smells.items():
        # Still vague or not EARS after its repair round: fewer right requirements beat noisy ones.
        drop(path, messages[0])
    outcome.dropped = len(dropped)
    outcome.demoted = len(demote)
    outcome.answer = without(answer, set(dropped))
    if job.group in PLANNERS:
        outcome.proposal = to_proposal(job, outcome.answer, demote)
    return outcome


@contextmanager
def open_client(settings: Settings, on_event: EventSink = null_sink) -> Iterator[ChatClient]:
    """The chat client ``settings`` describe: replay, or a real endpoint (starting the local model
    server for ``--model local``), with the cache and recorder switched on as asked."""
    model = settings.model or ""
    with ExitStack() as stack:
        cache = None
        if settings.cache and settings.replay_dir is None:
            cache_dir = Path(settings.cache_dir).expanduser() if settings.cache_dir else user_cache_dir()
            cache = ResponseCache(cache_dir / "responses.sqlite")
            stack.callback(cache.close)
        recorder = Recorder(Path(settings.record_dir)) if settings.record_dir else None
        if settings.replay_dir is not None:
            replayer = Replayer(Path(settings.replay_dir))
            # A recording made with --model local names the file it ran; replaying needs no model
            # installed, so the recorded name stands in for "local".
            local_names = sorted(m for m in replayer.models if m.startswith("local:"))
            name = local_names[0] if is_local(model) and local_names else model
            yield ChatClient(name, None, where=f"replay {settings.replay_dir}", replayer=replayer, recorder=recorder)
            return
        if is_local(model):
            local = local_model(model, on_event=on_event)
            name = f"local:{local.name}"

            def start_local() -> ChatModel:
                # Started on the first call the cache cannot answer: a cached re-draft starts nothing.
                server = stack.enter_context(LocalServer(local, port=settings.local_port, on_event=on_event))
                provider = Provider(
                    api_key="local",
                    base_url=server.base_url,
                    timeout_s=max(settings.request_timeout_s, 600.0),
                    max_retries=settings.max_retries,
                )
                return make_chat_model(local.alias, provider)

            chat: ChatModel | Callable[[], ChatModel] = start_local
            provider_where = "the local model server"
        else:
            provider = provider_from(settings, f"--model {model}")
            name = model
            chat = make_chat_model(model, provider)
            provider_where = provider.where
        yield ChatClient(
            name,
            chat,
            where=provider_where,
            cache=cache,
            recorder=recorder,
            max_calls=settings.max_calls,
            max_cost=settings.max_cost,
        )


def draft_with_model(
    spec: Spec,
    texts: Mapping[str, str],
    *,
    settings: Settings,
    search: Search | None,
    project: str,
    on_event: EventSink = null_sink,
    groups: tuple[str, ...] = GROUPS,
    client: ChatClient | None = None,
) -> AgentReport:
    """Add what the model drafts to ``spec`` in place; return usage and what was dropped.

    Evidence is gathered first, in this thread (the index is not shared across threads); the
    calls then run ``settings.jobs`` at a time. A spent budget stops the remaining groups and
    keeps what was drafted; an endpoint failure is a one-line ModelError.
    """
    with ExitStack() as stack:
        if client is None:
            client = stack.enter_context(open_client(settings, on_event))
        report = AgentReport(model=client.model, usage=client.usage)
        repo = RepoText(texts)
        jobs: list[Job] = []
        for group in groups:
            job = PLANNERS[group](spec, dict(texts), search)
            if job is None or not job.evidence.blocks:
                report.sections[group] = "skipped (nothing to draft)"
                continue
            jobs.append(job)
        review = review_enabled(settings, client.model)
        total = len(jobs) + int(review)
        started = time.perf_counter()
        on_event(StageStarted("model", total=total))

        def run(job: Job) -> Outcome:
            return draft_group(job, client, repo, project, settings.repair_rounds)

        done = 0
        with ThreadPoolExecutor(max_workers=max(1, settings.jobs)) as pool:
            futures = [(job, pool.submit(run, job)) for job in jobs]
            outcomes: list[tuple[Job, Outcome | BaseException]] = []
            for job, future in futures:
                try:
                    outcomes.append((job, future.result()))
                except BudgetExhausted as exc:
                    outcomes.append((job, exc))
                except ModelError:
                    for _, other in futures:
                        other.cancel()
                    raise
                done += 1
                on_event(StageProgress("model", done, total, job.group))
        # Applied in group order, whatever order the calls finished in: IDs stay stable.
        for job, outcome in outcomes:
            if isinstance(outcome, BaseException):
                report.sections[job.group] = f"not drafted: {outcome}"
                report.stopped = str(outcome)
                continue
            report.warnings.extend(outcome.warnings)
            report.dropped += outcome.dropped
            report.demoted += outcome.demoted
            if outcome.proposal is None:
                report.sections[job.group] = outcome.status
                continue
            report.added += apply(spec, outcome.proposal)
            report.sections[job.group] = "ok"
        if review and report.stopped is None:
            _review(spec, dict(texts), client, repo, project, settings.repair_rounds, report)
            on_event(StageProgress("model", total, total, "review"))
        report.settled = settle_gaps(spec)
        if report.stopped:
            report.warnings.append(f"budget exhausted ({report.stopped}): kept what was drafted")
        for message in report.warnings:
            on_event(Warned(message))
        on_event(StageFinished("model", time.perf_counter() - started, client.usage.summary()))
        return report


def _review(
    spec: Spec,
    texts: dict[str, str],
    client: ChatClient,
    repo: RepoText,
    project: str,
    rounds: int,
    report: AgentReport,
) -> None:
    """Ask the model which inferred items to drop or merge; apply what passes validation."""
    job = plan_review(spec, texts)
    if job is None:
        report.sections["review"] = "skipped (no inferred item)"
        return
    try:
        outcome = draft_group(job, client, repo, project, rounds)
    except BudgetExhausted as exc:
        report.sections["review"] = f"not drafted: {exc}"
        report.stopped = str(exc)
        return
    report.warnings.extend(outcome.warnings)
    report.dropped += outcome.dropped
    if outcome.answer is None:
        report.sections["review"] = outcome.status
        return
    dropped, merged, warnings = apply_review(spec, to_review(job, outcome.answer))
    report.warnings.extend(warnings)
    report.sections["review"] = f"ok: {dropped} dropped, {merged} merged"


def describe(report: AgentReport) -> str:
    """The report as one JSON line (for logs and the eval notes)."""
    return json.dumps(
        {
            "model": report.model,
            "calls": report.usage.calls,
            "cached": report.usage.cached,
            "tokens_in": report.usage.tokens_in,
            "tokens_out": report.usage.tokens_out,
            "added": report.added,
            "dropped": report.dropped,
            "demoted": report.demoted,
            "settled": report.settled,
            "sections": report.sections,
        }
    )
