"""The recovery benchmark's quick mode and the benchmark charts run in the test suite so they
never rot. Timing targets are reported by bench/recovery.py, never asserted here."""

import json
import os

from bench.plots import recovery_plot, speedup_plot
from bench.recovery import MIB, bench_recovery, ideal_copy_s
from support import process_name, ROOT, children, wait_gone


def test_ideal_is_the_disk_time_of_reading_and_writing_every_lost_byte():
    ideal = ideal_copy_s(64 * MIB, MIB, survivors=5, mbps=20.0, max_streams=2)
    assert ideal["disk_bound_s"] == round(2 * 64 * MIB / (5 * 20e6), 4)
    assert ideal["ideal_s"] == ideal["disk_bound_s"] > ideal["stream_bound_s"]
    one_block = ideal_copy_s(MIB, MIB, survivors=5, mbps=20.0, max_streams=2)
    assert one_block["ideal_s"] == one_block["block_bound_s"] == round(2 * MIB / 20e6, 4)


def test_quick_recovery_bench_restores_every_block_and_leaves_no_process():
    before = set(children(os.getpid()))
    result = bench_recovery(quick=True)
    # The process's janitor (engine/tempfiles.py) lives as long as the process: not a leak.
    left = [k for k in set(children(os.getpid())) - before if process_name(k) != "cs-janitor"]
    assert wait_gone(sorted(left), 5.0) == []
    [run] = result["runs"]
    # The victim held about 2 MiB, and every replica it lost was copied exactly once.
    assert 1.5 * MIB < run["lost_bytes"] < 2.5 * MIB
    assert run["copies"] == run["lost_replicas"] > 0
    # Death is declared from silence after the kill, copying starts only then.
    assert run["detection_s"] > 0 and run["recovery_s"] > 0 and run["ideal_s"] > 0
    assert abs(run["restored_after_kill_s"] - (run["detection_s"] + run["recovery_s"])) < 1e-3
    assert run["bound_s"] == round(1.2 * run["ideal_s"] + 1.0, 4)
    for key in ("detection_s", "detection_bound_s", "recovery_s", "ideal_s", "ratio", "bound_s",
                "met_detection", "met_recovery", "target", "formula"):
        assert key in result
    json.dumps(result)


def _png_colours(path):
    from PySide6.QtGui import QImage
    image = QImage(path)
    assert not image.isNull()
    step = 7
    colours = {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}
    return image.width(), image.height(), colours


def test_speedup_plot_writes_a_chart_of_the_committed_results(tmp_path):
    with open(os.path.join(ROOT, "bench", "results.json"), encoding="utf-8") as f:
        scaling = json.load(f)["scaling"]
    path = str(tmp_path / "speedup.png")
    speedup_plot(scaling, path)
    width, height, colours = _png_colours(path)
    assert (width, height) == (900, 600)
    assert len(colours) > 20  # lines, points, text: not a blank canvas
    assert any(((c >> 16) & 255) < 40 and (c & 255) > 150 for c in colours)  # the measured blue


def test_recovery_plot_writes_a_chart(tmp_path):
    stats = {"median": 1.5, "min": 1.4, "max": 1.6, "runs": 3}
    recovery = {"nodes": 6, "replication": 3, "disk_mbps": 20.0, "detection_s": stats, "detection_bound_s": 2.5,
                "sizes": [{"lost_mib": {"median": 64.0}, "recovery_s": stats, "ideal_s": 1.34, "bound_s": 2.61}]}
    path = str(tmp_path / "recovery.png")
    recovery_plot(recovery, path)
    width, height, colours = _png_colours(path)
    assert (width, height) == (900, 600) and len(colours) > 20
