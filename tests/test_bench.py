"""The benchmark suite's quick mode runs in the test suite so the benchmarks never rot.
Timing targets are reported by bench/run.py, never asserted here."""

import json
import os
import subprocess
import sys

import pytest

from support import ROOT


def test_quick_benchmarks_run_and_report(tmp_path):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "run.py"), "--quick", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    results = json.loads((tmp_path / "results-quick.json").read_text())
    words = results["count_vs_grep"]["words"]
    for row in words.values():  # the cluster's count equals grep's on the same file
        if "grep_count" in row:
            assert row["count"] == row["grep_count"]
    assert results["wordcount"]["exact"] is True
    assert [r["nodes"] for r in results["scaling"]["rows"]] == [1, 2, 4]
    assert all(r["ratio_to_ideal"] > 0 for r in results["scaling"]["rows"])
    recovery = results["recovery"]  # a node was killed and every block came back at R
    assert recovery["runs"] and all(r["copies"] >= r["lost_replicas"] > 0 for r in recovery["runs"])
    assert 0 < recovery["detection_s"]["min"] and recovery["ideal_s"] > 0
    gui = results["gui"]  # the window ran over a real cluster and its plots were redrawn
    assert gui["plot_hz"] > 0 and gui["jitter_ms"]["p99"] is not None
    markdown = (tmp_path / "results-quick.md").read_text()
    assert markdown.startswith("# ClusterScope benchmarks")
    for section in ("## 4. GUI stays fluid", "## 5. Recovery speed", "## 6. Cost of scale"):
        assert section in markdown
    for png in ("speedup-quick.png", "recovery-quick.png"):
        assert (tmp_path / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_quick_backend_comparison_runs_on_both_backends(tmp_path):
    pytest.importorskip("distributed", reason="the dask extra is not installed (pip install '.[dask]')")
    out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "backends.py"), "--quick", "--out",
                          str(tmp_path)], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    results = json.loads((tmp_path / "backends-quick.json").read_text())
    for backend in ("local", "dask"):
        r = results[backend]
        assert r["wordcount"]["exact"] is True and r["wordcount"]["backend"] == backend
        middle = r["count_vs_grep"]["words"]["middle"]
        if "grep_count" in middle:
            assert middle["count"] == middle["grep_count"]  # the same number as grep
        assert [row["nodes"] for row in r["scaling"]["rows"]] == [1, 2, 4]
    assert "| wordcount exact | True | True |" in (tmp_path / "backends-quick.md").read_text()


def test_quick_store_benchmark_stores_every_block_and_compares_with_cp(tmp_path):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "store.py"), "--quick", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    results = json.loads((tmp_path / "store-quick.json").read_text())
    rows = results["linearity"]["rows"]
    assert [r["target_blocks"] for r in rows] == [250, 1000]
    assert all(abs(r["blocks"] - r["target_blocks"]) <= r["target_blocks"] // 10 for r in rows)
    assert rows[1]["ratio_to_linear"] > 0 and results["throughput"]["put_throughput_vs_cp"] > 0
    assert all(r["count_s"] > 0 for r in rows) and rows[1]["count_ratio_to_linear"] > 0
    assert "| time / linear |" in (tmp_path / "store-quick.md").read_text()


def test_the_store_benchmark_runs_one_part_alone(tmp_path):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "store.py"), "--quick", "--part",
                          "throughput", "--out", str(tmp_path)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    results = json.loads((tmp_path / "store-quick.json").read_text())
    assert "linearity" not in results and results["throughput"]["put_s"] > 0
    report = (tmp_path / "store-quick.md").read_text()
    assert "Throughput, 16 MiB" in report and "| time / linear |" not in report


def test_quick_memory_benchmark_counts_exactly_and_samples_every_process(tmp_path):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "memory.py"), "--quick", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    row = json.loads((tmp_path / "memory-quick.json").read_text())["rows"][0]
    if row["grep"] is not None:
        assert row["exact"] is True and row["count"] == row["grep"]
    assert row["peak_command_mib"] > 0 and row["peak_nodes_total_mib"] > row["peak_node_mib"] > 0


def test_quick_wordcount_benchmark_is_exact_on_both_corpora(tmp_path):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "wordcount.py"), "--quick", "--out",
                          str(tmp_path)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    corpora = json.loads((tmp_path / "wordcount-quick.json").read_text())["corpora"]
    assert set(corpora) == {"project", "mixed"}
    for row in corpora.values():
        assert row["exact"] is True and row["speedup"] > 0 and row["tokenizer"]["ratio"] > 0


def test_quick_count_benchmark_is_exact_for_every_word(tmp_path):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "count.py"), "--quick", "--out",
                          str(tmp_path)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    results = json.loads((tmp_path / "count-quick.json").read_text())["count"]
    assert set(results["words"]) == {"frequent", "middle", "rare"}
    for row in results["words"].values():
        assert row["status"] == "ok" and row["count"] > 0
        if "grep_count" in row:
            assert row["exact"] is True and row["count"] == row["grep_count"] and row["ratio_to_grep"] > 0
    assert "| job / grep |" in (tmp_path / "count-quick.md").read_text()
