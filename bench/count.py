"""count against GNU grep: ``grep -ow WORD FILE | wc -l`` on the same file.

    python bench/count.py            # 256 MiB of the project's corpus, 3 repeats
    python bench/count.py --quick    # 8 MiB, one repeat (the test suite runs it)

The cluster: 6 nodes, R = 3, 4 MiB blocks; every map checks its block's checksum, then
searches it. Three words of the corpus: a very frequent one, a middle-frequency one and a
rare one (as ``bench/run.py`` picks them). The figure is the job's time over grep's (medians
of the repeats, run alternately); target at most 0.4 for every word. Beside it, the physical
floor of this machine: reading and checksumming the file once over its cores
(``checksum_floor_s``). Writes bench/count.json and bench/count.md (``-quick`` in the
names with --quick). Figures are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for path in (ROOT, os.path.dirname(os.path.abspath(__file__))):
    if path not in sys.path:
        sys.path.insert(0, path)

from engine.backend import open_backend  # noqa: E402
from engine.blocks import checksum  # noqa: E402
from engine.config import ClusterConfig  # noqa: E402
from engine.corpus import write_corpus  # noqa: E402
from engine.model import JobSpec  # noqa: E402
from engine.tempfiles import make_temp_folder, remove_temp_folder  # noqa: E402
from run import MIB, pick_words  # noqa: E402

TARGET = 0.4


def checksum_floor(path: str) -> float:
    """Seconds to read the file and checksum it (the engine's CRC), divided over this
    machine's cores."""
    started = time.perf_counter()
    with open(path, "rb") as f:
        while chunk := f.read(4 * MIB):
            checksum(chunk)
    return (time.perf_counter() - started) / (os.cpu_count() or 1)


def bench(path: str, repeat: int) -> dict:
    words = pick_words(path)
    grep = shutil.which("grep")
    rows = {}
    with open_backend("local", ClusterConfig(nodes=6, replication=3, block_size=4 * MIB)).start() as cluster:
        cluster.put(path, name="corpus")
        for kind, word in words.items():
            job_times, grep_times, result, grep_count = [], [], None, None
            for _ in range(repeat):
                started = time.perf_counter()
                result = cluster.run_job(JobSpec("count", "corpus", word=word))
                job_times.append(time.perf_counter() - started)
                if grep:
                    started = time.perf_counter()
                    out = subprocess.run(f"LC_ALL=C {grep} -ow {word} {path} | wc -l", shell=True,
                                         capture_output=True, text=True)
                    grep_times.append(time.perf_counter() - started)
                    grep_count = int(out.stdout.strip())
            row = {"word": word, "count": result.count, "status": result.status,
                   "job_s": [round(t, 4) for t in job_times]}
            if grep:
                ratio = statistics.median(job_times) / statistics.median(grep_times)
                row.update(grep_s=[round(t, 4) for t in grep_times], grep_count=grep_count,
                           exact=result.status == "ok" and result.count == grep_count,
                           ratio_to_grep=round(ratio, 3))
            rows[kind] = row
            print(json.dumps({kind: row}), flush=True)
    ratios = [r["ratio_to_grep"] for r in rows.values() if "ratio_to_grep" in r]
    return {"bytes": os.path.getsize(path), "nodes": 6, "replication": 3, "block_size": 4 * MIB,
            "words": rows, "checksum_floor_s": round(checksum_floor(path), 4),
            "target": f"count at most {TARGET}x grep's time, every word",
            "met": bool(ratios) and max(ratios) <= TARGET}


def to_markdown(results: dict) -> str:
    r = results["count"]
    lines = [f"# count against grep -ow ({results['mode']}, {results['machine']})", "",
             f"{r['bytes'] // MIB} MiB, {r['nodes']} nodes, R = {r['replication']}, "
             f"{r['block_size'] // MIB} MiB blocks; reading and checksumming the file over the cores "
             f"alone: {r['checksum_floor_s']} s.", "",
             "| word | kind | count | exact | job s (median) | grep s (median) | job / grep |",
             "|---|---|---|---|---|---|---|"]
    for kind, row in r["words"].items():
        lines.append(f"| {row['word']} | {kind} | {row['count']:,} | {row.get('exact', '-')} | "
                     f"{statistics.median(row['job_s']):.3f} | "
                     f"{statistics.median(row['grep_s']):.3f} | **{row.get('ratio_to_grep', '-')}** |"
                     if "grep_s" in row else
                     f"| {row['word']} | {kind} | {row['count']:,} | - | {statistics.median(row['job_s']):.3f} | - | - |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for the test suite")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench"), help="folder for count.json/.md")
    args = parser.parse_args(argv)
    size = 8 * MIB if args.quick else 256 * MIB
    folder = make_temp_folder("clusterscope-bench-count-")
    try:
        path = os.path.join(folder, "corpus.txt")
        write_corpus(path, size, seed=1)
        results = {"mode": "quick" if args.quick else "full",
                   "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                   "count": bench(path, 1 if args.quick else 3)}
    finally:
        remove_temp_folder(folder)
    suffix = "-quick" if args.quick else ""
    with open(os.path.join(args.out, f"count{suffix}.json"), "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.join(args.out, f"count{suffix}.md"), "w") as f:
        f.write(to_markdown(results))
    print(to_markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
