"""What a designer's click in the review inbox does.

* `assign_intent`: the messages are appended to `intents/review_<intent>.yaml` (created with
  `intent:` and `examples:` when new). The new file is written beside the old one under a dot name,
  parsed with the router's own intent-file checks, and only then moved into place: a write that
  would make the file invalid is refused with each problem's file:line and nothing is written. Then
  the router retrains in the background and is hot-swapped in (`EngineHolder.retrain_router`), with
  the route bench run before and after.
* `add_faq`: one `{q, a}` entry appended to `knowledge/faq.yaml`, checked by loading it again; then
  the generator's knowledge index is rebuilt in the background and swapped in
  (`EngineHolder.reload_knowledge`), so the next open question can retrieve it.
* `ignore`: the messages leave the inbox.
"""
from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from pathlib import Path

import yaml

from service.errors import ApiError

REVIEW_FILE = "review_{intent}.yaml"


def _project(app) -> Path:
    project = getattr(app.state.engine, "project_dir", None)
    if project is None:
        raise ApiError("not_found", "The engine was not loaded from a project folder.", status=404)
    return Path(project)


def _items(db, ids: list[str]) -> list[tuple[str, str]]:
    marks = ",".join("?" * len(ids))
    rows = db.query(f"SELECT id, text FROM an_review WHERE id IN ({marks}) AND status = 'open'", ids)
    found = {r[0]: r[1] for r in rows}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ApiError("not_found", f"{len(missing)} review message(s) are not open: {', '.join(missing[:5])}.",
                       status=404, details={"missing": missing})
    return [(i, found[i]) for i in ids]


