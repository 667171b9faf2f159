"""The designer's review inbox: messages the assistant misunderstood, grouped by meaning.

Candidates come from the analytics rows (`an_review`, redacted at derivation): turns that fell
back, routed with low confidence, needed a clarification, led to a handoff or a repair, or got a
thumbs-down. Open ones are embedded with the router's packaged MiniLM (`engine.router.embed`) and
grouped by scikit-learn's agglomerative clustering (average linkage on cosine distance, cut at
`review_cluster_distance`), so many near-identical messages become one group with a count. Groups
are recomputed on each read; an action names its messages by id, so nothing changes without the
designer's click (see `review_actions`).
"""
from __future__ import annotations

import asyncio
import hashlib
import json
from collections import Counter, OrderedDict
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


def cluster(vectors: np.ndarray, distance: float) -> list[int]:
    """Group labels for L2-normalised vectors: average linkage, cosine distance cut at `distance`."""
    if len(vectors) < 2:
        return [0] * len(vectors)
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance)
    return [int(x) for x in model.fit_predict(vectors)]


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
        return cluster(embeddings([i.text for i in items]), app.state.settings.review_cluster_distance)

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
