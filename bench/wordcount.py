"""wordcount against one process, on the project's corpus and on mixed text.

    python bench/wordcount.py            # 256 MiB of each corpus, 3 repeats
    python bench/wordcount.py --quick    # 4 MiB, one repeat (the test suite runs it)

One process is ``Counter(re.findall(r"\\w+", text))`` over the whole file, the same semantics
as the job. The cluster (6 nodes, R = 3, 4 MiB blocks) runs map, combine, shuffle and reduce.
The corpora: the project's own (``engine.corpus.generate_corpus_bytes``: mostly ASCII words,
a few non-ASCII ones in every block) and a mixed one (``generate_mixed_bytes``: a quarter of
the vocabulary outside ASCII, punctuation glued to many words). Beside each, the map's
tokenizer alone against the one-process tokenizer on one 4 MiB block, on one core. Target:
the job at least 3x faster than one process. Writes bench/wordcount.json and
bench/wordcount.md (``-quick`` in the names with --quick). Figures are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for path in (ROOT, os.path.dirname(os.path.abspath(__file__))):
    if path not in sys.path:
        sys.path.insert(0, path)

from engine.corpus import write_corpus  # noqa: E402
from engine.tempfiles import make_temp_folder, remove_temp_folder  # noqa: E402
from engine.text import word_frequencies  # noqa: E402
from run import MIB, bench_wordcount  # noqa: E402

CORPORA = {"project": False, "mixed": True}


def tokenizer_ratio(path: str, repeat: int = 5) -> dict:
    """The map's tokenizer against the one-process one on the file's first 4 MiB, best of
    ``repeat`` each, on one core."""
    with open(path, "rb") as f:
        data = f.read(4 * MIB)
    text_re = re.compile(r"\w+")

    def best(fn):
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return min(times)

    one = best(lambda: Counter(text_re.findall(data.decode("utf-8"))))
    ours = best(lambda: word_frequencies(data))
    return {"one_process_ms": round(one * 1e3, 1), "map_tokenizer_ms": round(ours * 1e3, 1),
            "ratio": round(one / ours, 2)}


def to_markdown(results: dict) -> str:
    lines = [f"# wordcount against one process ({results['mode']}, {results['machine']})", "",
             "| corpus | MiB | one process s | cluster s | speedup | exact | tokenizer alone, per core |",
             "|---|---|---|---|---|---|---|"]
    for name, r in results["corpora"].items():
        lines.append(f"| {name} | {r['bytes'] // MIB} | {r['single_process_s']['median']} | "
                     f"{r['cluster_s']['median']} | **{r['speedup']}x** | {r['exact']} | "
                     f"{r['tokenizer']['ratio']}x |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for the test suite")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench"), help="folder for wordcount.json/.md")
    args = parser.parse_args(argv)
    size = 4 * MIB if args.quick else 256 * MIB
    repeat = 1 if args.quick else 3
    folder = make_temp_folder("clusterscope-bench-wordcount-")
    corpora = {}
    try:
        for name, mixed in CORPORA.items():
            path = os.path.join(folder, f"{name}.txt")
            write_corpus(path, size, seed=1, mixed=mixed)
            row = bench_wordcount(path, repeat)
            row["tokenizer"] = tokenizer_ratio(path)
            corpora[name] = row
            print(json.dumps({"corpus": name, "speedup": row["speedup"], "exact": row["exact"],
                              "tokenizer": row["tokenizer"]}), flush=True)
            os.remove(path)
    finally:
        remove_temp_folder(folder)
    results = {"mode": "quick" if args.quick else "full", "machine": f"{platform.machine()}, {os.cpu_count()} cores",
               "target": "wordcount at least 3x faster than one process", "corpora": corpora}
    suffix = "-quick" if args.quick else ""
    with open(os.path.join(args.out, f"wordcount{suffix}.json"), "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.join(args.out, f"wordcount{suffix}.md"), "w") as f:
        f.write(to_markdown(results))
    print(to_markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
