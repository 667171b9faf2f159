"""The route bench the review inbox shows before and after a retrain: the project's hand-written
realistic sets from `bench/route_bench.py` (exact-label accuracy per set, as that bench scores them)
and the messages just assigned (how many the router now sends to the intent they were given)."""
from __future__ import annotations

import importlib.util
import time
from pathlib import Path


def _realistic(project: Path) -> dict[str, list[tuple[str, str]]]:
    path = project / "bench" / "route_bench.py"
    if not path.exists():
        return {}
    spec = importlib.util.spec_from_file_location("shoptalk_route_bench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.load_realistic()


def route_bench(router, project: Path, assigned: list[tuple[str, str]]) -> dict:
    started = time.perf_counter()
    sets = _realistic(Path(project))
    out: dict = {"sets": {}}
    for key, rows in sets.items():
        routes = router.route_batch([t for t, _ in rows])
        out["sets"][key] = {"n": len(rows), "accuracy": round(sum(r.label == l for r, (_, l) in zip(routes, rows))
                                                               / len(rows), 4)}
    if sets:
        n = sum(s["n"] for s in out["sets"].values())
        out["overall"] = round(sum(s["n"] * s["accuracy"] for s in out["sets"].values()) / n, 4)
    if assigned:
        routes = router.route_batch([t for t, _ in assigned])
        out["assigned"] = {"n": len(assigned), "routed_to_intent": sum(r.label == i for r, (_, i) in
                                                                        zip(routes, assigned)),
                           "routes": [{"text": t, "intent": i, "label": r.label, "confidence": r.confidence}
                                      for r, (t, i) in zip(routes, assigned)]}
    out["seconds"] = round(time.perf_counter() - started, 2)
    return out
