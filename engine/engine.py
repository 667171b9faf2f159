"""The Python API: `Engine.load(...)`, `engine.new_conversation()`, `conversation.send(text)`.

One turn walks straight down: understand (trigger or router, entities) -> interpret into
commands -> apply them to the state machine -> run flow steps (which call the store) -> Turn.
The state is copied before the turn and only replaced when the turn completes, so an error
never leaves a conversation half-changed.
"""
from __future__ import annotations

import logging
import queue
import re
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .contracts import Route, Turn
from .dialogue import answers
from .dialogue.context import TurnContext
from .dialogue.deliberation import decided_text
from .dialogue.follow_up import SWAP_FLOWS
from .dialogue.interpret import interpret
from .dialogue.understanding import Understanding
from .dialogue.machine import FlowRuntimeError, advance, expecting, reprompt_if_silent
from .dialogue.state import DialogueState
from .flows.loader import load_flows
from .flows.model import FlowSet
from .language import gate_for, other_language
from .understand import (SUPPORTED_PART, CombinedExtractor, RouteContext, RuleRouter, TriggerError, clean_text,
                         parse_trigger)
from .pasted_lines import without_field_labels
from .voice_typing import as_meant

log = logging.getLogger("shoptalk.engine")


def _either_swap(r: Route) -> str | None:
    """The likelier item swap when the router split between the two (only the order's status tells them apart)
    more than it believed anything else."""
    swaps = [c for c in r.top[:3] if c.label in SWAP_FLOWS.values()]
    total = sum(c.score for c in swaps)
    return swaps[0].label if len(swaps) == 2 and total >= max(SUPPORTED_PART, r.threshold or 0.0) \
        and total > r.top[0].score else None


# The words that make a part a request ("I'd like to", "can you"): a later part said without them
# ("... and also return something") is routed with them, as the shopper meant it.
_REQUEST_HEAD = re.compile(r"\b(?:i(?:'d|\s+would)?\s+(?:also\s+)?(?:like|want|need)\s+to|i\s+wanna|can\s+you|could\s+you"
                           r"|please)\s+", re.I)


# (see Conversation._goals) a later part's floor, and the task verb it must open with
LATER_TASK_PART = 0.3
_TASK_OPENING = re.compile(r"^\W*(?:please\s+|also\s+|then\s+)*(?:cancel|return|exchange|change|modify|update|swap|"
                           r"switch|fix|correct|refund|send\s+back)\b", re.I)


class Engine:
    """Flows, store, router and generator, shared by all conversations (read-only after load)."""

    def __init__(self, flows: FlowSet, store: Any, router: Any, extractor: Any, answerer: Any = None,
                 project_dir: Path | None = None):
        self.flows, self.store, self.router, self.extractor = flows, store, router, extractor
        self.answerer = answerer
        self.project_dir = project_dir

    @classmethod
    def load(cls, project_dir: str | Path = ".", *, store_path: str | Path | None = None, store: Any = None,
             router: Any = "auto", generator: Any = "auto", spacy: bool | None = None) -> Engine:
        """Load a project. `store_path`: a store path or URL (engine.store.open_store picks the backend);
        `router`: "auto" (trained if available), "rules", or a router object;
        `generator`: "auto" (loaded on first open question), None (pattern_fallback), or an answerer."""
        from .slots.extract import RuleExtractor
        from .store import open_store

        project_dir = Path(project_dir).resolve()
        flows = load_flows(project_dir / "flows", root=project_dir)
        store = store if store is not None else open_store(store_path)
        extractors: list[Any] = [RuleExtractor.from_seed()]
        if router == "auto":
            router = _load_router(project_dir)
        elif router == "rules":
            router = RuleRouter()
        if spacy or (spacy is None and not isinstance(router, RuleRouter)):
            extractors.append(_load_spacy())
        extractor = CombinedExtractor([e for e in extractors if e is not None])
        answerer = _LazyAnswerer(project_dir) if generator == "auto" else generator
        gate_for(project_dir, strict=True)  # the language identifier loads now (~2 s), not on a message
        return cls(flows, store, router, extractor, answerer, project_dir)

    def current(self) -> Engine:
        """The engine a turn runs on; an `engine.reload.EngineHolder` answers with its latest Engine."""
        return self

    def replace(self, **changes: Any) -> Engine:
        """A new Engine sharing everything but `changes` (flows=, router=): what a hot reload swaps in."""
        fields = dict(flows=self.flows, store=self.store, router=self.router, extractor=self.extractor,
                      answerer=self.answerer, project_dir=self.project_dir)
        unknown = set(changes) - set(fields)
        if unknown:
            raise TypeError(f"Engine.replace: unknown fields {sorted(unknown)}")
        return type(self)(**{**fields, **changes})

    def new_conversation(self, conversation_id: str | None = None) -> Conversation:
        return Conversation(self, DialogueState(conversation_id=conversation_id or uuid.uuid4().hex))

    def restore(self, conversation_id: str, snapshot: dict[str, Any]) -> Conversation:
        state = DialogueState.model_validate({**snapshot, "conversation_id": conversation_id})
        return Conversation(self, state)

    def flow_catalog(self) -> list[dict[str, str]]:
        return self.flows.catalog()

    def health(self) -> dict[str, str]:
        out = {"flows": f"ok ({len(self.flows.flows)} flows)"}
        try:
            self.store.list_all_product_types()
            out["store"] = "ok"
        except Exception as exc:  # reported, not raised: health must answer
            out["store"] = f"error: {exc}"
        describe = getattr(self.router, "describe", None)  # which model answers (quick / full router)
        out["router"] = f"ok ({describe() if callable(describe) else type(self.router).__name__})"
        out["generator"] = "ok" if self.answerer is not None else "disabled"
        return out