def append_examples(intents_dir: Path, intent: str, texts: list[str]) -> dict:
    """Append `texts` to intents/review_<intent>.yaml after checking the result; returns the file and
    the line of each example. Raises ApiError 422 `invalid_intents` (with file:line) and writes nothing."""
    from engine.router.intent_data import parse_intent_file

    if not intent or "/" in intent or intent.startswith("."):
        raise ApiError("invalid_request", "assign_intent needs an intent name.")
    path = intents_dir / REVIEW_FILE.format(intent=intent)
    old = path.read_text(encoding="utf-8") if path.exists() else (
        "# yaml-language-server: $schema=../schemas/intent.schema.json\n"
        f"# Added from the review inbox: shopper messages a designer assigned to {intent}.\n"
        f"intent: {json.dumps(intent)}\nexamples:\n")
    if old and not old.endswith("\n"):
        old += "\n"
    first = old.count("\n") + 1
    lines = [f"  - {json.dumps(t, ensure_ascii=False)}\n" for t in texts]
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_text(old + "".join(lines), encoding="utf-8")
    try:
        examples, problems = parse_intent_file(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if problems:
        tmp.unlink(missing_ok=True)
        shown = [str(p).replace(str(tmp), str(path)) for p in problems]
        raise ApiError("invalid_intents", f"Not written: {path} would be invalid: " + "; ".join(shown),
                       status=422, details={"file": str(path), "problems": shown})
    os.replace(tmp, path)
    return {"file": str(path), "lines": [f"{path}:{first + i}" for i in range(len(texts))],
            "examples": len(examples)}


def append_faq(knowledge_dir: Path, question: str, answer: str) -> dict:
    """One {q, a} entry at the end of knowledge/faq.yaml, checked by parsing the result first."""
    from engine.knowledge.passages import faq_passages

    if not question.strip() or not answer.strip():
        raise ApiError("invalid_request", "add_faq needs a question and an answer.")
    path = knowledge_dir / "faq.yaml"
    old = path.read_text(encoding="utf-8") if path.exists() else "faq:\n"
    if not old.endswith("\n"):
        old += "\n"
    entry = f"  - q: {json.dumps(question.strip(), ensure_ascii=False)}\n" \
            f"    a: {json.dumps(answer.strip(), ensure_ascii=False)}\n"
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_text(old + entry, encoding="utf-8")
    try:
        before = len(faq_passages(path)) if path.exists() else 0
        after = len(faq_passages(tmp))
    except yaml.YAMLError as exc:
        tmp.unlink(missing_ok=True)
        raise ApiError("invalid_faq", f"Not written: {path} would be invalid: {exc}", status=422) from exc
    if after != before + 1:
        tmp.unlink(missing_ok=True)
        raise ApiError("invalid_faq", f"Not written: the entry would not be read from {path}.", status=422)
    os.replace(tmp, path)
    return {"file": str(path), "lines": [f"{path}:{old.count(chr(10)) + 1}"]}


def _resolve(db, ids: list[str], status: str, resolution: str) -> None:
    now = time.time()
    db.transaction([("UPDATE an_review SET status=?, resolution=?, resolved_at=? WHERE id=?",
                     (status, resolution, now, i)) for i in ids])


async def apply(app, body) -> dict:
    from service.review import ReviewAction

    body: ReviewAction
    a = app.state.analytics
    if a is None:
        raise ApiError("not_found", "Analytics are turned off (analytics: false).", status=404)
    items = await asyncio.to_thread(_items, a.db, body.items)
    texts = list(dict.fromkeys(t for _, t in items))
    if body.action == "ignore":
        _resolve(a.db, body.items, "ignored", "")
        return {"action": "ignore", "resolved": len(items)}
    project = _project(app)
    if body.action == "add_faq":
        if not body.answer:
            raise ApiError("invalid_request", "add_faq needs an answer.")
        written = append_faq(project / "knowledge", body.question or texts[0], body.answer)
        _resolve(a.db, body.items, "faq", written["file"])
        reload = getattr(app.state.engine, "reload_knowledge", None)
        if reload is not None:
            reload()
        return {"action": "add_faq", "resolved": len(items), **written,
                "knowledge_reload": "started" if reload is not None else "at the next start"}
    written = append_examples(project / "intents", body.intent or "", texts)
    _resolve(a.db, body.items, "assigned", body.intent)
    started = job(app).start(app.state.engine, project, [(t, body.intent) for t in texts])
    return {"action": "assign_intent", "resolved": len(items), **written, "retrain": started}


class RetrainJob:
    """One background retrain at a time per app: route bench, retrain + hot swap, route bench again."""

    def __init__(self):
        self._mu = threading.Lock()
        self._thread: threading.Thread | None = None
        self.state, self.message, self.before, self.after = "idle", "", None, None
        self.examples: list[tuple[str, str]] = []
        self.started_at = self.finished_at = None

    def status(self) -> dict:
        with self._mu:
            return {"state": self.state, "message": self.message, "before": self.before, "after": self.after,
                    "examples": [{"text": t, "intent": i} for t, i in self.examples],
                    "started_at": self.started_at, "finished_at": self.finished_at}

    def start(self, engine, project: Path, examples: list[tuple[str, str]]) -> dict:
        with self._mu:
            if self._thread is not None and self._thread.is_alive():
                self.examples += examples  # the running retrain's own "again" run picks the new file up
                engine.retrain_router()
                return {"state": self.state, "queued": True}
            self.state, self.message, self.before, self.after = "benchmarking", "route bench before", None, None
            self.examples, self.started_at, self.finished_at = list(examples), time.time(), None
            self._thread = threading.Thread(target=self._run, args=(engine, project), name="shoptalk-review-retrain",
                                            daemon=True)
            self._thread.start()
            return {"state": "benchmarking", "queued": False}

    def _set(self, **kw) -> None:
        with self._mu:
            for k, v in kw.items():
                setattr(self, k, v)

    def _run(self, engine, project: Path) -> None:
        from service.review_bench import route_bench

        try:
            self._set(before=route_bench(engine.router, project, self.examples))
            self._set(state="training", message="retraining the router")
            if not hasattr(engine, "retrain_router"):
                raise RuntimeError("this engine cannot retrain (not an EngineHolder)")
            thread = engine.retrain_router()
            if thread is None:
                raise RuntimeError("the engine routes by keyword rules: nothing to retrain")
            thread.join()
            last = next((o for o in reversed(engine.history) if o.kind == "router"), None)
            if last is None or not last.ok:
                raise RuntimeError(last.message + (": " + "; ".join(last.problems) if last and last.problems else "")
                                   if last else "the retrain left no outcome")
            self._set(state="benchmarking", message=last.message + "; route bench after")
            self._set(after=route_bench(engine.router, project, self.examples), state="done",
                      message=last.message, finished_at=time.time())
        except Exception as exc:  # shown on the page; the running router stays
            self._set(state="failed", message=f"{type(exc).__name__}: {exc}", finished_at=time.time())

    def wait(self, timeout: float | None = None) -> bool:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True


def job(app) -> RetrainJob:
    j = getattr(app.state, "review_job", None)
    if j is None:
        j = app.state.review_job = RetrainJob()
    return j
