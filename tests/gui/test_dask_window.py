"""The window on the Dask backend, offscreen: the demo plays (store, count, a worker killed
mid-job) and ends exact, with the same views fed by the same event stream."""

import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed (pip install '.[dask]')")

from engine.config import ClusterConfig  # noqa: E402
from support import wait_gone  # noqa: E402


def test_the_demo_on_dask_workers_ends_exact(qtbot):
    from gui.main_window import MainWindow
    w = MainWindow(config=ClusterConfig(nodes=6, replication=3, block_size=256 * 1024, heartbeat=0.2,
                                        dead_after=1.0, disk_mbps=4.0, backend="dask"))
    qtbot.addWidget(w)
    w.show()
    w.start_cluster()
    qtbot.waitUntil(lambda: len(w.bridge.state.nodes) == 6
                    and all(n.state == "alive" for n in w.bridge.state.nodes.values()), timeout=30000)
    pids = list(w.bridge.backend.node_pids().values())
    try:
        w.start_demo()
        qtbot.waitUntil(lambda: w.demo.step == "done", timeout=90000)
        assert w.demo.verdict == "exact"
        assert "exact" in w.job_panel.verdict_text()
        assert w.bridge.state.nodes[2].state == "dead"
        qtbot.waitUntil(lambda: w.bridge.backend.health().under_replicated == 0, timeout=20000)
        job = w.bridge.state.latest_job()
        assert job.status == "ok" and job.count > 0
        read = [max(w.throughput.curve_data(n)[1], default=0) for n in range(6)]
        assert sum(1 for r in read if r > 0) >= 3  # per-worker throughput, from the tasks' timings
    finally:
        w.close()
    assert wait_gone(pids, 5.0) == []
