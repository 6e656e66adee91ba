"""Peak memory of the command line while it stores and counts a big file.

    python bench/memory.py                 # 1 GiB and 4 GiB files
    python bench/memory.py --sizes 1GiB    # one size
    python bench/memory.py --quick         # 16 MiB, seconds (the test suite runs it)

Each size runs ``main.py count WORD FILE`` (6 nodes, R = 3, 1 MiB blocks) as its own process and
samples, every 20 ms, the command's peak resident set (``VmHWM``) and its node processes'
resident sets. The input is the project's corpus repeated to the size. The count is checked
against ``grep -ow WORD FILE | wc -l`` (where grep exists). Writes bench/memory.json and
bench/memory.md (``-quick`` in the names with --quick). Figures are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from engine.corpus import generate_corpus_bytes  # noqa: E402
from engine.sizes import format_size, parse_size  # noqa: E402
from engine.tempfiles import make_temp_folder, remove_temp_folder  # noqa: E402

MIB = 1 << 20
WORD = "data"
SEED_BYTES = 64 * MIB  # the corpus written once, then repeated to the size


def write_repeated_corpus(path: str, size: int) -> None:
    seed = generate_corpus_bytes(min(size, SEED_BYTES), seed=7)
    if not seed.endswith(b"\n"):
        seed = seed[:-1] + b"\n"
    with open(path, "wb") as f:
        left = size
        while left > 0:
            piece = seed[:left]
            f.write(piece)
            left -= len(piece)


def _status_kib(pid: int, key: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    """Children of every thread of ``pid`` (the nodes are forked by the engine thread)."""
    found = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for tid in threads:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                found.extend(int(x) for x in f.read().split())
        except OSError:
            pass
    return found


def measure(path: str, timeout: float) -> dict:
    """Run one count and sample its memory until it ends."""
    cmd = [sys.executable, os.path.join(ROOT, "main.py"), "count", WORD, "--input", path, "--nodes", "6",
           "--replication", "3", "--block-size", "1MiB", "--json", "--timeout", str(timeout)]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    peak_cmd = 0
    peak_node = 0
    peak_nodes_total = 0
    while proc.poll() is None:
        hwm = _status_kib(proc.pid, "VmHWM")
        if hwm:
            peak_cmd = max(peak_cmd, hwm)
        total = 0
        for child in _children(proc.pid):
            rss = _status_kib(child, "VmRSS") or 0
            peak_node = max(peak_node, rss)
            total += rss
        peak_nodes_total = max(peak_nodes_total, total)
        time.sleep(0.02)  # a sampling interval, not a synchronisation
    out, err = proc.communicate()
    elapsed = time.monotonic() - started
    report = json.loads(out) if proc.returncode == 0 and out.strip() else {}
    return {"exit": proc.returncode, "elapsed_s": round(elapsed, 2), "count": report.get("count"),
            "peak_command_mib": round(peak_cmd / 1024, 1), "peak_node_mib": round(peak_node / 1024, 1),
            "peak_nodes_total_mib": round(peak_nodes_total / 1024, 1),
            "stderr_tail": err.strip().splitlines()[-3:] if proc.returncode else []}


def grep_count(path: str) -> int | None:
    if shutil.which("grep") is None:
        return None
    out = subprocess.run(f"grep -ow {WORD} '{path}' | wc -l", shell=True, capture_output=True, text=True)
    return int(out.stdout.strip())


def to_markdown(results: dict) -> str:
    lines = [f"# Peak memory of `count` ({results['mode']}, {results['machine']})", "",
             "| file | blocks of | command peak | largest node | nodes together | seconds | exact |",
             "|---|---|---|---|---|---|---|"]
    for row in results["rows"]:
        lines.append(f"| {row['size']} | 1 MiB | {row['peak_command_mib']} MiB | {row['peak_node_mib']} MiB | "
                     f"{row['peak_nodes_total_mib']} MiB | {row['elapsed_s']} | {row['exact']} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1GiB,4GiB", help="comma-separated file sizes")
    parser.add_argument("--quick", action="store_true", help="16 MiB only, for the test suite")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench"), help="folder for memory.json/.md")
    args = parser.parse_args(argv)
    sizes = [16 * MIB] if args.quick else [parse_size(s.strip()) for s in args.sizes.split(",") if s.strip()]
    folder = make_temp_folder("clusterscope-bench-memory-")
    rows = []
    try:
        for size in sizes:
            path = os.path.join(folder, "input.txt")
            write_repeated_corpus(path, size)
            truth = grep_count(path)
            row = measure(path, timeout=max(120.0, size / MIB))
            row["size"] = format_size(size)
            row["grep"] = truth
            row["exact"] = row["count"] == truth if truth is not None else None
            rows.append(row)
            print(json.dumps(row), flush=True)
            os.remove(path)
    finally:
        remove_temp_folder(folder)
    results = {"mode": "quick" if args.quick else "full", "machine": f"{platform.machine()}, {os.cpu_count()} cores",
               "rows": rows}
    suffix = "-quick" if args.quick else ""
    with open(os.path.join(args.out, f"memory{suffix}.json"), "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.join(args.out, f"memory{suffix}.md"), "w") as f:
        f.write(to_markdown(results))
    print(to_markdown(results))
    return 0 if all(r["exit"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
