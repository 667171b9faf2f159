"""Shopper scripts for the PII leak check (bench/pii_leak.py), built from the store seed.

Each conversation is one seed customer doing what shoppers do with their personal data: signing in
by email or by name and zip (sometimes with a wrong zip first, sometimes in lower case, sometimes in
one sentence with the question), volunteering a phone number or a card number, typing a new
address, asking about their orders by id or by button, asking for a person. The seed has no phone
or card numbers, so each customer gets a synthetic, valid-looking pair derived from the user id
(same customer, same numbers, every run).

A script is a list of steps: plain text to type, or `CLICK` (press one of the last buttons, as the
web chat sends their payloads), so scripts follow the real flows wherever they lead.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "engine" / "store" / "seed"
CLICK = object()  # press a button of the last bot message
# US area codes that libphonenumber accepts; exchanges avoid 555 so numbers look real.
_AREA = ("215", "212", "312", "415", "512", "617", "646", "702", "713", "206", "303", "404", "305", "480")


@dataclass(frozen=True)
class Persona:
    user_id: str
    first: str
    last: str
    email: str
    address: dict
    payment_ids: tuple[str, ...]
    orders: tuple[str, ...]
    phone: str  # 10 digits
    card: str   # 15 or 16 digits, Luhn-valid

    def phone_as(self, rng: random.Random) -> str:
        p = self.phone
        return rng.choice([f"({p[:3]}) {p[3:6]}-{p[6:]}", f"{p[:3]}-{p[3:6]}-{p[6:]}", f"{p[:3]}.{p[3:6]}.{p[6:]}",
                           f"+1 {p[:3]} {p[3:6]} {p[6:]}", p, f"1-{p[:3]}-{p[3:6]}-{p[6:]}"])

    def card_as(self, rng: random.Random) -> str:
        c = self.card
        if len(c) == 15:
            return rng.choice([f"{c[:4]} {c[4:10]} {c[10:]}", f"{c[:4]}-{c[4:10]}-{c[10:]}", c])
        groups = [c[i:i + 4] for i in range(0, 16, 4)]
        return rng.choice([" ".join(groups), "-".join(groups), c])


def _digits(key: str, n: int) -> str:
    h = hashlib.sha256(key.encode()).hexdigest()
    return "".join(str(int(ch, 16) % 10) for ch in h)[:n]


def _luhn_complete(prefix: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(prefix)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return prefix + str((10 - total % 10) % 10)


def synthetic_numbers(user_id: str) -> tuple[str, str]:
    """A valid-looking US phone number and a Luhn-valid card number for a seed user."""
    d = _digits(user_id, 40)
    phone = _AREA[int(d[:2]) % len(_AREA)] + str(2 + int(d[2]) % 8) + d[3:5] + d[5:9]
    if phone[3:6] == "555":
        phone = phone[:3] + "556" + phone[6:]
    kind = int(d[9]) % 3
    card = (_luhn_complete("37" + d[10:22]) if kind == 0 else
            _luhn_complete("4" + d[10:24]) if kind == 1 else _luhn_complete("5" + str(1 + int(d[24]) % 5) + d[25:38]))
    return phone, card


@dataclass
class Seed:
    users: dict
    orders: dict
    personas: list[Persona] = field(default_factory=list)

    @classmethod
    def load(cls, seed_dir: Path = SEED) -> Seed:
        users = json.loads((seed_dir / "users.json").read_text())
        orders = json.loads((seed_dir / "orders.json").read_text())
        seed = cls(users, orders)
        for uid, u in users.items():
            phone, card = synthetic_numbers(uid)
            seed.personas.append(Persona(uid, u["name"]["first_name"], u["name"]["last_name"], u["email"],
                                         u["address"], tuple(u.get("payment_methods") or {}),
                                         tuple(u.get("orders") or ()), phone, card))
        return seed


# ---------------------------------------------------------------- script pieces
def _opening(p: Persona, rng: random.Random) -> list:
    asks = ["Where is my order?", "I want to return something I bought", "I need to cancel an order",
            "I need to change the shipping address of my order", "can you check the status of my order",
            "I'd like to exchange an item", "/order_status", "/return_items", "/change_order_address"]
    ask = rng.choice(asks)
    if ask.startswith("/"):  # a button of the web chat's menu
        return [ask]
    return [rng.choice([ask, ask, f"Hi, I'm {p.first} {p.last}. {ask}", f"hello this is {p.first} {p.last}, {ask}",
                        f"{ask} - my name is {p.first.lower()} {p.last.lower()}"])]


def _sign_in_email(p: Persona, rng: random.Random) -> list:
    return [rng.choice(["email", "my email", "/inform{\"auth_method\": \"email\"}"]),
            rng.choice([p.email, f"it's {p.email}", f"my email is {p.email.upper()}", f"{p.email} thanks"])]


def _sign_in_name_zip(p: Persona, rng: random.Random, wrong_zip: str | None = None) -> list:
    name = rng.choice([f"{p.first} {p.last}", f"my name is {p.first} {p.last}", f"{p.first.lower()} {p.last.lower()}",
                       f"I am {p.first} {p.last}"])
    zip_ = p.address["zip"]
    steps = [rng.choice(["name and zip", "name", "/inform{\"auth_method\": \"name_zip\"}"]), name]
    if wrong_zip:
        steps += [f"{wrong_zip} is my zip", rng.choice(["name and zip", "name"]), name]
    steps.append(rng.choice([f"{zip_} is my zip", f"zip: {zip_}", zip_, f"my zip code is {zip_}", f"it's {zip_}"]))
    return steps


def _trigger_sign_in(p: Persona, rng: random.Random) -> list:
    if rng.random() < 0.5:
        return [f'/authenticate{{"email": "{p.email}"}}']
    return [f'/authenticate{{"name": {{"first_name": "{p.first}", "last_name": "{p.last}"}}, '
            f'"zip": "{p.address["zip"]}"}}']


def _volunteer(p: Persona, rng: random.Random, other: dict) -> list:
    """Personal data shoppers type unasked."""
    lines = [f"you can reach me at {p.phone_as(rng)}", f"my number is {p.phone_as(rng)} if you need it",
             f"can I pay with my card {p.card_as(rng)}?", f"card number {p.card_as(rng)}, expiry 04/29",
             f"I live at {p.address['address1']}, {p.address['city']}", f"{p.address['zip']} is my zip",
             f"ship it to {other['address1']}, {other['address2']}, {other['city']}, {other['state']} {other['zip']}",
             f"my user id is {p.user_id}", f"text me on {p.phone_as(rng)}, my email is {p.email}",
             f"{p.address['address1']} {p.address['address2']}"]
    return rng.sample(lines, k=rng.randint(1, 3))


def _orders(p: Persona, rng: random.Random) -> list:
    if not p.orders:
        return [CLICK]
    order = rng.choice(p.orders)
    return [rng.choice([CLICK, order, f"order {order}", f"the status of {order} please", CLICK])]


def _new_address(rng: random.Random, other: dict) -> list:
    line = f"{other['address1']}, {other['address2']}, {other['city']}, {other['state']} {other['zip']}"
    return [rng.choice([line, line.replace(f", {other['address2']}", ""), line.lower()]), rng.choice(["no", "yes"])]


def script(p: Persona, seed: Seed, rng: random.Random) -> list:
    """One conversation: opening, sign-in, orders, volunteered data, and a few more turns."""
    other = rng.choice(list(seed.orders.values()))["address"]
    steps = _opening(p, rng)
    how = rng.random()
    if how < 0.4:
        steps += _sign_in_email(p, rng)
    elif how < 0.8:
        wrong = rng.choice(seed.personas).address["zip"] if rng.random() < 0.3 else None
        steps += _sign_in_name_zip(p, rng, wrong if wrong != p.address["zip"] else None)
    else:
        steps += _trigger_sign_in(p, rng)
    steps += _orders(p, rng)
    if rng.random() < 0.5:
        steps += [CLICK, CLICK]
    steps += _volunteer(p, rng, other)
    if rng.random() < 0.3:
        steps += ["/change_default_address"] + _new_address(rng, other)
    if rng.random() < 0.15:
        steps += [f"I want to talk to a human, call me at {p.phone_as(rng)}"]
    steps += [rng.choice(["thanks, bye", "that's all", CLICK])]
    return steps
