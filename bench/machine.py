"""Where a bench figure was measured: the commit and the machine, written beside every figure in bench/results/.

A figure without its CPU and commit cannot be compared with the next session's (these machines differ from
one session to the next: AVX-512 or not, 2.45 GHz or more, shared or idle).
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def machine(measured_paths: tuple[str, ...] = ("engine", "service", "flows", "intents", "models", "bench")) -> dict:
    """Commit, whether the measured code had uncommitted changes, nproc, CPU model, load average, time (UTC)."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown")
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", *measured_paths],
                           capture_output=True, text=True).stdout.strip()
    return {"commit": commit, "uncommitted_changes_in_measured_code": bool(dirty), "nproc": os.cpu_count(),
            "cpu_model": cpu, "loadavg_start": os.getloadavg()[0], "python": sys.version.split()[0],
            "utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
