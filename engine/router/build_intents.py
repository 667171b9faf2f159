"""Generate the data-set derived intent files in `intents/` (run once; the output is committed).

    .venv/bin/python -m engine.router.build_intents [--data ../shared/data] [--out intents]

Uses TRAIN splits only: Bitext train (mapped to routing labels as in issue 3), CLINC150 train +
oos_train (fallback, except `order_status`; `order` dropped) and the training part of BANKING77
(a deterministic hash split holds ~20% out for the bench; see `banking77_split`).
Licences are copied beside the generated files.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import shutil
from collections import defaultdict
from pathlib import Path

BITEXT_MAP = {
    "track_order": "order_status", "delivery_period": "order_status",
    "cancel_order": "cancel_order", "get_refund": "return_items", "change_order": "change_order_items",
    "change_shipping_address": "change_order_address", "set_up_shipping_address": "change_default_address",
    "place_order": "checkout", "contact_human_agent": "handoff",
}


def bitext_label(intent: str) -> str:
    return BITEXT_MAP.get(intent, "fallback")


# CLINC intents that are conversation repair / chit-chat in a shop dialogue. The benchmark mapping
# (issue 3) calls them fallback; the bench therefore counts every non-flow label as "not a flow".
CLINC_REPAIR = {"yes": "affirm", "no": "deny", "greeting": "greet", "goodbye": "goodbye",
                "cancel": "cancel", "what_can_i_ask_you": "help"}


def clinc_label(intent: str, for_training: bool = True) -> str | None:
    if intent == "order":
        return None
    if intent == "order_status":
        return "order_status"
    return CLINC_REPAIR.get(intent, "fallback") if for_training else "fallback"


def banking77_split(text: str) -> str:
    """Deterministic: 'bench' for ~20% of BANKING77 rows (by md5 of the text), else 'train'."""
    return "bench" if int(hashlib.md5(text.encode("utf-8")).hexdigest(), 16) % 5 == 0 else "train"


def read_bitext(path: Path) -> list[tuple[str, str, str]]:
    """(utterance annotated with [order_id](order_id) where the offsets are exact, label, bitext intent)"""
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            u = r["utterance"].strip()
            try:
                s, e = int(r["start_offset"]), int(r["end_offset"])
            except (TypeError, ValueError):
                s = e = -1
            if r.get("entity_type") == "order_id" and 0 <= s < e <= len(u) and u[s:e] == r["entity_value"]:
                u = f"{u[:s]}[{u[s:e]}](order_id){u[e:]}"
            rows.append((u, bitext_label(r["intent"]), r["intent"]))
    return rows


def read_clinc(path: Path, parts=("train", "oos_train")) -> list[tuple[str, str, str]]:
    d = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for part in parts:
        for text, intent in d[part]:
            lab = clinc_label(intent)
            if lab:
                out.append((text.strip(), lab, intent))
    return out


def read_banking(path: Path, split: str = "train") -> list[tuple[str, str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return [(r["text"].strip(), "fallback", r["category"]) for r in csv.DictReader(f)
                if banking77_split(r["text"].strip()) == split]


def _norm(t: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\[([^\]]+)\]\(\w+\)", r"\1", t).lower()).strip()


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def write_file(path: Path, header: str, groups: dict[str, list[str]]):
    lines = [f"# {l}" for l in header.strip().splitlines()]
    for intent, exs in groups.items():
        lines.append(f"- intent: {intent}")
        lines.append("  examples:")
        lines += [f"    - {_q(x)}" for x in exs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(data: Path, out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    seen: dict[str, str] = {}
    conflict: set[str] = set()
    sources = {
        "bitext": read_bitext(data / "bitext/Bitext_Sample_Customer_Service_Training_Dataset.csv"),
        "clinc150": read_clinc(data / "clinc150/clinc150_train_val.json"),
        "banking77": read_banking(data / "banking77/train.csv"),
    }
    for rows in sources.values():  # deduplicate across sources; drop texts seen with two labels
        for u, lab, _ in rows:
            k = _norm(u)
            if k in seen and seen[k] != lab:
                conflict.add(k)
            seen.setdefault(k, lab)
    counts: dict[str, int] = {}
    for name, rows in sources.items():
        groups: dict[str, list[str]] = defaultdict(list)
        done: set[str] = set()
        for u, lab, _ in rows:
            k = _norm(u)
            if k in conflict or k in done or k in _GLOBAL_DONE:
                continue
            done.add(k)
            _GLOBAL_DONE.add(k)
            groups[lab].append(u)
        header = (f"GENERATED by engine/router/build_intents.py from {name} (train split only) - do not edit;\n"
                  f"licence: see LICENSE-{name} beside this file.")
        write_file(out / f"data_{name}.yaml", header, dict(sorted(groups.items())))
        for lab, exs in groups.items():
            counts[f"{name}:{lab}"] = len(exs)
    shutil.copyfile(data / "bitext/LICENSE", out / "LICENSE-bitext")
    shutil.copyfile(data / "clinc150/LICENSE", out / "LICENSE-clinc150")
    shutil.copyfile(data / "banking77/LICENSE", out / "LICENSE-banking77")
    return counts


_GLOBAL_DONE: set[str] = set()


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="intents")
    a = ap.parse_args(argv)
    for k, v in sorted(build(Path(a.data), Path(a.out)).items()):
        print(f"{k:40s} {v}")


if __name__ == "__main__":
    main()
