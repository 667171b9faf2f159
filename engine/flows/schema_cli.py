"""`shoptalk schema`: write the JSON Schemas for flow and intent files (default: schemas/)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="schemas", help="folder to write into, relative to the project (default: schemas)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a schema file is out of date")


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def run(args: argparse.Namespace) -> int:
    from .schema import all_schemas

    out = Path(args.project) / args.out
    stale = []
    for name, schema in all_schemas().items():
        path, text = out / name, render(schema)
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            out.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if args.check and stale:
        for path in stale:
            print(f"{path}: out of date; run `shoptalk schema`", file=sys.stderr)
        return 1
    if not stale:
        print(f"schemas in {out} are up to date")
    return 0
