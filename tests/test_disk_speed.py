"""Per-node disk speed at run time (a "slow disk" fault): the pacer, then a real cluster."""

import os
import statistics
import threading
import time

import pytest

from engine.bus import EventLog
from engine.errors import UsageError
from engine.jobs import JobSpec
from engine.storage import DiskPacer
from engine.text import reference_count
from engine.view import ClusterState

BLOCK = 64 * 1024
SLOW = 0.5  # MB/s: one 64 KiB block takes at least 0.131 s
FAST_DEFAULT = 20.0  # the cluster's default speed: 3.3 ms per block
SLOW_BLOCK_S = BLOCK / (SLOW * 1e6)


def _consume_in_thread(pacer, nbytes):
    done = threading.Event()

    def run():
        pacer.consume(nbytes)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done


def _wait_booked(pacer, beyond: float, timeout: float = 5.0) -> None:
    """Wait until a reader has booked disk time at least ``beyond`` seconds ahead."""
    deadline = time.monotonic() + timeout
    while pacer._free_at < time.monotonic() + beyond:
        assert time.monotonic() < deadline, "the reader never started"
        time.sleep(0.01)  # polling the pacer's state, not synchronising with a cluster


@pytest.mark.parametrize("new", [None, 100.0])
def test_a_faster_rate_releases_a_reader_already_waiting(new):
    pacer = DiskPacer(0.1)  # 1 MB would take 10 s
    done = _consume_in_thread(pacer, 1_000_000)
    _wait_booked(pacer, 5.0)
    assert not done.is_set()
    pacer.set_rate(new)
    assert done.wait(3.0), "the reader kept waiting at the old speed"
    assert pacer.mbps == new


def test_a_slower_rate_applies_to_the_bytes_not_yet_granted():
    pacer = DiskPacer(1000.0)
    start = time.monotonic()
    pacer.consume(100_000)  # 0.1 ms
    pacer.set_rate(0.5)
    pacer.consume(100_000)  # 0.2 s at the new speed
    assert time.monotonic() - start >= 0.19
    assert pacer.mbps == 0.5


def test_set_disk_speed_rejects_unknown_nodes_and_bad_speeds(make_cluster):
    cluster = make_cluster(nodes=2, replication=1)
    with pytest.raises(UsageError, match="unknown node 7"):
        cluster.set_disk_speed(7, 1.0)
    with pytest.raises(UsageError, match="whole number"):
        cluster.set_disk_speed("0", 1.0)
    for bad in (0, -1.0, float("nan"), float("inf"), "fast", True):
        with pytest.raises(UsageError, match="disk speed"):
            cluster.set_disk_speed(0, bad)
    assert cluster.snapshot().nodes[0].disk_mbps is None


def _node_times(log, job):
    per_node = {}
    for e in log.of_kind("task_finished"):
        if e.job == job:
            per_node.setdefault(e.node, []).append(e.elapsed_s)
    return per_node


def _others_median(per_node, node):
    return statistics.median(t for n, times in per_node.items() if n != node for t in times)


def test_slowed_node_reads_slower_keeps_its_speed_across_restart_and_recovers(make_cluster, small_corpus):
    # Speculation off: node 0's slow tasks must finish themselves, not be overtaken.
    cluster = make_cluster(nodes=3, replication=3, block_size=BLOCK, disk_mbps=FAST_DEFAULT,
                           speculation=False)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    name = os.path.basename(small_corpus)
    expected = reference_count(open(small_corpus, encoding="utf-8").read(), "the")

    cluster.set_disk_speed(0, SLOW)
    changed = log.wait_for("node_disk_speed")
    assert (changed.node, changed.mbps, changed.default) == (0, SLOW, False)
    assert cluster.snapshot().nodes[0].disk_mbps == SLOW
    assert cluster.snapshot().nodes[1].disk_mbps == FAST_DEFAULT

    result = cluster.run_job(JobSpec("count", name, word="the"), timeout=60)
    assert (result.status, result.count) == ("ok", expected)
    times = _node_times(log, result.job)
    # Node 0's reads are paced to 0.5 MB/s: every task of its takes at least a block's time,
    # many times what the same task takes on the other nodes (at 20 MB/s).
    assert times.get(0) and min(times[0]) >= 0.9 * SLOW_BLOCK_S
    assert statistics.median(times[0]) > 5 * _others_median(times, 0)
    # The read rate the node reports stays near its slow disk's speed.
    busy = log.wait_for("metrics_sample", lambda e: e.nodes.get(0, {}).get("read_bps", 0) > 0)
    assert busy.nodes[0]["read_bps"] < 3 * SLOW * 1e6

    # A restarted process keeps the slow disk (it is the disk, not the process).
    cluster.restart_node(0)
    log.wait_for("node_rejoined", lambda e: e.node == 0, timeout=10)
    result = cluster.run_job(JobSpec("count", name, word="the"), timeout=60)
    assert (result.status, result.count) == ("ok", expected)
    times = _node_times(log, result.job)
    assert times.get(0) and min(times[0]) >= 0.9 * SLOW_BLOCK_S

    # Back to the cluster's default speed.
    cluster.set_disk_speed(0, None)
    restored = log.wait_for("node_disk_speed", lambda e: e.default)
    assert (restored.node, restored.mbps) == (0, FAST_DEFAULT)
    result = cluster.run_job(JobSpec("count", name, word="the"), timeout=60)
    assert (result.status, result.count) == ("ok", expected)
    times = _node_times(log, result.job)
    assert times.get(0) and statistics.median(times[0]) < SLOW_BLOCK_S / 2

    state = ClusterState()
    state.apply_all(log.events)
    assert (state.nodes[0].disk_mbps, state.nodes[0].disk_default) == (FAST_DEFAULT, True)


def test_view_follows_the_default_and_per_node_speeds():
    from engine import events as ev
    state = ClusterState()
    state.apply(ev.ClusterStarted(t=0, nodes=2, replication=1, block_size=1, heartbeat=0.5, dead_after=2.0,
                                  data_dir="/x", disk_mbps=4.0))
    state.apply(ev.NodeStarted(t=0.1, node=0, pid=1))
    state.apply(ev.NodeDiskSpeed(t=1, node=1, mbps=0.5))
    assert (state.nodes[0].disk_mbps, state.nodes[0].disk_default) == (4.0, True)
    assert (state.nodes[1].disk_mbps, state.nodes[1].disk_default) == (0.5, False)
    state.apply(ev.NodeDiskSpeed(t=2, node=1, mbps=4.0, default=True))
    assert (state.nodes[1].disk_mbps, state.nodes[1].disk_default) == (4.0, True)


def test_unthrottled_default_comes_back_as_none(make_cluster):
    cluster = make_cluster(nodes=2, replication=1)
    log = EventLog(cluster.bus)
    cluster.set_disk_speed(1, 2)
    assert log.wait_for("node_disk_speed").mbps == 2.0
    assert cluster.snapshot().nodes[1].disk_mbps == 2.0
    cluster.set_disk_speed(1, None)
    back = log.wait_for("node_disk_speed", lambda e: e.default)
    assert back.mbps is None and cluster.snapshot().nodes[1].disk_mbps is None
