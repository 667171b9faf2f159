"""`shoptalk test [PATH]`: run conversation tests (and generated repair variants) in parallel."""
from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..paths import display_path
from .spec import SpecError, TestSpec, discover, load_file

_HARNESS = None


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", help="test files or folders (default: tests/conversations)")
    parser.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: CPUs, at most 4)")
    parser.add_argument("--router", choices=["rules", "trained"], default="trained",
                        help="trained: the router the service ships (default); rules: keyword stand-in for state-machine work")
    parser.add_argument("--junit", metavar="FILE", help="write JUnit XML here")
    parser.add_argument("--repairs", action="store_true", help="also run generated repair variants")
    parser.add_argument("--min-coverage", type=float, default=None, metavar="N",
                        help="fail when any tested flow's step coverage is below N%%")
    parser.add_argument("-k", dest="select", default=None, help="only tests whose name contains this")
    parser.add_argument("-q", "--quiet", action="store_true")


def _init(project: str, router: str) -> None:
    global _HARNESS
    from .runner import Harness

    _HARNESS = Harness(Path(project), "rules" if router == "rules" else "auto")


def _work(test: TestSpec, repairs: bool):
    from .runner import run_test

    res = run_test(_HARNESS, test)
    variants = []
    if repairs and res.ok and test.repairs:
        from .repairs import run_repairs

        variants = run_repairs(_HARNESS, test, res)
    res.transcript = []  # not needed by the parent
    return res, variants


def run_all(project: Path, tests: list[TestSpec], *, jobs: int = 1, router: str = "trained",
            repairs: bool = False):
    """Run tests; returns (results, variants) in test order."""
    if jobs <= 1:
        _init(str(project), router)
        out = [_work(t, repairs) for t in tests]
    else:
        with ProcessPoolExecutor(jobs, initializer=_init, initargs=(str(project), router)) as pool:
            out = list(pool.map(_work, tests, [repairs] * len(tests), chunksize=max(1, len(tests) // (jobs * 4))))
    return [r for r, _ in out], [v for _, vs in out for v in vs]


def load_tests(project: Path, paths: list[str]) -> tuple[list[TestSpec], list]:
    roots = [Path(p) for p in paths] or [project / "tests" / "conversations"]
    tests, problems = [], []
    for f in discover([p if p.is_absolute() or p.exists() else project / p for p in roots], project):
        display = display_path(f, project)
        try:
            tests += load_file(f, display)
        except SpecError as exc:
            problems += exc.problems
    return tests, problems


def run(args: argparse.Namespace) -> int:
    from .coverage import coverage_table, flow_coverage
    from .junit import write_junit

    project = Path(args.project).resolve()
    tests, problems = load_tests(project, args.paths)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 2
    if args.select:
        tests = [t for t in tests if args.select in t.name]
    if not tests:
        print("no conversation tests found", file=sys.stderr)
        return 2
    jobs = args.jobs or min(4, os.cpu_count() or 1)
    t0 = time.perf_counter()
    results, variants = run_all(project, tests, jobs=min(jobs, len(tests)), router=args.router, repairs=args.repairs)
    elapsed = time.perf_counter() - t0
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(r.render() + "\n")
    from ..flows.loader import load_flows

    flows = load_flows(project / "flows", root=project)
    cov = flow_coverage(flows, results)
    if not args.quiet:
        print(coverage_table(cov))
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed, {len(results)} tests in {elapsed:.1f}s")
    code = 1 if failed else 0
    if args.repairs:
        bad = [v for v in variants if not v.ok]
        for v in bad:
            print(v.render() + "\n")
        by_kind: dict[str, list[int]] = {}
        for v in variants:
            by_kind.setdefault(v.kind, [0, 0])[0] += 1
            by_kind[v.kind][1] += v.ok
        detail = ", ".join(f"{k}: {p}/{n}" for k, (n, p) in sorted(by_kind.items()))
        print(f"repairs: {len(variants)} variants generated, {len(variants) - len(bad)} passed ({detail})")
        code = code or (1 if bad else 0)
    if args.junit:
        write_junit(Path(args.junit), results, variants, cov)
    if args.min_coverage is not None:
        low = [c for c in cov if c.tested and c.step_pct < args.min_coverage]
        for c in low:
            print(f"coverage of {c.flow} is {c.step_pct:.0f}%, below --min-coverage {args.min_coverage:g}%")
        untested = [c.flow for c in cov if not c.tested]
        if untested:
            print("flows with no test: " + ", ".join(untested))
        if low or untested:
            code = code or 1
    return code
