"""The GUI fluidity benchmark's quick mode runs in the test suite so it never rots. Its timing
targets are reported by the benchmark, never asserted here."""

import json
import os
import subprocess
import sys

from support import ROOT


def test_quick_gui_benchmark_runs_the_scenario_and_reports():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gui_fluidity.py"), "--quick"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout)
    assert (result["nodes"], result["blocks"], result["platform"]) == (8, 200, "offscreen")
    # The scenario happened as described: a job ran, a node was killed while it ran and was
    # declared dead, the answer came back, and no node process outlived the window.
    assert result["job"]["status"] == "ok" and result["job"]["tasks"] == 200
    assert result["kill"]["job_running"] is True
    assert 0 < result["kill"]["at_s"] < result["kill"]["declared_dead_at_s"] <= result["window_s"]
    assert result["orphan_processes"] == 0
    # Measurements were taken.
    assert result["timer_ticks"] > 0
    assert set(result["jitter_ms"]) == {"p50", "p95", "p99", "max"}
    assert all(isinstance(v, float) for v in result["jitter_ms"].values())
    assert result["jitter_ms"]["p50"] <= result["jitter_ms"]["p99"] <= result["jitter_ms"]["max"]
    assert 0 < result["plot_hz"] and 0 < result["bridge_updates_hz"]
    assert isinstance(result["met"], bool) and "50 ms" in result["target"]


def test_nodes_option_runs_that_many_nodes_and_is_checked():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gui_fluidity.py"), "--quick", "--nodes", "12"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout)
    assert result["nodes"] == 12 and result["job"]["status"] == "ok" and result["orphan_processes"] == 0
    bad = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gui_fluidity.py"), "--nodes", "1"],
                         capture_output=True, text=True, timeout=60, cwd=ROOT, env=env)
    assert bad.returncode == 2 and "--nodes" in bad.stderr
