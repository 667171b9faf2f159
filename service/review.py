"""The designer's review inbox: messages the assistant misunderstood, grouped by meaning.

Candidates come from the analytics rows (`an_review`, redacted at derivation): turns that fell
back, routed with low confidence, needed a clarification, led to a handoff or a repair, or got a
thumbs-down. Open ones are embedded with the router's packaged MiniLM (`engine.router.embed`), the
vector joined with the router's probabilities over its labels (weighted `review_router_weight`), and
grouped by scikit-learn's agglomerative clustering (average linkage on cosine distance) into about
`review_groups_per_sqrt` x sqrt(n) groups, never splitting messages closer than
`review_cluster_distance`. The embedding alone puts different requests with shared words together
("cancel my order" / "track my order"); the router's reading separates them, and the embedding splits
what the router reads alike. Groups
are recomputed on each read; an action names its messages by id, so nothing changes without the
designer's click (see `review_actions`).
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import math
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Literal

import numpy as np
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from service.analytics.api import DAY, ERRORS, _filter, analytics, integrator
from service.analytics.queries import Filter

router = APIRouter()
EXAMPLES = 5
EMBED_CACHE = 20_000


class ReviewItem(BaseModel):
    id: str = Field(description="conversation_id:seq")
    conversation_id: str
    seq: int
    day: str
    text: str = Field(description="the shopper's message, redacted")
    reasons: list[str]
    label: str | None = Field(None, description="how the router read it")
    confidence: float | None = None
    link: str = Field(description="the conversation's transcript (GET, integrator key)")


class ReviewGroup(BaseModel):
    id: str
    count: int
    examples: list[str]
    reasons: dict[str, int]
    labels: dict[str, int] = Field(description="how the router read the group's messages")
    items: list[ReviewItem]


class Inbox(BaseModel):
    total: int
    groups: list[ReviewGroup]


class ReviewAction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["assign_intent", "add_faq", "ignore"]
    items: list[str] = Field(min_length=1, max_length=500, description="ids of the messages (conversation_id:seq)")
    intent: str | None = Field(None, max_length=64, description="assign_intent: the intent they mean")
    question: str | None = Field(None, max_length=500, description="add_faq: default the first message")
    answer: str | None = Field(None, max_length=2000, description="add_faq: the answer to quote")


class Embeddings:
    """MiniLM vectors by text, kept per app (bounded) so a page refresh embeds only new messages."""

    def __init__(self, size: int = EMBED_CACHE):
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self.size = size

    def __call__(self, texts: list[str]) -> np.ndarray:
        from engine.router import embed

        missing = [t for t in dict.fromkeys(texts) if t not in self._items]
        if missing:
            for text, vec in zip(missing, embed.encode(missing, threads=1)):
                self._items[text] = vec
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return np.stack([self._items[t] for t in texts]) if texts else np.zeros((0, embed.DIM), np.float32)


@dataclass(frozen=True)
class Grouping:
    """How the inbox groups: `router_weight` of the router's probabilities beside the unit-length MiniLM
    vector, about `per_sqrt` x sqrt(n) groups, and messages closer than `same_below` always together.
    Measured by bench/review_grouping.py (docs/analytics.md)."""

    router_weight: float = 3.0
    per_sqrt: float = 1.5
    same_below: float = 0.5

    @classmethod
    def of(cls, settings) -> Grouping:
        return cls(settings.review_router_weight, settings.review_groups_per_sqrt, settings.review_cluster_distance)


def features(vectors: np.ndarray, proba: np.ndarray | None, weight: float) -> np.ndarray:
    """Unit rows of [MiniLM vector, weight x router probabilities] (the vector alone without a router)."""
    x = vectors if proba is None or weight <= 0 else np.hstack([vectors, weight * proba])
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def target_groups(n: int, per_sqrt: float) -> int:
    return max(1, min(n, round(per_sqrt * math.sqrt(n))))


def cluster(x: np.ndarray, grouping: Grouping = Grouping(), vectors: np.ndarray | None = None) -> list[int]:
    """Group labels for feature rows: average linkage on cosine distance. When the MiniLM `vectors` alone
    (default: `x`) cut at `same_below` give no more groups than the target count, that cut is the
    answer (a small inbox keeps near-identical messages together); otherwise `x` is cut at the target."""
    if len(x) < 2:
        return [0] * len(x)
    from sklearn.cluster import AgglomerativeClustering

    def fit(rows: np.ndarray, **cut) -> np.ndarray:
        return AgglomerativeClustering(metric="cosine", linkage="average", **cut).fit_predict(rows)

    floor = fit(x if vectors is None else vectors, n_clusters=None, distance_threshold=grouping.same_below)
    n = target_groups(len(x), grouping.per_sqrt)
    labels = floor if int(floor.max()) + 1 <= n else fit(x, n_clusters=n)
    return [int(v) for v in labels]


def router_proba(router, texts: list[str], vectors: np.ndarray) -> np.ndarray | None:
    """The router's probabilities over its labels other than fallback, for each text (None for the
    keyword-rules router). Fallback says only "none of these", not what a message means, so it is left
    out: messages the router cannot place are grouped by their MiniLM vector. `vectors` are the texts'
    MiniLM embeddings, passed so the router does not encode them again."""
    proba = getattr(router, "proba", None)
    if proba is None:
        return None
    needs = bool(getattr(getattr(router, "scorer", None), "needs_embedding", False))
    keep = [i for i, label in enumerate(router.labels) if label != "fallback"]
    return np.stack([proba(t, v if needs else None)[keep] for t, v in zip(texts, vectors)])


def group_labels(texts: list[str], embeddings: Embeddings, router, grouping: Grouping) -> list[int]:
    vectors = embeddings(texts)
    proba = router_proba(router, texts, vectors) if texts and grouping.router_weight > 0 else None
    return cluster(features(vectors, proba, grouping.router_weight), grouping, vectors)


def open_items(db, f: Filter) -> list[ReviewItem]:
    where, params = f.where()
    where = (where + " AND" if where else " WHERE") + " status = 'open'"
    rows = db.query("SELECT id, conv_id, seq, day, text, reasons, label, confidence FROM an_review" + where +
                    " ORDER BY ts", params)
    return [ReviewItem(id=r[0], conversation_id=r[1], seq=r[2], day=r[3], text=r[4], reasons=json.loads(r[5]),
                       label=r[6], confidence=r[7], link=f"/v1/conversations/{r[1]}?limit=1000") for r in rows]


def group(items: list[ReviewItem], labels: list[int]) -> list[ReviewGroup]:
    by: dict[int, list[ReviewItem]] = {}
    for item, label in zip(items, labels):
        by.setdefault(label, []).append(item)
    out = []
    for members in by.values():
        ids = sorted(i.id for i in members)
        examples = list(dict.fromkeys(i.text for i in members))[:EXAMPLES]
        out.append(ReviewGroup(id=hashlib.sha1("\n".join(ids).encode()).hexdigest()[:12], count=len(members),
                               examples=examples, reasons=dict(Counter(r for i in members for r in i.reasons)),
                               labels=dict(Counter(i.label or "none" for i in members)), items=members))
    return sorted(out, key=lambda g: (-g.count, g.examples[0]))


async def inbox(app, f: Filter) -> Inbox:
    a = app.state.analytics
    await a.refresh()
    items = await asyncio.to_thread(open_items, a.db, f)
    embeddings = getattr(app.state, "review_embeddings", None)
    if embeddings is None:
        embeddings = app.state.review_embeddings = Embeddings()

    def work() -> list[int]:
        return group_labels([i.text for i in items], embeddings, app.state.engine.router,
                            Grouping.of(app.state.settings))

    labels = await asyncio.to_thread(work)
    return Inbox(total=len(items), groups=group(items, labels))


@router.get("/v1/review", response_model=Inbox, responses=ERRORS, tags=["review"])
async def get_review(request: Request, flow: str | None = Query(None, max_length=128),
                     start: str | None = Query(None, alias="from", pattern=DAY),
                     end: str | None = Query(None, alias="to", pattern=DAY)):
    """Open review messages grouped by meaning, largest group first."""
    await integrator(request)
    analytics(request)
    return JSONResponse((await inbox(request.app, _filter(flow, start, end))).model_dump())


@router.post("/v1/review/actions", responses=ERRORS, tags=["review"])
async def post_action(request: Request, body: ReviewAction):
    """assign_intent (append the messages to intents/review_<intent>.yaml, validated; then retrain in the
    background), add_faq (a knowledge/faq.yaml entry) or ignore."""
    from service import review_actions

    await integrator(request)
    return JSONResponse(await review_actions.apply(request.app, body))


@router.get("/v1/review/retrain", responses=ERRORS, tags=["review"])
async def retrain_status(request: Request):
    """The last retrain started from the inbox: its state and the route bench before and after."""
    from service import review_actions

    await integrator(request)
    return JSONResponse(review_actions.job(request.app).status())
