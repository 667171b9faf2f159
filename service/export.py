"""Export conversation events as JSON lines (analytics, fine-tuning).

    python -m service.export CONVERSATION_ID [--tracker-url URL] > events.jsonl
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys


async def event_lines(tracker, conv_id: str) -> list[str]:
    """One JSON object per line, oldest first: the shopper's message, the engine's events, the bot's replies."""
    lines = []
    async for rec in tracker.iter_turns(conv_id):
        seq, ts, turn = rec["seq"], rec.get("ts"), rec.get("turn", {})
        base = {"conversation_id": conv_id, "seq": seq, "ts": ts}
        lines.append(json.dumps({**base, "type": "user", "text": rec.get("user"),
                                 "message_id": rec.get("message_id"), "channel": rec.get("channel")},
                                ensure_ascii=False))
        if turn.get("route"):
            lines.append(json.dumps({**base, "type": "route", **turn["route"]}, ensure_ascii=False))
        for ev in turn.get("events", []):
            lines.append(json.dumps({**base, "type": "engine", "event": ev}, ensure_ascii=False))
        for action in turn.get("actions", []):
            lines.append(json.dumps({**base, "type": "action", **action}, ensure_ascii=False))
        for m in turn.get("messages", []):
            lines.append(json.dumps({**base, "type": "bot", **m}, ensure_ascii=False))
    return lines


def main(argv=None) -> int:
    from service.settings import Settings
    from service.tracker import open_tracker

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("conversation_id", nargs="+")
    parser.add_argument("--tracker-url", default=None)
    args = parser.parse_args(argv)
    async def run() -> None:
        tracker = open_tracker(args.tracker_url or Settings.load().tracker_url)
        try:
            for conv_id in args.conversation_id:
                for line in await event_lines(tracker, conv_id):
                    sys.stdout.write(line + "\n")
        finally:
            await tracker.aclose()

    asyncio.run(run())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
