"""Product recommendation from the real catalogue: filters -> available variants -> ranked list.

"I need a keyboard with clicky switches under $200" -> product type "Mechanical Keyboard",
option values {"switch type": "clicky"}, budget max 200. Only variants that exist and are available
are ever listed; the language model may phrase an introduction but never supplies a product or price.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.knowledge.retrieval import _stem

from .catalogue_spelling import catalogue_words
from .catalogue_values import mentioned_values, said_amounts

RECOMMEND_CUES = re.compile(
    r"\b(i need|i want|i'?m looking for|looking for|recommend|suggest|show me|find me|do you have|"
    r"any good|which .* should i|what .* (do you|would you) (have|recommend)|shopping for|buy|options? for)\b",
    re.I,
)
# returning, cancelling, exchanging, ordering, refunding: a question about a rule, not a request for products
ORDER_WORDS = re.compile(r"\b(return\w*|send\w* (it |them |\w+ )?back|cancel\w*|exchang\w*|swap\w*|refund\w*|"
                         r"(new|an?|the|my|same|another|pending|processed|delivered) orders?|orders? (that|which|was|is))\b",
                         re.I)
# the product asked for follows its cue closely ("looking for waterproof hiking boots"); one further on is
# the subject of another question ("do you have a physical store where I can try the office chairs?")
CUE_REACH = 6
# shopper words -> product names in the seed catalogue
SYNONYMS = {
    "keyboard": "Mechanical Keyboard", "phone": "Smartphone", "mobile": "Smartphone", "laptop": "Laptop",
    "notebook computer": "Laptop", "earbud": "Wireless Earbuds", "earphone": "Wireless Earbuds",
    "headphone": "Headphones", "headset": "Headphones", "mouse": "Gaming Mouse", "watch": "Wristwatch",
    "smartwatch": "Smart Watch", "smart watch": "Smart Watch", "speaker": "Bluetooth Speaker",
    "camera": "Digital Camera", "action cam": "Action Camera", "security camera": "Indoor Security Camera",
    "kettle": "Electric Kettle", "tea kettle": "Tea Kettle", "toothbrush": "Electric Toothbrush",
    "shoe": "Running Shoes", "running shoe": "Running Shoes", "sneaker": "Sneakers", "boot": "Hiking Boots",
    "bike": "Bicycle", "helmet": "Cycling Helmet", "charger": "Portable Charger", "power bank": "Portable Charger",
    "powerbank": "Portable Charger", "thermostat": "Smart Thermostat", "jacket": "Fleece Jacket",
    "clock": "Wall Clock", "dumbbell": "Dumbbell Set", "weights": "Dumbbell Set", "bulb": "LED Light Bulb",
    "shelf": "Bookshelf", "chair": "Office Chair", "luggage": "Luggage Set", "suitcase": "Luggage Set",
    "umbrella": "Patio Umbrella", "purifier": "Air Purifier", "makeup": "Makeup Kit", "puzzle": "Jigsaw Puzzle",
    "vacuum": "Vacuum Cleaner", "espresso": "Espresso Machine", "coffee": "Coffee Maker", "lamp": "Desk Lamp",
    "bottle": "Water Bottle", "mat": "Yoga Mat", "hose": "Garden Hose", "tablet": "Tablet", "ereader": "E-Reader",
    "e-reader": "E-Reader", "kindle": "E-Reader", "tshirt": "T-Shirt", "t-shirt": "T-Shirt", "shirt": "T-Shirt",
    "tee": "T-Shirt", "grill": "Grill", "bbq": "Grill", "perfume": "Perfume", "fragrance": "Perfume",
    "skateboard": "Skateboard", "pet bed": "Pet Bed", "dog bed": "Pet Bed", "backpack": "Backpack",
    "bag": "Backpack", "sunglass": "Sunglasses", "rucksack": "Backpack", "sunnies": "Sunglasses", "ebook": "E-Reader",
    "e-book": "E-Reader", "fleece": "Fleece Jacket", "bookcase": "Bookshelf", "book case": "Bookshelf",
    "cologne": "Perfume",
}
BUDGET_MAX = re.compile(r"\b(?:under|below|less than|cheaper than|at most|max(?:imum)?|up to|within|no more than|budget(?: of| is)?)\s*(?:of\s*)?\$?\s*(\d[\d,]*(?:\.\d+)?)", re.I)
BUDGET_MIN = re.compile(r"\b(?:over|above|more than|at least)\s*\$?\s*(\d[\d,]*(?:\.\d+)?)", re.I)
BUDGET_DOLLAR = re.compile(r"\$\s*(\d[\d,]*(?:\.\d+)?)")


@dataclass
class Request:
    product_id: str
    product: str
    options: dict[str, str] = field(default_factory=dict)
    max_price: float | None = None
    min_price: float | None = None


@dataclass
class Pick:
    item_id: str
    product: str
    options: dict
    price: float
    matched: int

    def label(self) -> str:
        opts = ", ".join(str(v) for v in self.options.values())
        return f"{self.product} ({opts})"


# plurals a suffix rule cannot read ("gaming mice" is the Gaming Mouse)
IRREGULAR_PLURALS = {"mice": "mouse", "shelves": "shelf", "knives": "knife", "dice": "die"}
_COMPOUND_ENDS = tuple(p for p in IRREGULAR_PLURALS if len(p) >= 6)  # "bookshelves", not a word ending in "dice"
# the assistant, as shoppers call it: written as it sounds, "bot" would be a "boot" (the Hiking Boots)
ASSISTANT_WORDS = {"bot": "assistant", "bots": "assistant", "chatbot": "assistant"}


def _words(text: str) -> list[str]:
    """Stems for matching product names; "don't" is one word (its "t" is not the "tee" of a T-shirt)."""
    text = re.sub(r"(?<=[a-z])['’](?=[a-z])", "", text.lower())
    toks = [ASSISTANT_WORDS.get(w, _singular(w)) for w in re.findall(r"[a-z0-9%\-]+", text)]
    return [_root(w) for w in toks]


def _singular(word: str) -> str:
    """An irregular plural, alone or ending a compound ("bookshelves" is "bookshelf", as "shelves" is "shelf")."""
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    if not word.endswith(_COMPOUND_ENDS):  # (one C call: this runs for every word of every product name read)
        return word
    end = next(p for p in _COMPOUND_ENDS if word.endswith(p))
    return word[:-len(end)] + IRREGULAR_PLURALS[end]


def _root(word: str) -> str:
    """"kettles" = "kettle"; a stem of one letter is no word ("tee" stays "tee"). Written as it sounds, on both sides
    of a match: a doubled letter as one, "ph" as "f" ("yoga matt", "robot vacum", "headfones")."""
    stem = _stem(word)
    stem = stem.rstrip("e") if len(stem.rstrip("e")) >= 3 else stem
    return re.sub(r"([a-z])\1", r"\1", stem.replace("ph", "f")) if len(stem) > 2 else stem


# a synonym's word naming the kind of a service, not a product: "a mobile app", "the phone number", "a laptop version"
SERVICE_NOUN = r"\s+(apps?|application|site|website|version|number|line|banking|support)\b"


def find_product(question: str, catalogue: dict) -> tuple[str, str] | None:
    """The product the question names: by its name ("e reader" is the E-Reader: a hyphen may be a space), a synonym,
    or the last word of its name when no other product's name ends with it, no synonym takes it and the question
    names one of its option values too ("a memory foam bed" is the Pet Bed, "a washing machine" no espresso machine;
    "kettle" is two products, read by its synonym)."""
    q = " " + " ".join(_words(question)) + " "
    spaced = " " + " ".join(_words(question.replace("-", " "))) + " "
    by_name = {p["name"]: pid for pid, p in catalogue.items()}
    best, best_len = None, 0
    for pid, prod in catalogue.items():  # full product names first ("tea kettle" beats "kettle")
        name = " " + " ".join(_words(prod["name"])) + " "
        apart = " " + " ".join(_words(prod["name"].replace("-", " "))) + " "
        if (name in q or apart in spaced) and len(name) > best_len:
            best, best_len = (pid, prod["name"]), len(name)
    said = ""
    for word, name in SYNONYMS.items():
        w = " " + " ".join(_words(word)) + " "
        if w in q and len(w) > best_len and name in by_name and not re.search(rf"\b{re.escape(word)}" + SERVICE_NOUN,
                                                                                question.lower()):
            best, best_len, said = (by_name[name], name), len(w), w.strip()
    if best is None or said:  # "a fleece bed": the synonym's word is the material of the bed named by its head
        for head, name in _heads(catalogue).items():
            variants = list(catalogue[by_name[name]]["variants"].values())
            values = mentioned_values(question, variants)
            if f" {head} " in q and values and (best is None or said in {" ".join(_words(x)) for v in values.values()
                                                                         for x in v}):
                return by_name[name], name
    return best


def _heads(catalogue: dict) -> dict[str, str]:
    """The last word of a product name of several words -> the product, when it is that product's alone and no
    synonym reads it."""
    heads: dict[str, list[str]] = {}
    for prod in catalogue.values():
        ws = _words(prod["name"])
        if len(ws) > 1:
            heads.setdefault(ws[-1], []).append(prod["name"])
    taken = {" ".join(_words(w)) for w in SYNONYMS}
    return {h: names[0] for h, names in heads.items() if len(names) == 1 and h not in taken and len(h) >= 3}


def parse_request(question: str, catalogue: dict) -> Request | None:
    found = find_product(question, catalogue)
    if not found:
        return None
    pid, name = found
    req = Request(pid, name)
    ql = question.lower()
    values: dict[str, set[str]] = {}
    for v in catalogue[pid]["variants"].values():
        for k, val in v["options"].items():
            values.setdefault(k, set()).add(str(val))
    for key, vals in values.items():
        for val in sorted(vals, key=len, reverse=True):
            if len(val) <= 3 and val.isupper():  # sizes like "M", "XL": match case-sensitively as a word
                hit = re.search(rf"(?<![\w-]){re.escape(val)}(?![\w-])", question) and key.lower() == "size"
            else:
                hit = re.search(rf"(?<![\w-]){re.escape(val.lower())}(?![\w-])", ql)
            if hit:
                req.options[key] = val
                break
    question = said_amounts(question)  # "a thousand dollars", "between $1,900 and $2,000"
    m = BUDGET_MAX.search(question)
    if m:
        req.max_price = float(m.group(1).replace(",", ""))
    elif (d := BUDGET_DOLLAR.search(question)) and not BUDGET_MIN.search(question):
        req.max_price = float(d.group(1).replace(",", ""))
    m = BUDGET_MIN.search(question)
    if m:
        req.min_price = float(m.group(1).replace(",", ""))
    return req


# "I need 40 office chairs. Do you give a bulk discount?": the yes/no question last asks of the shop's terms, the need
# before it is its premise ("... Can you help?" or "... Any you'd suggest?" still asks for products)
_SHOP_YES_NO = re.compile(r"^\s*(do|does|can|could|will|would|is|are)\s+(you|u|there|the shop|your shop)\b", re.I)
_SHOP_WORDS = {"give", "offer", "provide", "the", "for", "and", "with", "cheaper", "price", "prices", "cost", "costs",
               "stock", "available", "under", "over", "below", "above", "less", "more", "than", "around", "about",
               "budget", "dollars", "bucks", "grand", "thousand", "hundred", "one", "two", "three", "four", "five",
               "six", "seven", "eight", "nine", "ten", "size", "sizes", "color", "colors", "colour", "colours", "cheap",
               "this", "these"}
_HELP_WORDS = {"help", "suggest", "recommend", "show", "find", "idea", "ideas", "advice", "advise", "anything", "any",
               "some", "one", "ones", "that", "those", "them", "it", "sell", "stock", "carry", "have", "got"}


def asks_of_the_shop(question: str, catalogue: dict) -> bool:
    """Whether the message ends with a yes/no question to the shop about something no product, option or price names
    ("Do you give a bulk discount?"), after a need told first."""
    asks = [s for s in re.split(r"(?<=[.!?])\s+", question.strip()) if s.rstrip().endswith("?")]
    if len(asks) != 1 or asks[0].strip() == question.strip() or not _SHOP_YES_NO.match(asks[0]) or \
            re.search(r"\d", asks[0]) or BUDGET_MAX.search(said_amounts(asks[0])):  # "do you have one under 2500?"
        return False
    said = {w for w in re.findall(r"[a-z]+", _SHOP_YES_NO.sub(" ", asks[0].lower())) if len(w) > 2} - _HELP_WORDS
    said -= catalogue_words(catalogue, SYNONYMS) | _SHOP_WORDS  # "do you have it in blue?" asks of the product
    return find_product(asks[0], catalogue) is None and bool(said)


def is_recommendation(question: str, catalogue: dict) -> bool:
    """A listing only when the shopper asks for products: "I want to return a lamp", "do I need to place a new
    order for the shoes" and "do you have a store where I can try the chairs" name a product but ask a rule."""
    if find_product(question, catalogue) is None or ORDER_WORDS.search(question) or \
            asks_of_the_shop(question, catalogue):
        return False
    if BUDGET_MAX.search(said_amounts(question)) or BUDGET_DOLLAR.search(question):
        return True
    return any(find_product(" ".join(question[m.end():].split()[:CUE_REACH]), catalogue)
               for m in RECOMMEND_CUES.finditer(question))


