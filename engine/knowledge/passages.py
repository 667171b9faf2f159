"""Turn the knowledge files (policy.md, faq.yaml) and the catalogue into short, quotable passages with a
source and a section title. The seed's wiki.md is written for agents and is not read here."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .policy_file import read_policy

SEED = Path(__file__).resolve().parent.parent / "store" / "seed"
DEFAULT_POLICY = Path(__file__).resolve().parents[2] / "knowledge" / "policy.md"


@dataclass
class Passage:
    id: str
    source: str  # "policy" | "catalogue" | "faq"
    title: str  # human title of the document ("Store policy", "Product catalogue", "FAQ")
    section: str  # section heading / product name / FAQ question
    text: str  # the quotable text
    meta: dict = field(default_factory=dict)

    @property
    def search_text(self) -> str:
        return f"{self.section}. {self.text}"

    def attribution(self) -> str:
        if self.source == "policy":
            return f'From our store policy ("{self.section}")'
        if self.source == "catalogue":
            return f"From our catalogue ({self.section})"
        return "From our FAQ"


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def policy_passages(path: Path | None = None) -> list[Passage]:
    """One passage per bullet of `knowledge/policy.md`, tagged with its section; "Internal" sections
    (rules for the assistant alone) are skipped, so they are never retrieved or quoted."""
    doc = read_policy(path or DEFAULT_POLICY)
    return [Passage(f"policy:{b.line}", "policy", "Store policy", s.heading, _clean(b.text), {"line": b.line})
            for s in doc.shopper_sections() for b in s.bullets]


def load_catalogue(path: Path | None = None) -> dict:
    return json.loads((path or SEED / "products.json").read_text())


def _money(x: float) -> str:
    return f"${x:,.2f}"


def _options_text(options: dict[str, list[str]], avail: list[dict]) -> str:
    """Each option with the values an available item has, then those only sold-out items have ("Size: 6, 10 (sold
    out: 8, 11)."): "sneaker sizes?" was answered with every size ever listed, two of them not to be had."""
    out = []
    for k, vals in options.items():
        if all(re.fullmatch(r"\d+(\.\d+)?", x) for x in vals):  # shoe sizes in their order: "6, 10", not "10, 6"
            vals = sorted(vals, key=float)
        have = [x for x in vals if any(str(v["options"].get(k)) == x for v in avail)] if avail else vals
        gone = [x for x in vals if x not in have]
        text = f"{k[:1].upper()}{k[1:]}: {', '.join(have) or 'none available'}"
        out.append(text + (f" (sold out: {', '.join(gone)})." if gone and have else "."))
    return " ".join(out)


def catalogue_passages(products: dict | None = None) -> list[Passage]:
    """One passage per product: how many variants are available, their price range, the options.

    Plain sentences ("Color: blue, red.") rather than nested "options: color: ..." lists: the 135M
    model copies from short labelled sentences far more reliably."""
    products = products if products is not None else load_catalogue()
    out = []
    for pid, prod in products.items():
        variants = list(prod["variants"].values())
        avail = [v for v in variants if v.get("available")]
        options: dict[str, list[str]] = {}
        for v in variants:
            for k, val in v["options"].items():
                options.setdefault(k, [])
                if str(val) not in options[k]:
                    options[k].append(str(val))
        opt_text = _options_text(options, avail)
        prices = [v["price"] for v in avail] or [v["price"] for v in variants]
        price_text = (
            f"{len(avail)} of {len(variants)} variants available, from {_money(min(prices))} to {_money(max(prices))}"
            if avail else f"no variant available right now (listed from {_money(min(prices))})"
        )
        text = f"{prod['name']}: {price_text}. {opt_text}"
        out.append(Passage(f"catalogue:{pid}", "catalogue", "Product catalogue", prod["name"], text,
                           {"product_id": pid, "price_text": price_text, "options": options}))
    return out


def faq_passages(path: Path) -> list[Passage]:
    """`knowledge/faq.yaml`: a list of {q, a} (designer-editable)."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text()) or []
    items = data.get("faq", []) if isinstance(data, dict) else data
    out = []
    for i, item in enumerate(items):
        q, a = str(item.get("q", "")).strip(), str(item.get("a", "")).strip()
        if q and a:
            out.append(Passage(f"faq:{i}", "faq", "FAQ", q, _clean(a)))
    return out


def load_passages(project_dir: Path | str = ".") -> list[Passage]:
    project_dir = Path(project_dir)
    policy = project_dir / "knowledge" / "policy.md"
    products = project_dir / "engine" / "store" / "seed" / "products.json"
    return (
        policy_passages(policy if policy.exists() else None)
        + catalogue_passages(load_catalogue(products if products.exists() else None))
        + faq_passages(project_dir / "knowledge" / "faq.yaml")
    )
