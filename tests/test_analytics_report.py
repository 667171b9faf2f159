"""`shoptalk report` writes one self-contained HTML file with the figures and the charts."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from fastapi.testclient import TestClient

from engine.cli import main
from service.app import create_app
from service.settings import Settings
from tests.service_fixtures import get_real_engine

ROOT = Path(__file__).resolve().parents[1]
KEY = {"X-API-Key": "rep-secret"}


def test_report_is_one_self_contained_file_with_charts(capsys):
    tmp = Path(tempfile.mkdtemp(prefix="shoptalk-report-"))
    settings = Settings(tracker_url=f"sqlite:///{tmp}/tracker.db", api_keys=["rep:rep-secret"],
                        rate_limit_per_minute=0, analytics_refresh_seconds=0)
    with TestClient(create_app(settings, engine=get_real_engine())) as client:
        for msgs in (['/order_status{"order_id": "#W5918442"}', "sofia.rossi2645@example.com"], ["zxqv blorp"],
                     ["/cancel_order", "/cancel"]):
            cid = client.post("/v1/conversations", headers=KEY).json()["conversation_id"]
            for text in msgs:
                assert client.post(f"/v1/conversations/{cid}/messages", json={"text": text}, headers=KEY).status_code == 200
        api = client.get("/v1/analytics/summary", headers=KEY).json()
    out = tmp / "report.html"
    assert main(["report", "--project", str(ROOT), "--tracker-url", f"sqlite:///{tmp}/tracker.db",
                 "--from", "2000-01-01", "--to", "2999-12-31", "-o", str(out)]) == 0
    page = out.read_text()
    assert "wrote" in capsys.readouterr().out
    assert page.count("<svg") == 4 and "<path" in page  # funnels, rates, CSAT, unrecognised groups: drawn
    assert not re.search(r"<script|<link|\bsrc=", page)  # nothing fetched: one file
    assert f"<b>{api['tasks']['started']}</b>Tasks started" in page and "order_status" in page
    assert "zxqv blorp" in page  # the unrecognised group
    empty = tmp / "empty.html"
    assert main(["report", "--project", str(ROOT), "--tracker-url", f"sqlite:///{tmp}/tracker.db",
                 "--from", "2001-01-01", "--to", "2001-01-02", "--no-groups", "-o", str(empty)]) == 0
    assert "<b>0</b>Tasks started" in empty.read_text()
