"""Scoring answers against expected facts, shared by `bench/gen_bench.py` and `shoptalk eval-generator`.

Two rules keep the figures honest:
* an expected fact matches on word boundaries: "one" must not be found in "none" or "phone", "50" not
  in "$150.00";
* an answer is credited to the model only when the model's own wording was kept (`source ==
  "generator"`). A quoted passage that contains the fact shows the retrieval and the checker working,
  not the model, so it is counted in its own column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


def fact_in(text: str | None, expect: list[str]) -> bool:
    """True when any alternative in `expect` occurs in `text` as whole words (case-insensitive)."""
    low = (text or "").lower()
    return any(re.search(r"(?<!\w)" + re.escape(e.lower()) + r"(?!\w)", low) for e in expect)


def origin(ans) -> str:
    """Where the shown text came from: `generated` (model wording, checked and kept), `replaced` (the model
    answered, the checker quoted a passage instead), `quoted` (a passage with no model wording at all:
    deadline, backend error, no backend), or the fixed paths (`recommendation`, `scope`, `redirect`)."""
    if ans.source == "generator":
        return "generated"
    if ans.kind == "extractive":
        return "replaced" if ans.replaced else "quoted"
    return {"order_facts_redirect": "redirect"}.get(ans.kind, ans.kind)


@dataclass
class Tally:
    """Counts per origin: answers, answers holding the expected fact, answers stating an unsupported number."""

    n: int = 0
    by_origin: dict[str, list[int]] = field(default_factory=dict)  # origin -> [answers, with fact, bad numbers]
    raw_fact: int = 0  # the model's raw generation held the fact (whether or not it was kept)
    raw_n: int = 0  # answers for which the model generated anything

    def add(self, ans, expect: list[str], bad_numbers: bool = False) -> tuple[str, bool]:
        kind, ok = origin(ans), fact_in(ans.text, expect)
        row = self.by_origin.setdefault(kind, [0, 0, 0])
        row[0] += 1
        row[1] += ok
        row[2] += bad_numbers
        self.n += 1
        if ans.generated:
            self.raw_n += 1
            self.raw_fact += fact_in(ans.generated, expect)
        return kind, ok

    def count(self, kind: str, col: int = 0) -> int:
        return self.by_origin.get(kind, [0, 0, 0])[col]

    @property
    def model_right(self) -> int:
        """Answers the model itself got right: its wording kept, and the expected fact in it."""
        return self.count("generated", 1)

    def as_dict(self) -> dict:
        return {"n": self.n, "model_right": self.model_right, "raw_fact": self.raw_fact, "raw_n": self.raw_n,
                "by_origin": {k: {"answers": v[0], "fact": v[1], "unsupported_numbers": v[2]}
                              for k, v in sorted(self.by_origin.items())}}
