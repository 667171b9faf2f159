"""Hot reload: an `EngineHolder` owns a process's current Engine and swaps in a new one between turns.

Engines are read-only after load, so a reload builds a complete new Engine beside the running one
(new flows, or a retrained router) and replaces one reference under a lock. Each turn pins the
engine it started with (`Conversation.send` calls `current()` once), so a turn never mixes
versions. Invalid flows never replace valid ones: the errors are logged with file:line and the
running version stays. Conversations whose flow disappeared end politely on their next turn
(`drop_stale_frames`).
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .flows.loader import load_flows
from .flows.problems import FlowLoadError
from .rerun import CoalescingJob

if TYPE_CHECKING:
    from .knowledge.reload import KnowledgeReloader
    from .dialogue.context import TurnContext
    from .engine import Conversation, Engine

log = logging.getLogger("shoptalk.reload")

Trainer = Callable[[Path], Any]


@dataclass(frozen=True)
class ReloadOutcome:
    """What one reload attempt did; `problems` are `file:line:col: error: ...` lines when it failed."""

    kind: Literal["flows", "router", "knowledge"]
    ok: bool
    version: int
    message: str
    problems: tuple[str, ...] = ()
    at: float = field(default_factory=time.time)


def retrain_from_intents(project_dir: Path) -> Any:
    """The router's public API: load models/router/, retraining first because intents changed."""
    from .router import load_router

    return load_router(project_dir, progress=False)


class EngineHolder:
    """The current Engine of one process, with the Engine methods the service calls.

    Conversations made here keep the holder (not one Engine), so after a swap their next turn runs
    on the new version. Swaps are serialised by a lock and always start from the engine current at
    that moment, so a flow reload and a router retrain never undo each other. A retrain runs in a
    background thread; edits made while it trains are picked up by one more run when it finishes.
    """

    def __init__(self, engine: Engine, *, trainer: Trainer = retrain_from_intents):
        self._engine = engine
        self._trainer = trainer
        self._swap_lock = threading.Lock()
        self._retrain = CoalescingJob(self._train_once, "shoptalk-retrain")
        self._knowledge_lock = threading.Lock()
        self.version = 0
        self.history: list[ReloadOutcome] = []   # newest last, bounded
        self._knowledge: KnowledgeReloader | None = None

    # -- the Engine surface -------------------------------------------------------------------
    def current(self) -> Engine:
        return self._engine

    def __getattr__(self, name: str) -> Any:
        """Other Engine attributes (flows, store, router, answerer, project_dir) of the current one."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._engine, name)

    def new_conversation(self, conversation_id: str | None = None) -> Conversation:
        conv = self._engine.new_conversation(conversation_id)
        conv.engine = self
        return conv

    def restore(self, conversation_id: str, snapshot: dict[str, Any]) -> Conversation:
        conv = self._engine.restore(conversation_id, snapshot)
        conv.engine = self
        return conv

    def flow_catalog(self) -> list[dict[str, str]]:
        return self._engine.flow_catalog()

    def health(self) -> dict[str, str]:
        return self._engine.health()

    # -- reloading ----------------------------------------------------------------------------
    def _record(self, kind: Literal["flows", "router", "knowledge"], ok: bool, message: str,
                problems: tuple[str, ...] = ()) -> ReloadOutcome:
        outcome = ReloadOutcome(kind, ok, self.version, message, problems)
        self.history = (self.history + [outcome])[-20:]
        return outcome

    def swap(self, **changes: Any) -> int:
        """Replace the engine by a copy with `changes` (flows=..., router=...); returns the new version."""
        with self._swap_lock:
            self._engine = self._engine.replace(**changes)
            self.version += 1
            return self.version

    def reload_flows(self) -> ReloadOutcome:
        """Load flows/ again; swap only when they load without errors."""
        project = self._engine.project_dir
        if project is None:
            return self._record("flows", False, "the engine was not loaded from a project folder")
        try:
            flows = load_flows(project / "flows", root=project)
        except FlowLoadError as exc:
            problems = tuple(str(p) for p in exc.problems if p.severity == "error")
            log.error("flows changed but have errors; still running version %d:\n%s", self.version,
                      "\n".join(problems))
            return self._record("flows", False, f"{len(problems)} error(s); kept version {self.version}", problems)
        version = self.swap(flows=flows)
        log.info("flows reloaded: version %d (%d flows)", version, len(flows.flows))
        return self._record("flows", True, f"version {version}: {len(flows.flows)} flows")

    def retrain_router(self) -> threading.Thread | None:
        """Retrain the router from intents/ in the background and swap it in when ready.

        Returns the training thread (None when the engine routes by keyword rules, which use no
        intents). A call while training runs schedules one more run after it."""
        from .understand import RuleRouter

        if isinstance(self._engine.router, RuleRouter):
            log.info("intents changed; the keyword-rules router does not use them, nothing to retrain")
            return None
        return self._retrain.start()

    def _train_once(self) -> None:
        from .router import IntentFileError

        project = self._engine.project_dir
        started = time.perf_counter()
        log.info("intents changed: retraining the router in the background (version %d keeps serving)",
                 self.version)
        try:
            router = self._trainer(project)
        except IntentFileError as exc:
            problems = tuple(str(p) for p in exc.problems)
            log.error("intents changed but have errors; the running router stays:\n%s", "\n".join(problems))
            self._record("router", False, f"{len(problems)} error(s); router kept", problems)
            return
        except Exception as exc:  # a failed training must not take the service down
            log.exception("router retraining failed; the running router stays")
            self._record("router", False, f"training failed: {exc}")
            return
        version = self.swap(router=router)
        seconds = time.perf_counter() - started
        log.info("router retrained in %.1f s and swapped in: version %d", seconds, version)
        self._record("router", True, f"version {version}: router retrained in {seconds:.1f} s")

    def reload_knowledge(self) -> threading.Thread:
        """Rebuild the generator's knowledge index from knowledge/ in the background and swap it in."""
        from .knowledge.reload import KnowledgeReloader

        with self._knowledge_lock:
            if self._knowledge is None:
                self._knowledge = KnowledgeReloader(self)
        return self._knowledge.start()

    def wait_for_training(self, timeout: float | None = None) -> bool:
        """Block until a running retrain has finished (tests, shutdown); True when none is running."""
        return self._retrain.wait(timeout)