def recommend(req: Request, catalogue: dict, *, k: int = 3) -> tuple[list[Pick], list[str]]:
    """Available variants matching the options, within budget, cheapest first.

    Returns (picks, notes); when nothing fits the budget the closest matching variants are returned
    with a note saying so, never silently.
    """
    variants = [v for v in catalogue[req.product_id]["variants"].values() if v.get("available")]
    notes: list[str] = []
    matching = [v for v in variants if all(str(v["options"].get(k2)) == val for k2, val in req.options.items())]
    if req.options and not matching:
        notes.append("no available variant has all of " + ", ".join(req.options.values()))
        matching = sorted(variants, key=lambda v: -sum(str(v["options"].get(k2)) == val for k2, val in req.options.items()))
        best = sum(str(matching[0]["options"].get(k2)) == val for k2, val in req.options.items()) if matching else 0
        matching = [v for v in matching if sum(str(v["options"].get(k2)) == val for k2, val in req.options.items()) == best]
    within = [v for v in matching
              if (req.max_price is None or v["price"] <= req.max_price)
              and (req.min_price is None or v["price"] >= req.min_price)]
    if (req.max_price is not None or req.min_price is not None) and not within:
        notes.append("nothing is within the budget")
        within = matching
    within.sort(key=lambda v: v["price"])
    picks = [Pick(v["item_id"], req.product, dict(v["options"]), v["price"],
                  sum(str(v["options"].get(k2)) == val for k2, val in req.options.items())) for v in within[:k]]
    return picks, notes
