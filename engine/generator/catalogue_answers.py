"""Catalogue and money questions, computed: never a number the language model wrote.

"Which t-shirt is the cheapest?", "how many colors does the backpack come in?", "is the red XL t-shirt in
stock?", "how much more is the 256GB phone than the 128GB one?", "how much are the headphones?", "a
waterproof boot under $200?", "an electric kettle or a tea kettle?": the answer is computed from
products.json (the catalogue the passages are built from) over the available variants only, and phrased by
a fixed template in the shopper's words (catalogue_phrasing.py). A 135M model asked to pick a minimum from a passage copies the first price it sees.
Questions about the shopper's own orders never come here (the Answerer redirects them first).
Also: each question of a message answered ("sneakers in size 11?? and whats the cheapest pair"), a price bound over
the whole store ("anything under $50?", catalogue_parts.py), sums ("cheapest and priciest added up?"), a count the
shopper states ("all 19 skateboards in stock?") and a restock date, which the catalogue never holds.
"""
from __future__ import annotations

import re

from engine.knowledge.subjects import entities, entity_class

from .catalogue_phrasing import (COUNTED_BY_NAME, count_text, named_count_text, near_text, none_available,
                                 option_values, plural, plural_key, price_span, shopper_label, sold_out_note, value_list,
                                 value_prices, values_text)
from .catalogue_same import kept_from_premise, preferred
from .catalogue_values import (absent_values, attribute_asked, describe, mentioned_values,
                               option_key_named, ordered as _ordered, price_near, yes_no_keys)
from .catalogue_bundles import bundle_answer, money_held
from .catalogue_claims import claim_answer
from .catalogue_comparatives import asks_which_more, compared_option
from .catalogue_counted import counted_variants
from .catalogue_clauses import (COMES_WITH, EXCHANGE_TARGET, LIST_OPTIONS, OPTIONS_COUNTED, RULE_ASK, SWAP_ASK,
                                SWAP_LEAVE, USE_ASK, asked_sentence, names_an_option, option_key_asked, option_keys_named,
                                plural_part, premise_apart)
from .catalogue_negated import affirmed, answered
from .catalogue_option_pairs import option_pair_answer
from .catalogue_premise import absent_measure, price_guess
from .catalogue_extremes import extreme_values
from .catalogue_follow_ups import follow_up_answer
from .catalogue_pairs import SUM, two_product_answer
from .catalogue_parts import compared_sides, left_out, question_parts, stated_count, store_budget
from .catalogue_sides import Computed, _compare, _compare_sides, _not_listed, _spread, _unavailable_values
from .catalogue_store import STORE_WIDE, money as _money, opts as _opts, store_counts, store_extreme
from .catalogue_shared_names import as_named, shared_name_products
from .recommend import RECOMMEND_CUES, asks_of_the_shop, find_product

CHEAPEST = re.compile(r"\b(cheapest|least expensive|lowest[- ]price[d]?|most affordable|lowest cost|cheaper one|"
                      r"least (i|you|one) (can|could) pay|lowest)\b", re.I)
PRICIEST = re.compile(r"\b(most expensive|priciest|highest[- ]price[d]?|most costly|dearest)\b", re.I)
HOW_MANY = re.compile(r"\bhow many\b|\bnumber of\b", re.I)
PRICE = re.compile(r"\b(how much|price range|prices?|cost|costs|priced)\b", re.I)
AVAILABLE = re.compile(r"\b(in stock|available|availability|out of stock|sold out|for sale|can i (buy|get|order|afford)|possible)\b",
                       re.I)
# "fleece jacket in a medium - do you have it?", "does it come in black?": a stock question in other words
HAVE_IT = re.compile(r"\b((do|does|did) (you|u|ya|they|the \w+) (have|carry|stock|sell|offer|come)|have you got|got any|"
                     r"comes? in)\b", re.I)
# a message naming a product and its option values is a wish for it ("clicky keyboard with rgb, full size pref",
# "... is there a robot one with pet hair removal"), answered with what is in stock, unless it names a rule of the
# shop ("the blue backpack: what's the warranty?")
RULE_WORDS = re.compile(r"\b(polic(y|ies)|warrant\w*|guarantee\w*|ship\w*|deliver\w*|pay\w*|refund\w*|track\w*|"
                        r"address\w*|account|gift cards?|discount\w*|coupon\w*|promo\w*|sale|return\w*|exchang\w*|"
                        r"review\w*|manual|instructions?|work with|compatible)\b", re.I)
