"""`shoptalk chat`: talk to the assistant in a terminal, against the local store.

Buttons are numbered; typing the number sends the button's payload, so every flow can be
finished with the keyboard alone. `/quit` leaves, `/state` shows the flow stack and slots.
"""
from __future__ import annotations

import argparse
import json
import sys


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="store database (default: $SHOPTALK_STORE or var/store.sqlite)")
    parser.add_argument("--rules", action="store_true", help="route with keyword rules instead of the trained router")
    parser.add_argument("--no-generator", action="store_true", help="answer open questions without the language model")
    parser.add_argument("--debug", action="store_true", help="print the route and slots after each turn")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from .engine import Engine
    from .flows.problems import FlowLoadError

    console = Console(highlight=False)
    try:
        engine = Engine.load(args.project, store_path=args.db, router="rules" if args.rules else "auto",
                             generator=None if args.no_generator else "auto")
    except FlowLoadError as exc:
        print(f"shoptalk chat: the flows have errors:\n{exc}", file=sys.stderr)
        return 1
    conv = engine.new_conversation()
    console.print("[bold]shoptalk[/bold] — type a message, a number to press a button, /quit to leave.")
    buttons: list = []
    while True:
        try:
            text = console.input("[bold cyan]you>[/bold cyan] ").strip()
        except EOFError:
            return 0
        if text in ("/quit", "/exit"):
            return 0
        if text == "/state":
            console.print_json(json.dumps({"stack": [f.flow_id for f in conv.state.stack], "slots": conv.state.values()},
                                          default=str))
            continue
        if text.isdigit() and buttons and 1 <= int(text) <= len(buttons):
            text = buttons[int(text) - 1].payload
        streamed: list[str] = []
        turn = None
        for event in conv.send_stream(text):
            if event["type"] == "token":
                if not streamed:
                    console.print("[bold green]bot>[/bold green] ", end="")
                streamed.append(event["text"])
                console.print(event["text"], end="", markup=False)
            else:
                turn = event["turn"]
        if streamed:
            console.print()
        buttons = show_turn(console, turn.messages, "".join(streamed))
        if args.debug and turn.route:
            console.print(f"[dim]route={turn.route.label} ({turn.route.decided_by}, {turn.route.confidence:.2f}) "
                          f"flow={turn.active_flow} expecting={turn.expecting.slot if turn.expecting else None}[/dim]")


def show_turn(console, messages: list, streamed: str) -> list:
    """Print a turn's messages, each once: the generated one whose words were streamed already shows only
    what the stream did not (its source line), or in full when the checked answer replaced the stream.
    Returns the buttons, numbered in order."""
    from rich.markup import escape

    buttons: list = []
    live = next((m for m in messages if m.source != "flow"), None) if streamed.strip() else None
    for message in messages:
        text = unshown(streamed, message.text) if message is live else message.text
        if text:
            console.print(f"[bold green]bot>[/bold green] {escape(text)}", markup=True, soft_wrap=True)
        for button in message.buttons:
            buttons.append(button)
            console.print(f"   [{len(buttons)}] {button.title}", markup=False)
    return buttons


def unshown(streamed: str, text: str) -> str:
    """The part of `text` after the words already streamed; all of it if it does not start with them."""
    pos = 0
    for word in streamed.split():
        at = text.find(word, pos)
        if at < 0 or text[pos:at].strip():
            return text
        pos = at + len(word)
    return text[pos:].strip()
