"""How long `aidatlas --help` takes, start to exit (issue 20 asks under 0.3 s).

    python benchmarks/cli_startup.py [--runs 15]

Runs the installed console script (`.venv/bin/aidatlas`, else `python -m aidatlas`) and prints the median and
the fastest wall-clock time, and the median CPU time of the child (which other processes on the machine do
not inflate).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    script = ROOT / ".venv" / "bin" / "aidatlas"
    command = [str(script), "--help"] if script.exists() else [sys.executable, "-m", "aidatlas", "--help"]
    walls, cpus = [], []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "COLUMNS": "100"})
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    print(f"aidatlas --help  median {statistics.median(walls):.3f} s  fastest {min(walls):.3f} s  "
          f"median CPU {statistics.median(cpus):.3f} s  ({args.runs} runs)")


if __name__ == "__main__":
    main()