def _load_router(project_dir: Path) -> Any:
    try:
        from .router import load_router
    except ImportError as exc:
        log.warning("trained router unavailable (%s); using keyword rules", exc)
        return RuleRouter()
    return load_router(project_dir)


def _load_spacy() -> Any:
    try:
        from .nlu import SpacyExtractor
    except ImportError:
        return None
    return SpacyExtractor.from_seed() if hasattr(SpacyExtractor, "from_seed") else SpacyExtractor()


class _LazyAnswerer:
    """Loads the generator on the first open question, so scripted turns never wait for it."""

    def __init__(self, project_dir: Path):
        self.project_dir, self._answerer, self._lock = project_dir, None, threading.Lock()

    def get(self) -> Any:
        with self._lock:
            if self._answerer is None:
                from .generator import load_answerer

                self._answerer = load_answerer(self.project_dir)
            return self._answerer

    def loaded(self) -> Any:
        """The generator if a question loaded it (waiting for a load in progress), else None."""
        with self._lock:
            return self._answerer

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)


def _pressed(buttons: list[dict[str, str]], text: str, numbers: bool = True) -> str | None:
    """The payload of the button whose label the shopper typed ("Refund method: PayPal"), or whose
    place in the list they typed ("2", as the buttons are numbered in chat clients) unless the open
    question itself takes a number (`numbers` False)."""
    said = " ".join(text.lower().split()).rstrip(".!")
    if numbers and re.fullmatch(r"[0-9]{1,2}", said) and 1 <= int(said) <= len(buttons) and buttons[int(said) - 1]["payload"].startswith("/"):
        return buttons[int(said) - 1]["payload"]
    for b in buttons:
        if " ".join(b["title"].lower().split()) == said and b["payload"].startswith("/"):
            return b["payload"]
    return None