WAITING_AT = "reload:step"  # frame.context key: the step a frame waits at (":" keeps it out of templates)


def _step_key(step) -> str:
    """What identifies a waiting point across edits: kind, id and slot (auto ids are `kind_index`,
    so a collect inserted before another gets the old id; the slot tells them apart). Wording may change."""
    return f"{step.kind}:{step.id}:{step.slot or ''}"


def note_waiting_steps(state, flows) -> None:
    """Remember which step each waiting frame waits at, so a reload can tell whether that question
    still exists at the same place (see `_fits`)."""
    for frame in state.stack:
        flow = flows.flows.get(frame.flow_id)
        if frame.waiting is not None and flow is not None and frame.step < len(flow.steps):
            frame.context[WAITING_AT] = _step_key(flow.steps[frame.step])


def _fits(frame, flows) -> bool:
    """Whether a frame can go on under these flows: its flow exists and the step it waits at is still
    the same step (kind, id, slot) at the same place. An edit that moves it is not guessed at."""
    flow = flows.flows.get(frame.flow_id)
    if flow is None:
        return False
    if frame.waiting is None:
        return frame.step <= len(flow.steps)
    if frame.step >= len(flow.steps):
        return False
    step = flow.steps[frame.step]
    key = _step_key(step)
    return step.kind == frame.waiting and frame.context.get(WAITING_AT, key) == key


def drop_stale_frames(ctx: TurnContext) -> bool:
    """After a reload: remove frames whose flow was removed (or whose waiting step changed kind),
    with the sub-flows they called (an `authenticate` run for a removed `return_items`).

    Returns True when the active flow was among them: the shopper is told politely and this turn
    does nothing else (their message answered a question that no longer exists)."""
    stack = ctx.state.stack
    if all(_fits(f, ctx.flows) for f in stack):
        return False
    kept, culprit, dropping = [], None, False
    for frame in stack:
        unfit = not _fits(frame, ctx.flows)
        dropping = unfit or (dropping and frame.called)
        if not dropping:
            kept.append(frame)
            continue
        culprit = frame if unfit else culprit
        gone = frame.flow_id not in ctx.flows.flows
        ctx.log("flow_ended", flow=frame.flow_id, reason="flow_removed" if gone else "flow_changed")
    ctx.state.stack = kept
    if not dropping:  # the active flow is fine; only flows below it went
        return False
    what = culprit.flow_id.replace("_", " ")
    reason = "is no longer available" if culprit.flow_id not in ctx.flows.flows else "was changed while we were talking"
    ctx.state.stack = []
    ctx.say(f"Sorry, \u201c{what}\u201d {reason}, so I've stopped it. Nothing more was changed. "
            "What else can I help you with?")
    return True
