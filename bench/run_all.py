"""Run every benchmark in turn and rewrite its section of bench/README.md.

Each script can also run alone (see its docstring); this is what `make bench` runs.
Peer engines for the rule-engine comparison come from the `bench` extra
(`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ("bench_scoring.py", "bench_engine.py", "bench_batch.py", "bench_impact.py",
           "bench_web.py")


def main() -> int:
    failed = []
    for name in SCRIPTS:
        print(f"== {name}", flush=True)
        result = subprocess.run([sys.executable, str(HERE / name), "--write"], check=False)
        if result.returncode:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
