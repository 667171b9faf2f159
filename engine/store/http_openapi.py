"""Write or check the published contract: `python -m engine.store.http_openapi [--check] [PATH]`.

schemas/store_http.openapi.json is the reference server's own OpenAPI document, and the server's
routes are declared with the models the client validates answers with (http_contract), so the
published file, the server and the client cannot disagree; a test fails when the file is stale.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "store_http.openapi.json"


def generate() -> dict[str, Any]:
    """The OpenAPI document of the reference server (built over a throwaway store)."""
    from .http_server import create_app
    from .sqlite_store import SqliteStore

    with tempfile.TemporaryDirectory(prefix="shoptalk-openapi-") as tmp:
        with SqliteStore(Path(tmp) / "store.sqlite") as store:
            return create_app(store, token="openapi").openapi()


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(SCHEMA_PATH))
    parser.add_argument("--check", action="store_true", help="fail if the file differs from the generated one")
    args = parser.parse_args(argv)
    path, text = Path(args.path), render(generate())
    if args.check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            print(f"{path}: stale; regenerate with `python -m engine.store.http_openapi`", file=sys.stderr)
            return 1
        print(f"{path}: up to date")
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
