"""What a message wishes items to become ("the kettle to glass, the boots to size 11"), told apart from
which items it names: shared by reading an answer and by the slots an opening fills later."""
from __future__ import annotations

import re

from ..flows.model import SlotDef

# Verbs after "to" that start a request ("I'd like to change ..."), not the thing wished for.
REQUEST_VERBS = ("change|exchange|return|modify|swap|replace|cancel|get|have|buy|update|switch|make|send|do|know|see|"
                 "ask|be|keep|order|pay|use|ship|check|track|talk|speak|find|add|remove|give|take|go|put|"
                 # "a few things to sort out. first I want to return ...": errands announced, never a wish
                 "sort|deal|fix|handle|discuss|mention|figure|settle|tackle|resolve|run\\s+by|"
                 "try|attempt|start|begin|redo|retry|place|process|request")  # "I want to try changing ..."
# "I'd like that one in black", "we'd want them with a laser sensor": the thing named before, wished in an option
_LIKE_IT = (r"(?:i|we)(?:'?d|\s+would)?\s+(?:(?:really|rather|much)\s+)?(?:like|want|need|prefer|love)\s+"
            r"(?:it|them|that|this|those|these)(?:\s+ones?)?\s+(?:in|with)\s+(?!(?:(?:my|the|that|this)\s+)?"
            r"(?:order\b|#?w\d{7}))")
_LIKED_CLAUSE = re.compile(r"(?<=[,.;:!-])\s*(?:(?:but|so|and)\s+)?" + _LIKE_IT + r"[^.!?;]*", re.I)
# "... to leather, black", "... for ones with 8GB", "... for a bigger one": what the shopper wants the
# items to become, up to the next item ("and the kettle to glass", ", the kettle to glass").
# ("should be blue" wishes a value; "should be removed" says what happens to the item, no wish)
WISHED = re.compile(rf"\s(?:(?:to|into)\s+(?!(?:{REQUEST_VERBS})\b)|for\s+(?:(?:a|an|the|some)\s+)?(?:[\w.,'-]+\s+){{0,6}}?"
                     rf"ones?\b|(?:in|with)\s+(?:[\w.,'-]+\s+){{1,4}}?instead\b|instead\b"  # "in blue instead of black"
                     rf"|should\s+(?:be|become)\s(?!(?:removed|taken|dropped|deleted|excluded|included|added|left|kept"
                     rf"|out|in|returned|exchanged|cancell?ed|changed|swapped|replaced|refunded|gone)\b)"
                     rf"|{_LIKE_IT}|make\s+(?:it|that|them)\s+(?!(?:{REQUEST_VERBS})\b)"
                     # "I have the silver set and would like a 4-piece in blue": a new thing wished after the item
                     rf"|(?:and|but)\s+(?:i\s+|we\s+)?(?:would\s+|'d\s+)?(?:like|want|need|prefer)\s+(?:a|an)\s+"
                     rf"(?!(?:refund|new\s+order|person|agent|human|return|exchange)\b))"
                     rf".*?(?=\s+and\s+(?:the|my|a|an|also)\s|[,.]\s*(?:and\s+)?(?:the|my)\s|$)", re.I | re.S)


def items_part(slot: SlotDef, text: str) -> str:
    """The part of an opening that says which items, without what they should become: in "change
    the wristwatch to leather, black", "black" describes the new watch, not the order's black phone."""
    if slot.type != "items":
        return text
    # (blanked, not cut: positions found in the whole message still point at the same words)
    # "The RGB 60% one. I want a linear switch, 80% size instead": a sentence wanting something
    # "instead" describes the new item, when another sentence says which
    wish = _instead_match(text)
    if wish:
        text = text[:wish.start()] + " " * (wish.end() - wish.start()) + text[wish.end():]
    # each wish ends at a ";" too: "the boots to size 11; the smartphone to black; and the helmet to M"
    # names three items, so only "to size 11", "to black" and "to M" go
    out, wishing = [], False
    for part in re.split(r"(;)", text):
        if part == ";" or not part.strip():
            out.append(part)
        elif wishing and not _NAMES_ITEM.match(part):  # "to size 11; black, 8GB; size M, red": the list goes on
            out.append(" " * len(part))
        else:
            blanked = WISHED.sub(lambda m: " " * len(m.group()), part)
            wishing = blanked != part
            out.append(blanked)
    return "".join(out)


# A part after ";" that names another item ("; the smartphone (...) to black", "; and the helmet to M")
_NAMES_ITEM = re.compile(r"\s*(?:and\s+|also\s+)*(?:the|my|a|an|that|this)\s", re.I)


_INSTEAD_SENTENCE = re.compile(r"(?<=[.!;])\s+(?:(?:but|so|and)\s+)?I\b[^.!?;]*\binstead\b(?!\s+of\b)[^.!?;]*[.!;]?",
                               re.I)  # "... . I want a linear one instead", not "And the espresso machine - ... instead"


def _instead_match(text: str) -> re.Match | None:
    wish = _INSTEAD_SENTENCE.search(text)
    return wish if wish and text[:wish.start()].strip(" .!,;") else None


def instead_sentence(text: str) -> str | None:
    """The sentence wanting something "instead", after another sentence that says which item."""
    wish = _instead_match(text)
    return wish.group().strip() if wish else None


def liked_clause(text: str) -> str | None:
    """"I'd like that one in black" after a clause that says which item ("the RGB one, ..."): the wish only,
    so the item's own options ("RGB") are not read as wished too."""
    wish = _LIKED_CLAUSE.search(text)
    return wish.group().strip() if wish and text[:wish.start()].strip(" .!,;:-") else None


# "switch the payment of #W3510092 to my PayPal", "change my order's payment method to the visa", "pay for
# the order with my gift card": a request to change how an order is paid, up to the end of its clause
_ORDER_PAYMENT = re.compile(r"(?:\b(?:switch|chang|updat|mov|swap|set|replac)\w*\s+(?:(?:the|my|its|it'?s|their|that"
                            r"|this|order'?s?)\s+){0,3}(?:payment|billing)\b|\bpay\s+for\s+(?:it|(?:the|that|this|my)"
                            r"\s+(?:whole\s+)?order)\s+(?:with|using|by|on|via)\b)(?:(?![,.;!?\n]|\band\b|\bbut\b|\bthen\b).)*",
                            re.I)


def without_order_payment(text: str) -> str:
    """`text` with its requests to change how an order is paid blanked (offsets kept): the method such
    a request names is that task's, never the price difference or refund of another task's items."""
    return _ORDER_PAYMENT.sub(lambda m: " " * len(m.group()), text)
