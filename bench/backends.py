"""The two backends side by side: ``count`` against ``grep -ow WORD | wc -l``, ``wordcount``
against one process, and the disk-scaling curve (job time against S / (N x B)), each on the
local process cluster and on Dask distributed workers, on the same data in the same run.

    python bench/backends.py            # 256 MiB corpus, scaling on 32 MiB, 3 repeats
    python bench/backends.py --quick    # small sizes, seconds (the test suite runs it)

Writes bench/backends.json and bench/backends.md (``-quick`` in the names with --quick).
Figures are reported, never asserted; run it three times and compare the spread.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for path in (ROOT, os.path.dirname(os.path.abspath(__file__))):
    if path not in sys.path:
        sys.path.insert(0, path)

from engine.corpus import write_corpus  # noqa: E402
from engine.tempfiles import make_temp_folder, remove_temp_folder  # noqa: E402
from run import MIB, bench_count_vs_grep, bench_scaling, bench_wordcount  # noqa: E402

BACKENDS = ("local", "dask")


def to_markdown(results: dict) -> str:
    lines = [f"# Backends side by side ({results['mode']}, {results['machine']})", "",
             "| figure | " + " | ".join(results["backends"]) + " |", "|---|" + "---|" * len(results["backends"])]
    count = {b: results[b]["count_vs_grep"]["words"]["middle"] for b in results["backends"]}
    lines.append("| count, middle word: time / grep's | "
                 + " | ".join(f"{count[b].get('ratio_to_grep', 'n/a')}" for b in results["backends"]) + " |")
    lines.append("| count, middle word: seconds (median) | "
                 + " | ".join(f"{count[b]['cluster_s']['median']}" for b in results["backends"]) + " |")
    lines.append("| wordcount: speedup over one process | "
                 + " | ".join(f"{results[b]['wordcount']['speedup']}" for b in results["backends"]) + " |")
    lines.append("| wordcount exact | "
                 + " | ".join(f"{results[b]['wordcount']['exact']}" for b in results["backends"]) + " |")
    nodes = [row["nodes"] for row in results[results["backends"][0]]["scaling"]["rows"]]
    for i, n in enumerate(nodes):
        lines.append(f"| scaling, {n} node(s): job time / S/(N x B) | "
                     + " | ".join(f"{results[b]['scaling']['rows'][i]['ratio_to_ideal']}" for b in results["backends"])
                     + " |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for the test suite")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench"), help="folder for backends.json/.md")
    args = parser.parse_args(argv)
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("bench/backends.py: the dask extra is not installed (pip install '.[dask]')", file=sys.stderr)
        return 2
    work = make_temp_folder("clusterscope-bench-")
    try:
        big = os.path.join(work, "corpus.txt")
        write_corpus(big, (4 if args.quick else 256) * MIB, seed=1)
        small = os.path.join(work, "scaling.txt")
        write_corpus(small, (1 if args.quick else 32) * MIB, seed=2)
        repeat = 1 if args.quick else 3
        nodes = (1, 2, 4) if args.quick else (1, 2, 4, 8, 16, 32)
        mbps = 20.0 if args.quick else 2.0
        results = {"mode": "quick" if args.quick else "full", "machine": f"{os.cpu_count()} cores",
                   "backends": list(BACKENDS)}
        for backend in BACKENDS:
            print(f"{backend}: count vs grep, wordcount, scaling…", file=sys.stderr, flush=True)
            results[backend] = {"count_vs_grep": bench_count_vs_grep(big, repeat, backend=backend),
                                "wordcount": bench_wordcount(big, repeat, backend=backend),
                                "scaling": bench_scaling(small, nodes, mbps, repeat, backend=backend)}
    finally:
        remove_temp_folder(work)
    os.makedirs(args.out, exist_ok=True)
    suffix = "-quick" if args.quick else ""
    with open(os.path.join(args.out, f"backends{suffix}.json"), "w") as f:
        json.dump(results, f, indent=2)
    markdown = to_markdown(results)
    with open(os.path.join(args.out, f"backends{suffix}.md"), "w") as f:
        f.write(markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
