"""What the engine does with an opening: each realistic message sent as the first message of a fresh
conversation, scored on what the shopper meets rather than on the router's label alone.

    flock /tmp/shoptalk-cpu.lock env HF_HUB_OFFLINE=1 .venv/bin/python bench/opening_bench.py

The engine reads an opening with more than the router: several requests in one message are split and the
first one started (`Understanding.goals`), a long story-first message whose opening clause is a clear
request starts it (`request_head`), an undo request is answered from the store (`task_question`), and a
half-recognised request is answered with the flow offered as a button (`SUGGEST_FLOOR`). A message is
read right when:
- its label is a flow and the first task flow the turn starts (not a sub-flow such as sign-in) is that flow;
- its label is fallback (an open question, or a request no flow does) and the turn starts no flow;
- its label is a repair or chit-chat intent and the turn starts no flow and the engine's route has that label.
"Right or offered" also counts a flow message that starts no flow and is answered with that flow's button
among the router's suggestions (`flows_suggested`), as route_bench's figure of the same name does.

Open questions are answered by the project's answerer without a generator (retrieval and the quoted
passage: the generator only words an answer, it never decides whether a flow starts), so a run takes
seconds, not hours. route_bench.py calls `engine_figures` with the router it has just trained, so both
figures come from one model; run alone, this file loads the project's router (`load_router`).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Reading:
    """What one opening did in a fresh conversation."""

    started: str | None          # the first task flow the turn started (sub-flows it called aside), or None
    offered: tuple[str, ...]     # flows suggested as buttons with an answer
    label: str                   # the engine's route label after its own rules
    decided_by: str              # which rule decided it (classifier, several_goals, request_head, ...)


def build_engine(router: Any, project: Path = ROOT, store_dir: Path | None = None) -> Any:
    """The project's engine with `router`, a throwaway seeded SQLite store and the answerer without its
    generator (answers quote the retrieved passage)."""
    from engine.engine import Engine
    from engine.generator import load_answerer
    from engine.store import open_store

    store_dir = Path(store_dir or tempfile.mkdtemp(prefix="opening_bench_"))
    store = open_store(str(store_dir / "store.sqlite"))
    answerer = load_answerer(project, load_generator=False)
    return Engine.load(project, store=store, router=router, generator=answerer)


def read_opening(engine: Any, text: str) -> Reading:
    turn = engine.new_conversation().send(text)
    started = next((e["flow"] for e in turn.events if e.get("type") == "flow_started" and not e.get("called")
                    and not engine.flows.flows[e["flow"]].pattern), None)
    offered = tuple(f for e in turn.events if e.get("type") == "flows_suggested" for f in e.get("flows", ()))
    route = turn.route
    return Reading(started, offered, route.label if route else "", route.decided_by if route else "")


def judge(engine: Any, label: str, r: Reading) -> tuple[bool, bool]:
    """(right, right or offered) for a message labelled `label`."""
    flow = engine.flows.by_intent(label)
    if flow is not None and not flow.pattern:
        right = r.started == flow.id
        return right, right or (r.started is None and flow.id in r.offered)
    if label == "fallback":
        return r.started is None, r.started is None
    right = r.started is None and r.label == label
    return right, right


def engine_figures(router: Any, sets: dict[str, list[tuple[str, str]]], project: Path = ROOT) -> dict:
    """Per set: `<key>_engine_acc`, `<key>_engine_offered` and `_engine_miss_<key>` [(text, label, what happened)]."""
    engine = build_engine(router, project)
    out: dict[str, Any] = {}
    for key, rows in sets.items():
        right = offered = 0
        misses = []
        for text, label in rows:
            r = read_opening(engine, text)
            ok, reached = judge(engine, label, r)
            right += ok
            offered += reached
            if not ok:
                what = r.started or (f"answered, offers {list(r.offered)}" if r.offered else f"no flow ({r.label})")
                misses.append((text, label, what, r.decided_by))
        out[f"{key}_engine_acc"] = right / len(rows)
        out[f"{key}_engine_offered"] = offered / len(rows)
        out[f"_engine_miss_{key}"] = misses
    return out


def main(argv: list[str] | None = None) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from route_bench import HELD_OUT, list_misses, load_realistic
    from engine.router import load_router

    ap = argparse.ArgumentParser()
    ap.add_argument("--show-misses", type=int, default=30)
    ap.add_argument("--show-held-out", action="store_true", help=f"list the misses of {', '.join(HELD_OUT)} (not for tuning)")
    ap.add_argument("--dev-only", action="store_true",
                    help=f"leave out {', '.join(HELD_OUT)} (while developing: not even their figures are seen)")
    ap.add_argument("--sets", nargs="+", metavar="KEY", help="only these sets (realistic21 ...)")
    a = ap.parse_args(argv)
    import torch
    torch.set_num_threads(1)
    sets = {k: v for k, v in load_realistic().items() if not (a.dev_only and k in HELD_OUT)
            and (not a.sets or k in a.sets)}
    router = load_router(ROOT)
    res = engine_figures(router, sets)
    print(f"{'set':14s}{'router label':>14s}{'engine':>10s}{'engine right or offered':>26s}")
    for key, rows in sets.items():
        acc = sum(router.route(t).label == l for t, l in rows) / len(rows)
        print(f"{key:14s}{acc * 100:13.2f}%{res[f'{key}_engine_acc'] * 100:9.2f}%{res[f'{key}_engine_offered'] * 100:25.2f}%")
    for key in sets:
        list_misses(f"engine misses {key}", res[f"_engine_miss_{key}"], key in HELD_OUT and not a.show_held_out,
                    a.show_misses)


if __name__ == "__main__":
    main()