PRICE_WORDS = re.compile(r"\b(cheap\w*|expensive|pric\w*|cost\w*|how much|afford\w*|dearest|lowest)\b", re.I)
# a difference asked of one product with no two sides named: between its cheapest and its priciest variant
DIFFERENCE = re.compile(r"\b(price )?difference\b|\bhow far apart\b", re.I)
COMPARE = re.compile(r"\b(difference|compare|compared|vs\.?|versus|cheaper|more expensive|pricier|or the)\b", re.I)
# "you have 17 laptops, right?": a count the shopper states is answered with the real one
COUNT_CLAIM = re.compile(r"\b(you have|there are|you've got|you sell)\s+\d+\b", re.I)
NOT_AVAILABLE = re.compile(r"\b(not|isn't|aren't|un)[- ]?(available|in stock)\b|\bout of stock\b|\bsold out\b"
                           r"|\b(can't|cannot|can not)\s+(i\s+|you\s+|we\s+)?(buy|order)\b", re.I)
# "do you sell bikes?", "you carry helmets?": whether the shop has the product at all
SELLS = re.compile(r"\b(sell|sells|selling|carry|carries|offer)\b", re.I)
# "the notebook comes in A4, A5 and A6, so I'll take the A6 hard cover, how much is it?": the last clause asks
CLAUSE = re.compile(r"\s*(?:[.;!]|,?\s+\b(?:so|then|but)\b)\s+", re.I)
# "exchange it for the black one", "received the size 8 but need a 9": an order to act on, not a stock question
# ("if I bought the laptop and the phone" is a sum to work out, not an order)
# ("got the speaker in black?" opening a message is "have you got", a stock question)
# ("my bookshelf arrived ... I'd rather have a shorter one": a delivered order told as a story)
ORDER_ACTION = re.compile(r"\b(exchang\w*|return\w*|swap\w*|replac\w*|receiv\w*|cancel\w*|refund\w*|my order|arrived|"
                          r"(?:was|been|got) delivered|"
                          r"(?<!if )i (got|bought|ordered)|(?<!^)(?<!^you )got (the|my)|^got my)\b", re.I)
# the shopper's choices of what to do, not a product's options
MY_CHOICES = re.compile(r"\b(my|our) options\b|\boptions (do )?(i|we) have\b|\bwhat (can|could|should) (i|we) do\b"
                        r"|\b(anything|something) (i|we) can do\b", re.I)
# "what happens with the price difference?", "how is the difference paid?": a rule asked, not a figure
PROCESS = re.compile(r"\bwhat happens\b|\bhow (?:is|are|do|does)\b[^?]*\b(?:handled|work|paid|settled)\b", re.I)
# "how many size and colour combos of the t-shirt": the variants counted, not one option's values
COMBINATIONS = re.compile(r"\b(combinations?|combos?)\b", re.I)
# "my red L t-shirt for the purple one in S": the two variants of an exchange, each named by its own values
SWAP_SIDES = re.compile(r"\s+(?:for|than|to|instead of|into)\s+", re.I)
# "do you price match if I find the laptop cheaper on amazon?": a rule about other shops' prices, which the
# catalogue does not hold (its price range would answer a question not asked)
OTHER_SHOPS = re.compile(r"\b(price[- ]?match\w*|match (the|a|their|that|its) price|on amazon|at walmart|competitors?)\b",
                         re.I)
# when a sold-out variant comes back: the catalogue holds what is in stock now, never a date
RESTOCK = re.compile(r"\b(?:be |come |coming )?back in stock\b|\brestock\w*|\bin stock again\b|\bavailable again\b"
                     r"|\bback (?:on sale|available)\b", re.I)
# "how many of the black sneakers are left?": units in the warehouse, which the catalogue never holds (it says which
# options can be bought), unless the options are what is counted ("how many skateboard options are left")
UNITS_LEFT = re.compile(r"\b(left|remaining|units?|quantity|stock levels?)\b", re.I)

