"""Storing: time against the number of blocks, and put throughput against ``cp`` R times.

    python bench/store.py              # 1,562 to 100,000 blocks of 2 KiB; 256 MiB at 1 MiB blocks
    python bench/store.py --quick      # small sizes, seconds (the test suite runs it)
    python bench/store.py --part throughput   # only one of the two measures

Linearity: the same cluster shape (6 nodes, R = 3, 2 KiB blocks) stores files of N blocks for
N growing 4x at a time; the figure is time(4N) / (4 x time(N)), 1.0 for a linear store (target
at most 1.15), next to the file system's own cost of creating the same replica files from one
process (up to 25,000 blocks), the floor on this disk. On each stored file a ``count`` job
runs one map task per block: the same ratio for the job (a job must be linear in its tasks
too). Throughput: a file stored with 1 MiB blocks against ``cp`` of the same file to R files
in the same folder, one after another, measured in the same run (target: put at least 0.5x
cp's throughput), after writing and deleting twice R times the file's size once, so that
neither side pays the virtual machine's first touch of memory (``warm_memory``). Writes
bench/store.json and bench/store.md (``-quick`` in the names with --quick). Figures are
reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from engine.backend import open_backend  # noqa: E402
from engine.config import ClusterConfig  # noqa: E402
from engine.corpus import write_corpus  # noqa: E402
from engine.model import JobSpec  # noqa: E402
from engine.tempfiles import make_temp_folder, remove_temp_folder  # noqa: E402

KIB, MIB = 1 << 10, 1 << 20
SMALL_BLOCK = 2 * KIB
NODES, REPLICATION = 6, 3


def time_put(path: str, block_size: int, count: bool = False) -> tuple[float, int, float | None]:
    """Seconds to store ``path`` on a fresh cluster, its number of blocks, and with
    ``count`` the seconds of a ``count`` job over it (one map task per block)."""
    config = ClusterConfig(nodes=NODES, replication=REPLICATION, block_size=block_size)
    with open_backend("local", config).start() as cluster:
        started = time.perf_counter()
        stored = cluster.put(path, name="input")
        seconds = time.perf_counter() - started
        job_s = None
        if count:
            started = time.perf_counter()
            result = cluster.run_job(JobSpec("count", "input", word="the"))
            job_s = time.perf_counter() - started
            if result.status != "ok":
                raise RuntimeError(f"the count over {stored.blocks} blocks ended {result.status}")
        return seconds, stored.blocks, job_s


def file_system_floor(folder: str, replicas: int) -> float:
    """Seconds this file system takes to create the files of ``replicas`` replicas (each one
    file with its checksum as an extended attribute, written under a temporary name and
    renamed, as a node does), spread over NODES new folders, from one process: the store's
    own floor here."""
    data = b"x" * SMALL_BLOCK
    root = os.path.join(folder, "floor")
    os.makedirs(root)
    dirs = [os.path.join(root, f"node-{i}") for i in range(NODES)]
    for d in dirs:
        os.mkdir(d)
    started = time.perf_counter()
    for i in range(replicas):
        path = os.path.join(dirs[i % NODES], f"blk_{i}")
        with open(path + ".tmp", "wb") as f:
            f.write(data)
            try:
                os.setxattr(f.fileno(), "user.clusterscope.checksum", f"{SMALL_BLOCK} 00000000".encode())
                meta = False
            except (OSError, AttributeError):  # no attributes here: a checksum file, as a node writes
                meta = True
        if meta:
            with open(path + ".meta.tmp", "w") as f:
                f.write(f"{SMALL_BLOCK} 00000000\n")
        os.replace(path + ".tmp", path)
        if meta:
            os.replace(path + ".meta.tmp", path + ".meta")
    seconds = time.perf_counter() - started
    shutil.rmtree(root)
    return seconds


def linearity(folder: str, block_counts, floor_up_to: int) -> dict:
    rows = []
    for n in block_counts:
        path = os.path.join(folder, f"blocks-{n}.txt")
        write_corpus(path, n * SMALL_BLOCK, seed=1)
        seconds, blocks, job_s = time_put(path, SMALL_BLOCK, count=True)
        os.remove(path)
        row = {"target_blocks": n, "blocks": blocks, "seconds": round(seconds, 3),
               "us_per_block": round(seconds / blocks * 1e6, 1),
               "count_s": round(job_s, 3), "count_us_per_task": round(job_s / blocks * 1e6, 1)}
        if n <= floor_up_to:
            floor = file_system_floor(folder, blocks * REPLICATION)
            row["files_s"] = round(floor, 3)
            row["files_us_per_block"] = round(floor / blocks * 1e6, 1)
        if rows:
            prev = rows[-1]
            grown = blocks / prev["blocks"]
            row["ratio_to_linear"] = round(seconds / (grown * prev["seconds"]), 3)
            row["count_ratio_to_linear"] = round(job_s / (grown * prev["count_s"]), 3)
        rows.append(row)
        print(json.dumps(row), flush=True)
    ratios = [r["ratio_to_linear"] for r in rows if "ratio_to_linear" in r]
    worst = max(ratios) if ratios else None
    count_ratios = [r["count_ratio_to_linear"] for r in rows if "count_ratio_to_linear" in r]
    return {"block_size": SMALL_BLOCK, "nodes": NODES, "replication": REPLICATION, "rows": rows,
            "worst_ratio": worst, "target": "time(4N) / (4 x time(N)) at most 1.15",
            "met": worst is not None and worst <= 1.15,
            "count_worst_ratio": max(count_ratios) if count_ratios else None}


def warm_memory(folder: str, size: int) -> float:
    """Write ``size`` bytes to a file and delete it; the seconds it took. On a virtual
    machine, memory the guest has never touched costs several times more the first time it
    is used (here about 2.7 ms a MiB against 0.3: the host backs it then), and the page
    cache of whichever side runs first would pay for it: after this, cp and put both
    write into memory already backed."""
    path = os.path.join(folder, "warm.bin")
    block = b"\0" * MIB
    started = time.perf_counter()
    with open(path, "wb") as f:
        for _ in range(size // MIB):
            f.write(block)
    os.remove(path)
    return time.perf_counter() - started


def throughput(folder: str, size: int, repeat: int) -> dict:
    path = os.path.join(folder, "throughput.txt")
    write_corpus(path, size, seed=2)
    # Twice what one side writes (R copies), for the node processes' own memory besides.
    warm_s = warm_memory(folder, 2 * REPLICATION * size)
    cp_times, put_times = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        for i in range(REPLICATION):
            shutil.copyfile(path, os.path.join(folder, f"copy-{i}.txt"))
        cp_times.append(time.perf_counter() - started)
        for i in range(REPLICATION):
            os.remove(os.path.join(folder, f"copy-{i}.txt"))
        put_times.append(time_put(path, MIB)[0])
    os.remove(path)
    cp_s, put_s = statistics.median(cp_times), statistics.median(put_times)
    ratio = cp_s / put_s
    return {"bytes": size, "block_size": MIB, "cp_x_r_s": round(cp_s, 3), "put_s": round(put_s, 3),
            "cp_runs": [round(t, 3) for t in cp_times], "put_runs": [round(t, 3) for t in put_times],
            "put_mb_per_s": round(size / put_s / 1e6, 1), "put_throughput_vs_cp": round(ratio, 3),
            "memory_warmed_s": round(warm_s, 3),
            "target": "put throughput at least 0.5x cp of the same file R times", "met": ratio >= 0.5}


def to_markdown(results: dict) -> str:
    lines = [f"# Storing ({results['mode']}, {results['machine']})", ""]
    lin, thr = results.get("linearity"), results.get("throughput")
    if lin:
        lines += [f"{NODES} nodes, R = {REPLICATION}, blocks of {SMALL_BLOCK // KIB} KiB.", "",
                  "| blocks | seconds | µs per block | time / linear | the same files alone, µs per block "
                  "| count s | µs per task | count time / linear |",
                  "|---|---|---|---|---|---|---|---|"]
        for row in lin["rows"]:
            lines.append(f"| {row['blocks']:,} | {row['seconds']} | {row['us_per_block']} | "
                         f"{row.get('ratio_to_linear', '')} | {row.get('files_us_per_block', 'not measured')} | "
                         f"{row['count_s']} | {row['count_us_per_task']} | {row.get('count_ratio_to_linear', '')} |")
        lines.append("")
    if thr:
        lines.append(f"Throughput, {thr['bytes'] // MIB} MiB at 1 MiB blocks: put {thr['put_s']} s "
                     f"({thr['put_mb_per_s']} MB/s), cp x {REPLICATION} {thr['cp_x_r_s']} s; put / cp "
                     f"throughput **{thr['put_throughput_vs_cp']}**.")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for the test suite")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench"), help="folder for store.json/.md")
    parser.add_argument("--part", choices=("all", "linearity", "throughput"), default="all",
                        help="run only one of the two measures")
    args = parser.parse_args(argv)
    counts = (250, 1000) if args.quick else (1562, 6250, 25000, 100000)
    size = 16 * MIB if args.quick else 256 * MIB
    folder = make_temp_folder("clusterscope-bench-store-")
    try:
        results = {"mode": "quick" if args.quick else "full",
                   "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                   "part": args.part}
        if args.part in ("all", "linearity"):
            results["linearity"] = linearity(folder, counts, floor_up_to=max(counts) if args.quick else 25000)
        if args.part in ("all", "throughput"):
            results["throughput"] = throughput(folder, size, repeat=1 if args.quick else 3)
    finally:
        remove_temp_folder(folder)
    suffix = "-quick" if args.quick else ""
    with open(os.path.join(args.out, f"store{suffix}.json"), "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.join(args.out, f"store{suffix}.md"), "w") as f:
        f.write(to_markdown(results))
    print(to_markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
