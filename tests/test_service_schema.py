"""schemathesis against the app's own OpenAPI (real engine, in process): no 5xx, bounded in time.

Driven through schemathesis' hypothesis strategies per operation (its pytest plugin does not load
under pytest 9): at most 40 examples per operation, with an integrator key; half of the requests
that name a conversation use a real one so message fuzzing reaches the engine.
"""
from __future__ import annotations

import tempfile

import pytest
from hypothesis import HealthCheck, given, settings

schemathesis = pytest.importorskip("schemathesis", reason="pip install schemathesis")

from fastapi.testclient import TestClient  # noqa: E402

from service.app import create_app  # noqa: E402
from service.settings import Settings  # noqa: E402
from tests.service_fixtures import get_real_engine  # noqa: E402

KEY = "fuzz-key"


def test_openapi_fuzz_no_server_errors():
    tmp = tempfile.mkdtemp(prefix="shoptalk-fuzz-")
    app = create_app(Settings(tracker_url=f"sqlite:///{tmp}/tracker.db", api_keys=[f"fuzz:{KEY}"],
                              rate_limit_per_minute=0, shopper_rate_limit_per_minute=0),
                     engine=get_real_engine())
    with TestClient(app) as c:
        real = c.post("/v1/conversations", headers={"X-API-Key": KEY}).json()["conversation_id"]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    seen: dict[str, set[int]] = {}
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            if case.path_parameters and "conversation_id" in case.path_parameters and case.method != "DELETE":
                if hash(repr(case.body)) % 2 == 0:
                    case.path_parameters["conversation_id"] = real
            response = case.call(headers={"X-API-Key": KEY})
            seen.setdefault(f"{case.method} {case.path}", set()).add(response.status_code)
            assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text[:500])
            ctype = response.headers.get("content-type", "")
            ctype = ctype[0] if isinstance(ctype, list) else ctype
            if response.status_code >= 400 and ctype.startswith("application/json"):
                body = response.json()
                assert isinstance(body, dict) and {"code", "message"} <= set(body["error"]), body

        check()
    assert len(seen) >= 8, seen
    assert 200 in seen["POST /v1/conversations/{conversation_id}/messages"], seen