# a service for a product ("an assembly service for the office chair", "installation of the TV"), asked of the shop
SERVICE = re.compile(r"\b(?:offer|provide|do|have|arrange|sell)\b[^?.!]{0,15}?\b((?:assembly|installation|set-?up|"
                     r"fitting|engraving|gift[- ]wrapping|repair)(?:\s+services?)?)\b", re.I)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def computed_answer(question: str, catalogue: dict) -> Computed | None:
    """The computed answer when the question is one of the shapes above about a product (or the whole
    catalogue for cheapest / most expensive / how many products); None otherwise."""
    named = {e for e in entities(question) if entity_class(e) == "status"}
    chooses = MY_CHOICES.search(question) or RULE_ASK.search(asked_sentence(question)) or (
        "cancelled" in named and SWAP_ASK.search(asked_sentence(question))) or (
        named & {"pending", "delivered"} and SWAP_LEAVE.search(asked_sentence(question)))
    # (leave to swap asked of an order whose status is told, "the order is still pending. Is it possible to change the
    # colour?": the rule of that status answers, not the stock; "is there a Brand B one I could swap to?" asks the stock)
    if OTHER_SHOPS.search(question) or (chooses and (ORDER_ACTION.search(question) or named)) or \
            asks_of_the_shop(question, catalogue):
        return None  # "I bought a jacket, it's too small. What are my options?": what the shopper may do, a rule
        # ("I'm exchanging my shoes for the cheaper pair. What happens to the difference?": the rule, not the prices)
    # "do you offer an assembly service for the bookshelf?", "can the ceramic kettle go in the dishwasher?", "a
    # replacement filter for the purifier?": not what the catalogue lists of a product
    service = SERVICE.search(question)
    use = None if service else USE_ASK.search(asked_sentence(question) or question)
    extra = None if service or use else COMES_WITH.search(asked_sentence(question) or question)
    found = find_product(question[:extra.start()] if extra else question, catalogue) if service or use or extra else None
    if found and extra and names_an_option(extra.group("thing"), catalogue[found[0]]):
        found = None  # "does the grill come with a rotisserie?": one of its options, answered from them
    if found:
        about = (service.group(1).lower() if service else plural_part(use.group("part")) if use else
                 f"{extra.group('det').lower()} {extra.group('thing')}") or "that"
        return Computed(f"Our catalogue lists the {found[1]}'s options and prices; it says nothing about {about}.",
                        found[1], what="not_listed")
    guess = None if ORDER_ACTION.search(question) else affirmed(question)
    checked = _one_product(guess, catalogue) if guess else None
    if checked is not None and checked.what == "availability":  # "it doesn't come in gold, does it?"
        return Computed(answered(checked.text, bool(checked.item_ids)), checked.product, checked.item_ids,
                        "negative_guess")
    pair = option_pair_answer(question, catalogue)
    if pair:  # "which comes in more sizes, the boots or the sneakers?": the option of each, compared
        return Computed(pair[0], "", pair[1], "option_comparison")
    if PRICE_WORDS.search(question) and not ORDER_ACTION.search(question):
        high = bool(PRICIEST.search(question)) and not CHEAPEST.search(question)
        two = two_product_answer(question, catalogue, high=high)
        if two:  # "an electric kettle or a tea kettle?": the cheapest of each, and which is cheaper
            return Computed(two[0], "", two[1], "comparison")
    # (two products with a price word and a bound are that sum: "cheapest X + cheapest Y, under 80?")
    bundle = None if ORDER_ACTION.search(question) else bundle_answer(question, catalogue)
    if bundle:  # "a laptop and a backpack for under $2500?": the cheapest of each, their sum, within or not
        return Computed(bundle[0], "", bundle[1], "bundle")
    claim = None if ORDER_ACTION.search(question) else claim_answer(question, catalogue)
    if claim:  # "the 4-piece set is the most expensive one, isn't it?": the claim checked, yes or no
        return Computed(claim[0], claim[1], claim[2], "claim")
    follow = None if ORDER_ACTION.search(question) or asks_which_more(question) else \
        follow_up_answer(question, catalogue, _one_product)
    if follow:  # "the cheapest wristwatch, and does it come with a blue dial?": the second part of what the first found
        return Computed(follow[0], follow[1], follow[2], "follow_up")
    parts = question_parts(question, catalogue)
    if len(parts) > 1:  # "sneakers in size 11?? and whats the cheapest pair": each question answered
        got = [_one_product(p, catalogue) for p in parts]
        if all(got):
            whats = {c.what for c in got}
            return Computed(" ".join(c.text for c in got), got[0].product, [i for c in got for i in c.item_ids],
                            "not_listed" if whats == {"not_listed"} else "+".join(dict.fromkeys(c.what for c in got)))
    shared = [] if ORDER_ACTION.search(question) else shared_name_products(question, catalogue)
    got = [c for c in (_one_product(as_named(question, n), catalogue) for n in shared) if c is not None]
    if got and len(got) == len(shared):  # "the 4K camera": each camera that comes in 4K
        return Computed(" ".join(c.text for c in got), got[0].product, [i for c in got for i in c.item_ids],
                        "+".join(dict.fromkeys(c.what for c in got)))
    return _one_product(question, catalogue)