class Conversation:
    """One shopper's conversation. Not thread-safe: the service serialises turns per conversation.

    `engine` is an Engine or an `EngineHolder`; each turn runs on `engine.current()`, read once."""

    def __init__(self, engine: Any, state: DialogueState):
        self.engine, self.state = engine, state

    @property
    def id(self) -> str:
        return self.state.conversation_id

    def snapshot(self) -> dict[str, Any]:
        return self.state.model_dump(mode="json")

    def send(self, text: str, *, on_token: Any = None) -> Turn:
        """Process one shopper message and return everything it produced."""
        from .reload import drop_stale_frames, note_waiting_steps

        engine = self.engine.current()  # pinned: a hot reload swaps engines between turns, never within
        text = clean_text(text)  # at most MAX_TEXT characters, no lone surrogates or control characters
        state = self.state.working_copy()
        state.turn += 1
        ctx = TurnContext(state, engine.flows, engine.store, engine.extractor.extract,
                          fallback=self._fallback_hook(engine, on_token))
        state.say("user", text)
        ctx.log("user", text=text)
        text = as_meant(text)  # the transcript keeps what was typed; the rules read "#W3931703", not "w 3 9 3 1 7 0 3"
        route: Route | None = None
        if drop_stale_frames(ctx):  # the flow it was in was removed by a reload: ended politely
            self.state = state
            return self._turn(ctx, Route(label="flow_removed", confidence=1.0, decided_by="reload"))
        if (said := other_language(engine, ctx, text)) is not None:  # a language it does not speak
            self.state = state
            return self._turn(ctx, said)
        try:
            understanding = self._understand(engine, ctx, text)
            commands = interpret(ctx, understanding)
            route = understanding.route  # the conversation's rules may have decided (answer first, ...)
            ctx.log("route", label=route.label, confidence=route.confidence, decided_by=route.decided_by)
            for command in commands:
                ctx.log("command", command=type(command).__name__)
                answers.apply(ctx, command, text, route.label)
            advance(ctx)
            reprompt_if_silent(ctx)
        except TriggerError as exc:
            ctx.say(f"I couldn't read that button: {exc}.")
            route = Route(label="invalid_trigger", confidence=1.0, decided_by="trigger")
        except FlowRuntimeError as exc:
            log.error("flow error in conversation %s: %s", self.id, exc)
            ctx.log("flow_error", error=str(exc))
            ctx.say(f"Sorry, I hit a problem in this conversation's script and stopped it: {exc}")
            state.stack.clear()
        note_waiting_steps(state, engine.flows)
        state.buttons = [{"title": b.title, "payload": b.payload} for m in ctx.messages for b in m.buttons][:20]
        self.state = state
        return self._turn(ctx, route)

    def send_stream(self, text: str) -> Iterator[dict[str, Any]]:
        """Like `send`, yielding `{"type": "token", "text"}` for generated text, then the turn."""
        events: queue.Queue = queue.Queue()
        done = object()

        def work() -> None:
            try:
                events.put({"type": "turn", "turn": self.send(text, on_token=lambda t: events.put({"type": "token", "text": t}))})
            except BaseException as exc:  # surfaced to the caller below, never lost
                events.put({"type": "error", "error": exc})
            events.put(done)

        threading.Thread(target=work, daemon=True).start()
        while (item := events.get()) is not done:
            if item["type"] == "error":
                raise item["error"]
            yield item

    # -- internals -----------------------------------------------------------------------
    def _understand(self, engine: Engine, ctx: TurnContext, text: str) -> Understanding:
        trigger = parse_trigger(_pressed(ctx.state.buttons, text, numbers=not self._asks_a_number(ctx)) or text)
        if trigger is not None:
            return Understanding(text, Route(label=trigger[0], confidence=1.0, decided_by="trigger",
                                             entities=trigger[1]), trigger=trigger)
        rctx = self._route_context(ctx)
        if ctx.state.top is None or ctx.state.top.waiting is None:  # "Keep it? Return it? Eh, I'll exchange it"
            text = without_field_labels(text)  # "Order status: pending. ...": what an email said, not asked
            text = decided_text(text) or text  # the options weighed before the decision are not asked for
        return Understanding(text, routing=lambda: engine.router.route(text, rctx),
                             route_part=engine.router.route, goals=self._goals(engine, ctx, text))

    @staticmethod
    def _goals(engine: Engine, ctx: TurnContext, text: str) -> list[tuple[str, str]]:
        """With no question open, the flow each part of a several-part message asks for
        ("cancel the kettle order and return the lamp"): interpret queues them."""
        if ctx.state.top is not None and ctx.state.top.waiting is not None:
            return []
        from .dialogue.goal_split import borrowed_verb, goal_parts
        from .dialogue.reading import asks_for_something
        from .dialogue.task_words import unsaid

        try:
            from .router import segments
            from .router.clauses import is_request
        except ImportError:  # no numpy/scikit-learn: split on the joints between requests only
            def segments(t: str) -> list[str]:
                return []

            def is_request(t: str) -> bool:
                return False
        parts = goal_parts(text, segments(text))[:4]
        # only parts shaped like a request: "...to medium, grey; 6mm, green" lists options, and "I got a
        # package and it was all wet" tells a story before the request
        # ("For #W1 I want to pay with my mastercard. Also the speaker should be blue": a wish is a request)
        # "change the payment on #W1 to paypal and the address on it to ...": the verb said once, for both parts
        parts = [borrowed_verb(p, parts[k - 1]) or p if k else p for k, p in enumerate(parts)]
        parts = [p for p in parts if asks_for_something(p) or is_request(p)]
        if len(parts) < 2:
            return []  # one request: the whole message's route decides, no part is routed again
        goals, head = [], ""
        for part in parts:
            own = _REQUEST_HEAD.search(part)
            head = own.group(0) if own else head  # "I'd like to exchange X and also return Y": Y's head too
            r = engine.router.route(part if own else head + part)
            # a later part opening with a task verb of its own ("..., and change a helmet on another order") is a
            # goal when a task leads the router's reading of it, however lukewarm
            later = bool(goals) and _TASK_OPENING.match(part) is not None
            # a request-shaped part, lukewarm alone, is still a goal: the task the router leans to (for a later part
            # opening with a task verb, "..., and change a helmet on another order", the likeliest task)
            # (never a payment or address change the part says nothing of: "change some items on another order")
            def task(c: Any) -> bool:
                return engine.flows.by_intent(c.label) is not None and not unsaid(c.label, part)
            leaned = next((c for c in r.top if task(c)), None) if later else (
                r.top[0] if r.top and task(r.top[0]) else None)
            if engine.flows.by_intent(r.label) is not None and r.decided_by.startswith("classifier"):
                goals.append((r.label, part))
            elif r.decided_by == "threshold" and leaned is not None \
                    and leaned.score >= (LATER_TASK_PART if later else SUPPORTED_PART):
                goals.append((leaned.label, part))
            elif r.decided_by == "threshold" and (swap := _either_swap(r)) is not None:
                goals.append((swap, part))  # "change a garden hose in another one": the order's status decides which
        return goals

    @staticmethod
    def _asks_a_number(ctx: TurnContext) -> bool:
        top = ctx.state.top
        if top is None or top.waiting != "collect":
            return False
        flow = ctx.flow(top)
        return flow.slots[flow.steps[top.step].slot].type in ("number", "zip", "text", "free_text")

    def _route_context(self, ctx: TurnContext) -> Any:
        top = ctx.state.top
        fields: dict[str, Any] = {"active_flow": top.flow_id if top else None}
        if top is not None and top.waiting == "collect":
            flow = ctx.flow(top)
            slot = flow.slots[flow.steps[top.step].slot]
            fields.update(expecting_slot=slot.name, expecting_type=slot.type)
        elif top is not None and top.waiting == "confirm":
            fields.update(expecting_slot="confirmation", expecting_type="boolean")
        return RouteContext(**fields)

    def _fallback_hook(self, engine: Engine, on_token: Any):
        answerer = engine.answerer
        if answerer is None:
            return None

        def fallback(text: str, ctx: TurnContext, beside_task: bool = False) -> None:
            """Answer an open question. Beside a task that starts, the answer is not streamed (it may be left
            out) and one that only says the documents do not cover it is left out."""
            from .generator.answerer import FlowInfo

            running = {f.flow_id for f in ctx.state.stack}  # the task in progress is not offered as a new one
            flows = [FlowInfo(id=f["id"], title=f["title"], payload=f["payload"], description=f["description"])
                     for f in engine.flow_catalog() if f["id"] not in running]
            if on_token is not None and not beside_task and hasattr(answerer, "stream_answer"):
                final = None
                for event in answerer.stream_answer(text, flows=flows):
                    kind = event.get("type") if isinstance(event, dict) else getattr(event, "type", None)
                    if kind == "token":
                        on_token(event["text"] if isinstance(event, dict) else event.text)
                    elif kind in ("final", "answer", "done"):
                        final = event["answer"] if isinstance(event, dict) else event.answer
                result = final
            else:
                result = answerer.answer(text, flows=flows)
            if beside_task and result.source == "scope":
                ctx.log("generated", source=result.source, left_out="a task starts beside it")
                return
            ctx.say(result.text, list(result.buttons), source=result.source)
            ctx.log("generated", source=result.source, supported=getattr(result, "supported", None),
                    sources=[s if isinstance(s, dict) else str(s) for s in getattr(result, "sources", [])])

        return fallback

    def _turn(self, ctx: TurnContext, route: Route | None) -> Turn:
        state = ctx.state
        return Turn(
            conversation_id=self.id, messages=ctx.messages, expecting=expecting(ctx) if state.stack else None,
            active_flow=state.top.flow_id if state.top else None,
            flow_stack=[f.flow_id for f in state.stack], actions=ctx.actions, route=route,
            slots=state.values(), events=ctx.events, ended=_ended(ctx),
        )


def _ended(ctx: TurnContext) -> bool:
    """The conversation is over: handed to a person, or a goodbye with no task left. A finished task is
    no end: the shopper goes on talking (an empty flow stack is `flow_stack == []`)."""
    handed_off = any(a.name == "transfer_to_human_agents" and a.ok for a in ctx.actions)
    goodbye = any(e.get("type") == "flow_started" and e.get("flow") == "pattern_goodbye" for e in ctx.events)
    return not ctx.state.stack and (handed_off or goodbye)
