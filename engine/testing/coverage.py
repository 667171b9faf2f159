"""Step and branch coverage per flow, from what the instrumented state machine executed."""
from __future__ import annotations

from dataclasses import dataclass, field

from .runner import branch_targets


@dataclass
class FlowCoverage:
    flow: str
    steps: list[str]
    visited: set = field(default_factory=set)
    branches: list = field(default_factory=list)
    branches_hit: set = field(default_factory=set)

    @property
    def tested(self) -> bool:
        return bool(self.visited)

    @property
    def step_pct(self) -> float:
        return 100.0 * len(self.visited) / len(self.steps) if self.steps else 100.0

    @property
    def branch_pct(self) -> float:
        return 100.0 * len(self.branches_hit) / len(self.branches) if self.branches else 100.0

    @property
    def missed(self) -> list[str]:
        return [s for s in self.steps if s not in self.visited]


def flow_coverage(flows, results) -> list[FlowCoverage]:
    visited = set().union(*(r.visited for r in results)) if results else set()
    branches = set().union(*(r.branches for r in results)) if results else set()
    out = []
    for flow in flows.flows.values():
        targets = branch_targets(flow)
        c = FlowCoverage(flow.id, [s.id for s in flow.steps],
                         {s for f, s in visited if f == flow.id}, targets,
                         {(s, t) for f, s, t in branches if f == flow.id and (s, t) in targets})
        out.append(c)
    return sorted(out, key=lambda c: c.flow)


def coverage_table(cov: list[FlowCoverage]) -> str:
    rows = [("flow", "steps", "step %", "branches", "branch %", "steps not reached")]
    for c in cov:
        rows.append((c.flow, f"{len(c.visited)}/{len(c.steps)}", f"{c.step_pct:.0f}%",
                     f"{len(c.branches_hit)}/{len(c.branches)}", f"{c.branch_pct:.0f}%",
                     ", ".join(c.missed)[:60] or "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    total = sum(len(c.steps) for c in cov)
    hit = sum(len(c.visited) for c in cov)
    lines.append(f"total step coverage: {hit}/{total} ({100.0 * hit / max(total, 1):.0f}%)")
    return "\n".join(lines)
