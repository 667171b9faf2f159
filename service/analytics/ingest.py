"""Bring the analytics rows up to date with the tracker, incrementally and off the turn's path.

`Analytics.refresh()` lists the conversations the tracker changed since the last refresh (minus a
margin for clocks and commits in flight), re-derives each one whose stored turn count moved, and
replaces its rows in one transaction. Review rows keep the designer's decision (`status`) across
re-derivations. Endpoints call `refresh` before answering, at most once per `refresh_seconds`.
Counters for Prometheus move by what changed, so they only ever grow.
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

from service.analytics import derive as d
from service.analytics.db import AnalyticsDB
from service.analytics.source import changed_since, turn_records

MARGIN_SECONDS = 5.0


@dataclass
class RefreshResult:
    scanned: int
    derived: int
    purged: int


class Analytics:
    """The analytics of one app: database, settings, engine (for flows) and tracker."""

    def __init__(self, db: AnalyticsDB, tracker, engine, settings, counters=None):
        self.db, self.tracker, self.engine, self.settings, self.counters = db, tracker, engine, settings, counters
        self._lock = asyncio.Lock()
        self._last = 0.0

    @property
    def flows(self):
        return getattr(self.engine, "flows", None)

    async def refresh(self, *, force: bool = False) -> RefreshResult | None:
        """Derive what changed; skipped (None) when the last refresh is younger than refresh_seconds."""
        async with self._lock:
            now = time.time()
            if not force and now - self._last < self.settings.analytics_refresh_seconds:
                return None
            self._last = now
            since = float(await asyncio.to_thread(self.db.get_meta, "watermark", "0") or 0)
            changed = await changed_since(self.tracker, max(0.0, since - MARGIN_SECONDS))
            known = await asyncio.to_thread(self._known, [c[0] for c in changed])
            derived = 0
            cutoff = now - self.settings.retention_days * 86400 if self.settings.retention_days > 0 else 0.0
            for conv_id, seq, updated in changed:
                if known.get(conv_id) == seq or seq == 0 or updated < cutoff:
                    continue
                records = await self._records(conv_id)
                if records:
                    await asyncio.to_thread(self._store, conv_id, records)
                    derived += 1
            await asyncio.to_thread(self.db.set_meta, "watermark", repr(now))
            purged = await asyncio.to_thread(self.purge, now)
            return RefreshResult(len(changed), derived, purged)

    def _known(self, ids: list[str]) -> dict[str, int]:
        """The turn counts already derived for these conversations (the database work runs in a thread:
        with PostgreSQL it is a network round trip, kept off the event loop that runs turns)."""
        out: dict[str, int] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out.update(self.db.query(f"SELECT conv_id, seq FROM an_conversations WHERE conv_id IN "
                                     f"({','.join('?' * len(chunk))})", chunk))
        return out

    async def _records(self, conv_id: str) -> list[dict]:
        return await turn_records(self.tracker, conv_id)

    def _store(self, conv_id: str, records: list[dict]) -> d.ConversationFacts:
        down = frozenset(int(r[0]) for r in self.db.query(
            "SELECT seq FROM an_feedback WHERE conv_id=? AND thumb=-1 AND seq IS NOT NULL", (conv_id,)))
        facts = d.derive(conv_id, records, self.flows, low_confidence=self.settings.review_low_confidence,
                         thumbs_down=down)
        before = {r[0]: r[1] for r in self.db.query("SELECT n, outcome FROM an_tasks WHERE conv_id=?", (conv_id,))}
        old_seq = (self.db.query("SELECT seq FROM an_conversations WHERE conv_id=?", (conv_id,)) or [(0,)])[0][0]
        statements = [("DELETE FROM an_tasks WHERE conv_id=?", (conv_id,)),
                      ("DELETE FROM an_turns WHERE conv_id=?", (conv_id,)),
                      ("INSERT INTO an_conversations (conv_id, seq, last_ts, first_ts) VALUES (?,?,?,?) "
                       "ON CONFLICT (conv_id) DO UPDATE SET seq=excluded.seq, last_ts=excluded.last_ts",
                       (conv_id, facts.seq, facts.last_ts, facts.first_ts))]
        statements += [("INSERT INTO an_tasks VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", d.task_row(conv_id, t))
                       for t in facts.tasks]
        statements += [("INSERT INTO an_turns VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", d.turn_row(conv_id, t))
                       for t in facts.turns]
        statements += [("INSERT INTO an_review (id, conv_id, seq, ts, day, text, reasons, label, confidence, flow, "
                        "status) VALUES (?,?,?,?,?,?,?,?,?,?,'open') ON CONFLICT (id) DO UPDATE SET "
                        "reasons=excluded.reasons, text=excluded.text",
                        (f"{conv_id}:{r.seq}", conv_id, r.seq, r.ts, d.day_of(r.ts), r.text, json.dumps(r.reasons),
                         r.label, r.confidence, r.flow)) for r in facts.review]
        self.db.transaction(statements)
        if self.counters is not None:
            self.counters.moved(facts, before, old_seq)
        return facts

    def dirty(self, conv_id: str) -> None:
        """Derive this conversation again at the next refresh (a thumbs-down joins its review rows)."""
        self.db.execute("DELETE FROM an_conversations WHERE conv_id=?", (conv_id,))
        self.db.set_meta("watermark", "0")
        self._last = 0.0

    def forget(self, conv_id: str) -> None:
        self.db.forget(conv_id)

    def purge(self, now: float | None = None) -> int:
        """Remove conversations whose last message is older than `retention_days` (0 keeps all)."""
        days = self.settings.retention_days
        if days <= 0:
            return 0
        cutoff = (now or time.time()) - days * 86400
        old = [r[0] for r in self.db.query("SELECT conv_id FROM an_conversations WHERE last_ts < ?", (cutoff,))]
        for conv_id in old:
            self.db.forget(conv_id)
        self.db.execute("DELETE FROM an_feedback WHERE ts < ?", (cutoff,))
        return len(old)
