"""The promise under load: a wordcount of a large file on the default cluster, with
CPU-bound processes competing for the cores (a lecturer's laptop with a browser open), judged
against a one-process reference over the same bytes.

    python bench/under_load.py [--size 1GiB] [--burners 2] [--runs 1] [--out FILE]

Prints, for each run, whether the top 20 equals the reference, the time, and what the
failure detector did (nodes suspected, declared dead; coordinator stalls forgiven).
Not a speed target: a correctness proof on a loaded machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from engine.corpus import write_corpus  # noqa: E402
from engine.sizes import parse_size  # noqa: E402
from engine.tempfiles import temp_folder  # noqa: E402
from engine.text import WORD_RE, top_k  # noqa: E402

CHUNK = 16 * 1024 * 1024


def reference_top(path: str, k: int) -> list:
    """One process, a different code path from the cluster's: the file read in 16 MiB
    pieces cut after whitespace, each decoded and tokenised with Python's \\w+."""
    counts: Counter = Counter()
    rest = b""
    with open(path, "rb") as f:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                break
            data = rest + chunk
            cut = max(data.rfind(b" "), data.rfind(b"\n"))
            if cut < 0:
                rest = data
                continue
            rest = data[cut + 1:]
            counts.update(WORD_RE.findall(data[:cut + 1].decode("utf-8")))
    counts.update(WORD_RE.findall(rest.decode("utf-8")))
    return [list(x) for x in top_k(counts, k)]


def burners(n: int) -> list:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size", default="1GiB")
    p.add_argument("--burners", type=int, default=2)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--out", default=None)
    args = p.parse_args(argv)
    size = parse_size(args.size)
    results = []
    with temp_folder("clusterscope-load-") as work:
        path = os.path.join(work, "corpus.txt")
        t = time.monotonic()
        write_corpus(path, size, seed=1)
        print(f"corpus: {size} bytes in {time.monotonic() - t:.1f} s", flush=True)
        t = time.monotonic()
        truth = reference_top(path, 20)
        reference_s = time.monotonic() - t
        print(f"one-process reference: {reference_s:.1f} s", flush=True)
        for run in range(args.runs):
            load = burners(args.burners)
            try:
                t = time.monotonic()
                out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "wordcount", "--input", path,
                                      "--top", "20", "--json"], capture_output=True, text=True, cwd=ROOT)
                elapsed = time.monotonic() - t
            finally:
                for proc in load:
                    proc.kill()
                    proc.wait()
            report = json.loads(out.stdout) if out.stdout.strip().startswith("{") else {}
            exact = out.returncode == 0 and report.get("status") == "ok" and report.get("top") == truth
            row = {"run": run + 1, "exit": out.returncode, "exact": exact, "seconds": round(elapsed, 1),
                   "status": report.get("status"), "liveness": report.get("liveness"),
                   "stderr": out.stderr.strip()[-500:]}
            results.append(row)
            print(json.dumps(row), flush=True)
    summary = {"size": size, "burners": args.burners, "reference_s": round(reference_s, 1), "runs": results,
               "all_exact": all(r["exact"] for r in results)}
    if args.out:
        with open(args.out, "w") as f:
            json.dump(summary, f, indent=1)
    print(f"{sum(r['exact'] for r in results)} of {len(results)} runs exact")
    return 0 if summary["all_exact"] else 1


if __name__ == "__main__":
    sys.exit(main())