def _one_product(question: str, catalogue: dict) -> Computed | None:
    """One question about one product, or about the whole store when it names none."""
    rest, skip = left_out(question, catalogue)
    found = find_product(rest, catalogue)
    if found is None and not ORDER_ACTION.search(question):
        listing = store_budget(rest, catalogue, skip)
        if listing:  # "anything under $50?", "anything over 2k besides laptops"
            return Computed(listing[0], "", listing[1], "store_budget")
    if found is None or ((CHEAPEST.search(question) or PRICIEST.search(question)) and STORE_WIDE.search(question)):
        return _store_wide(question, catalogue)
    if RESTOCK.search(question):  # "when will sneakers size 11 be back in stock": what is in stock now, no date
        now = _one_product(RESTOCK.sub(" in stock ", question), catalogue)
        if now is not None and not now.item_ids:
            return Computed(now.text + " Our catalogue doesn't say when sold-out items come back in stock.",
                            now.product, what="not_listed")
        return now
    pid, name = found
    variants = list(catalogue[pid]["variants"].values())
    acting = bool(ORDER_ACTION.search(question))  # of the whole message, before its premise is set aside
    guessed = None if acting else price_guess(question, name, variants)
    if guessed:  # "the cheapest laptop is the one with the least RAM?": the cheapest first, then its RAM
        return Computed(guessed[0], name, guessed[1], "claim")
    missing = None if acting else absent_measure(question, name, variants)
    if missing:  # "the laptop with 64GB of RAM": there is none, said before anything is priced
        return Computed(missing, name, what="availability")
    clauses = [c for part in premise_apart(question) for c in CLAUSE.split(part) if c and c.strip()]
    asked_in = next((c for c in reversed(clauses) if mentioned_values(c, variants)), question)
    told = question
    if asked_in != question:  # values named earlier are the shopper's premise; the last clause asks
        question = asked_in + " " + " ".join(c for c in clauses if c is not asked_in and not mentioned_values(c, variants))
    # "in the heaviest weight range": the value a superlative names, unless the shopper names one of that option
    extremes = extreme_values(question, variants)
    mentioned = {**extremes, **mentioned_values(question, variants)}
    # "... in the same color and battery life": the shopper's own item's values; "prefer them in white": not blue
    if asked_in != told:
        mentioned = {**kept_from_premise(asked_in, told[:told.find(asked_in)], variants, mentioned, name), **mentioned}
    mentioned = preferred(told, mentioned)
    excluded = mentioned_values(question, variants, negated=True)
    if NOT_AVAILABLE.search(question) and not mentioned and not acting:
        return _unavailable_values(name, variants, option_key_asked(question, list(dict.fromkeys(
            k for v in variants for k in v["options"]))))
    keys = list(dict.fromkeys(k for v in variants for k in v["options"]))
    prop = attribute_asked(question, keys)
    if prop and prop[1] is None:  # "how much does the bookshelf weigh?", "which is lighter?": not a price question
        return Computed(_not_listed(name, prop[0], keys), name, what="not_listed")
    # comparison: two values of one option key ("the 128GB or the 256GB", "black vs green")
    pair = next(((k, vals[:2]) for k, vals in mentioned.items() if len(vals) >= 2), None)
    asks = COMPARE.search(question) or PRICE.search(question) or CHEAPEST.search(question) or PRICIEST.search(question)
    for sep in (re.compile(r"\s+(?:or|vs\.?|versus)\s+", re.I), SWAP_SIDES):
        halves = sep.split(question, maxsplit=1)
        sides = compared_sides(halves, variants) if (pair or COMPARE.search(question)) and asks and len(halves) == 2 else []
        if sides and all(sides) and sum(len(v) for side in sides for v in side.values()) > 2:
            return _compare_sides(name, variants, sides)
        if sides and all(sides) and len(sides[0]) == len(sides[1]) == 1 and sides[0].keys() == sides[1].keys() \
                and sides[0] != sides[1]:  # "the wifi-only one ... than the one with cellular"
            pair = next((k, [a[0], b[0]]) for (k, a), b in zip(sides[0].items(), sides[1].values()))
    if pair and asks:  # other values named once hold for both sides ("metal or leather strap, both with a white dial")
        both = {k: v for k, v in mentioned.items() if k != pair[0] and len(v) == 1}
        return _compare(name, variants, *pair, shared=both)
    chosen = [v for v in variants if all(str(v["options"].get(k)) in vals for k, vals in mentioned.items())
              and not any(str(v["options"].get(k)) in vals for k, vals in excluded.items())]
    flags = yes_no_keys({k: {str(v["options"][k]) for v in variants if k in v["options"]} for k in keys})
    named = {x.lower() for vals in mentioned.values() for x in vals}  # "stainless steel" is this kettle's material
    absent = {} if acting else {k: [x for x in v if x.lower() not in named] for k, v in
                                absent_values(question, variants, catalogue).items() if k not in mentioned}
    absent = {k: v for k, v in absent.items() if v}
    if absent:  # "running shoes in size 11": a size or colour this product never comes in
        chosen, mentioned = [], {**mentioned, **absent}
    avail = [v for v in chosen if v.get("available")]
    budget = money_held(question)  # "under $200", "I've got 2300 to spend"
    fit = [v for v in avail if budget.fits(v["price"])] if budget else avail
    # "not PVC": the values that are left, by name ("material TPE (not PVC)"), those available first
    left = {k: _ordered(str(v["options"][k]) for v in (avail or chosen or variants) if k in v["options"]
                        and str(v["options"][k]) not in vals) for k, vals in excluded.items()}
    wanted = ", ".join([describe(k, vals, flags) for k, vals in mentioned.items()] +
                       [f"{describe(k, left[k], flags)} (not {' or '.join(vals)})" if left[k] and k not in flags
                        else describe(k, ["no" if vals == ["yes"] else "yes"], flags) if k in flags
                        else f"{k} other than {' or '.join(vals)}" for k, vals in excluded.items()
                        if k not in mentioned])  # "natural rubber, not PVC": the wanted value says it
    label = f"{name}" + (f" with {wanted}" if wanted else "")
    the = f"the {label}" if excluded else shopper_label(name, mentioned, flags, article="the")

    def nothing() -> str:
        if excluded:
            return (f"We don't have the {label} available right now" +
                    (f": all {len(chosen)} we list are out of stock." if chosen else ": that is not available."))
        return none_available(name, mentioned, flags, chosen, variants)

    def over_budget(what: str) -> Computed:
        v = min(avail, key=lambda x: x["price"])
        return Computed(f"No: we don't have {label if excluded else shopper_label(name, mentioned, flags, article='a')} "
                        f"{budget.words()} right now. The cheapest available one is {_money(v['price'])} ({_opts(v)}).",
                        name, [v["item_id"]], what)

    versus = compared_option(told, shopper_label(name, mentioned, flags), avail)
    if versus:  # "two black earbuds in stock: which one has the longer battery?"
        return Computed(versus, name, [v["item_id"] for v in avail], "option_comparison")
    list_key = option_key_asked(question, keys, mentioned) if LIST_OPTIONS.search(question) else None
    if prop and not mentioned:
        list_key = prop[1]
    named_key = None if list_key or PRICE_WORDS.search(question) else option_key_named(question, keys)
    if named_key and named_key not in mentioned:  # "blue yoga mat how thick": the thickness, not its stock
        list_key = named_key
    if list_key and list_key not in mentioned and not HOW_MANY.search(question) and not absent:
        if not avail:
            return Computed(nothing(), name, what="options")
        can, gone = option_values(list_key, avail, chosen)
        subject = f"The {label}" if excluded else _cap(shopper_label(name, mentioned, flags, article="the"))
        said = (f"{plural_key(list_key, len(can))} " if list_key.lower() in ("size", "color", "colour")
                else f"{list_key}: ")  # "in sizes 6 and 10", "in height: 3 ft, 4 ft, 5 ft, 6 ft"
        priced = f" {value_prices(list_key, can, avail)}" if PRICE.search(question) else ""  # "colours and prices?"
        verb = "come" if plural(name) else "comes"
        only = "only " if len(can) == 1 else ""  # "comes only in black": one is all there is to choose
        if only and list_key.lower() in ("color", "colour"):
            said = ""
        return Computed(f"{subject} {verb} {only}in {said}{value_list(can)}{sold_out_note(gone)}.{priced}", name,
                        what="options")
    around = price_near(question)
    if around is not None and not budget and not HOW_MANY.search(question):  # "a laptop for around 2300 dollars?"
        if not avail:
            return Computed(nothing(), name, what="price_near")
        return Computed(near_text(label, avail, around, _opts, _money), name,
                        [v["item_id"] for v in sorted(avail, key=lambda v: abs(v["price"] - around))[:3]], "price_near")
    if DIFFERENCE.search(question) and (acting or PROCESS.search(question)) and not (CHEAPEST.search(question) or PRICIEST.search(question)):
        # "return or exchange, and what is the difference?", "exchanging for the bigger size - how do i pay the
        # difference?": about a return or an exchange (the policy), never the product's price range
        return None
    if (CHEAPEST.search(question) and PRICIEST.search(question)) or (DIFFERENCE.search(question) and len(fit) > 1):
        # "the price difference between the two sneakers you have": no sides named, so the two ends of the range
        return _spread(name, label, fit, chosen, nothing, summed=bool(SUM.search(question)))
    if CHEAPEST.search(question) or PRICIEST.search(question):
        high = bool(PRICIEST.search(question))
        if not avail:
            return Computed(nothing(), name, what="cheapest")
        if not fit:
            return over_budget("cheapest")
        v = (max if high else min)(fit, key=lambda x: x["price"])
        word = "most expensive" if high else "cheapest"
        count = count_text(the, plural(name), len(avail), len(chosen)) + " " if HOW_MANY.search(question) else ""
        return Computed(f"{count}The {word} available {label}{' ' + budget.words() if budget else ''} is the one with "
                        f"{_opts(v)}, at {_money(v['price'])}.", name, [v["item_id"]], "most_expensive" if high else "cheapest")
    stated = stated_count(question, name)
    if HOW_MANY.search(question) or COUNT_CLAIM.search(question) or stated is not None:
        key = option_key_asked(question, keys, mentioned) or (prop[1] if prop else None)  # "how many litres"
        if COMBINATIONS.search(question) or len([k for k in option_keys_named(question, keys) if k not in mentioned]) > 1:
            key = None  # "how many (deck, length, design) combinations": the variants, not one option's values
        if HOW_MANY.search(question) and UNITS_LEFT.search(question) and not OPTIONS_COUNTED.search(question):
            said = count_text(the, plural(name), len(fit), len(chosen))
            return Computed("Our catalogue doesn't say how many units are left in stock, only which options you can buy: "
                            + said[0].lower() + said[1:], name, what="not_listed")
        if absent:
            return Computed(nothing(), name, what="count")
        if key and key not in mentioned:
            can, gone = option_values(key, avail, chosen)
            return Computed(f"The {label} {'come' if plural(name) else 'comes'} in {values_text(key, can, gone)}.", name,
                            what="count")
        counted = len(chosen) if not budget else len(fit)
        said = named_count_text(the, name, len(fit), counted) if COUNTED_BY_NAME.search(question) and stated is None \
            else count_text(the, plural(name), len(fit), counted)
        said += counted_variants(fit) if COUNTED_BY_NAME.search(question) and stated is None else ""
        if stated is not None:  # "all 19 skateboards in stock?": the count one can buy, after a yes or no
            every = "all " if re.search(r"\ball\b", question, re.I) else ""
            said = ("Yes: " if stated == len(fit) else f"No, not {every}{stated}: ") + said[0].lower() + said[1:]
        if PRICE.search(question) and fit:  # "how many can i buy and whats the price range": both asked
            said += f" They cost {price_span(fit)}."
        return Computed(said, name, what="count")
    asks_if = AVAILABLE.search(question) or re.match(r"^\s*(do|does|is|are|can|any)\b", question, re.I) or (
        # "The boots I received are synthetic. I want leather. Do you have those?": a story, then a stock question
        HAVE_IT.search(asked_sentence(told)) or EXCHANGE_TARGET.search(asked_sentence(told)) or
        # "I need a bookshelf. Which is your shortest one?": the one a superlative names, asked for
        (extremes and re.search(r"\b(?:which|what)\b", asked_sentence(told) or told, re.I)) or
        not acting and (HAVE_IT.search(question) or (excluded and re.match(r"^\s*which\b", question, re.I))
                        or (len(re.findall(r"\w+", question)) <= 5 and not PRICE.search(question))  # "hose in rubber?"
                        # "blue bike helmet size L for my husband" ("I need ..." asks for a listing: recommend.py)
                        or (mentioned and not (RULE_WORDS.search(question) or RECOMMEND_CUES.search(question)
                                               or PRICE.search(question) or LIST_OPTIONS.search(question)))))
    if (mentioned or excluded or budget) and asks_if:  # "is there a tablet under a grand?"
        if not avail:
            return Computed(nothing(), name, what="availability")
        if not fit:
            return over_budget("availability")
        lo = min(fit, key=lambda x: x["price"])
        count = f"{len(fit)} options, from" if len(fit) != 1 else "1 option, at"
        verb = "are" if plural(name) else "is"
        return Computed(f"Yes: {the} {verb} available{' ' + budget.words() if budget else ''} ({count} "
                        f"{_money(lo['price'])}).", name, [v["item_id"] for v in sorted(fit, key=lambda x: x["price"])],
                        "availability")
    if asks_if and SELLS.search(question) and not (mentioned or excluded or acting or RULE_WORDS.search(question)):
        if not avail:  # "do you sell bikes?": the product, how many options and what they cost
            return Computed(nothing(), name, what="availability")
        return Computed(f"Yes: we sell the {name} ({len(avail)} option{'s' if len(avail) != 1 else ''} available, "
                        f"{price_span(avail)}).", name, [v["item_id"] for v in sorted(avail, key=lambda x: x["price"])],
                        "availability")
    if PRICE.search(question):
        if not avail:
            return Computed(nothing(), name, what="price_range")
        if not fit:
            return over_budget("price_range")
        bound = f" {budget.words()}" if budget else ""
        return Computed(f"The available {label} variants{bound} cost {price_span(fit)} "
                        f"({len(fit)} of {len(chosen)} available).", name, what="price_range")
    if LIST_OPTIONS.search(question):
        if not avail:
            return Computed(nothing(), name, what="options")
        parts = [f"{k}: {', '.join(option_values(k, avail, chosen)[0])}" for k in keys]
        # what the options cost is part of what they are to a shopper choosing one ("navy backpack, the options?")
        return Computed(f"The {label} comes in {'; '.join(parts)}, {'at' if len(avail) == 1 else 'costing'} "
                        f"{price_span(avail)} ({len(avail)} available).", name,
                        [v["item_id"] for v in sorted(avail, key=lambda x: x["price"])], "options")
    return None


def _store_wide(question: str, catalogue: dict) -> Computed | None:
    """Cheapest / most expensive over the whole store, the product with most options, the number of products."""
    if CHEAPEST.search(question) or PRICIEST.search(question):
        high = bool(PRICIEST.search(question))
        got = store_extreme(question, catalogue, high=high)
        if got:
            return Computed(got[0], got[1], [got[2]], "most_expensive" if high else "cheapest")
    counts = store_counts(question, catalogue, bool(HOW_MANY.search(question)))
    return Computed(counts[0], counts[1], what="count") if counts else None
