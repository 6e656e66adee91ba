"""The background block scanner (HDFS's): corrupt replicas found with no job running."""

import os
import time

import pytest

from engine import messages as m
from engine.blocks import checksum
from engine.bus import EventLog
from engine.config import ClusterConfig
from engine.coordinator import Coordinator
from engine.errors import UsageError
from engine.storage import BlockStore, DiskPacer, corrupt_replica_file

BLOCK = 64 * 1024


def _fully_replicated(r):
    return lambda s: s.health.under_replicated == 0 and s.replicating == 0 and all(
        len(b.live) == r for b in s.blocks.values())


def test_scan_interval_is_validated():
    for bad in (0, -1.0, float("nan")):
        with pytest.raises(UsageError, match="scan_interval"):
            ClusterConfig(scan_interval=bad).validate()
    assert ClusterConfig().scan_interval is None
    assert ClusterConfig(scan_interval=0.5).validate().scan_interval == 0.5


def test_verify_reads_through_the_pacer_and_tells_good_from_bad(tmp_path):
    data = b"x" * 100_000
    counted = []
    store = BlockStore(str(tmp_path), DiskPacer(1.0), on_read=counted.append)
    store.write(3, data, checksum(data))
    start = time.monotonic()
    assert store.verify(3) == "ok"
    assert time.monotonic() - start >= 0.09  # 100 kB at 1 MB/s
    assert counted == []  # scanner reads are not task or copy reads
    assert corrupt_replica_file(str(tmp_path), 3, seed=1)
    assert store.verify(3) == "corrupt"
    assert store.verify(4) == "missing"


def test_scanner_report_is_handled_like_a_corrupt_read():
    c = Coordinator(ClusterConfig(nodes=2, replication=2, heartbeat=0.5, dead_after=2.0))
    for n in range(2):
        c.node_process_started(n, 1000 + n, now=0.0)
        c.on_message(n, m.Register(n, 1000 + n, {}), now=0.0)
    from engine.blocks import BlockSpan
    c.begin_put("f", "/f", [BlockSpan(0, 0, 10, "00000000")], 0.0)
    c.tick(0.0)
    out, _ = c.take_effects()
    for node, msg in out:
        if isinstance(msg, m.StoreBlock):
            c.on_message(node, m.BlockWritten(msg.req, msg.block, True), 0.0)
    c.take_effects()
    c.on_message(1, m.ReplicaCorruptFound(0), 0.5)
    out, events = c.take_effects()
    [bad] = [e for e in events if e.kind == "block_corrupt"]
    assert (bad.block, bad.node, bad.detected_by) == (0, 1, "scanner")
    assert (1, m.DeleteBlock(0)) in out and c.blocks[0].replicas == {0}
    c.on_message(1, m.ReplicaCorruptFound(0), 0.6)  # reported twice: handled once
    assert not [e for e in c.take_effects()[1] if e.kind == "block_corrupt"]


def test_scanner_finds_a_corrupt_replica_and_it_is_replaced(make_cluster, small_corpus):
    interval = 1.0
    cluster = make_cluster(nodes=3, replication=2, block_size=BLOCK, scan_interval=interval)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    snap = cluster.snapshot()
    victim = sorted(snap.nodes[1].blocks)[len(snap.nodes[1].blocks) // 2]
    assert cluster.corrupt_replica(1, victim) == victim
    corrupted = log.wait_for("replica_corrupted")

    found = log.wait_for("block_corrupt", timeout=10 * interval + 10)
    assert (found.block, found.node, found.detected_by) == (victim, 1, "scanner")
    assert found.t - corrupted.t <= 3 * interval + 2  # within a pass or two of the damage
    assert not log.of_kind("task_started")  # no job read it: the scanner did
    # Back at R live replicas, each one a good copy on disk.
    assert cluster.wait_until(_fully_replicated(2), 30)
    snap = cluster.snapshot()
    block = snap.blocks[victim]
    assert len(block.live) == 2
    for node in block.live:
        with open(os.path.join(snap.nodes[node].folder, f"blk_{victim}"), "rb") as f:
            assert checksum(f.read()) == block.checksum
    # Two more full passes find nothing else: good replicas are never reported.
    log.wait_for("metrics_sample", lambda e: e.t > found.t + 2 * interval + 0.5, timeout=10)
    assert [(e.block, e.node) for e in log.of_kind("block_corrupt")] == [(victim, 1)]


def test_no_scanner_by_default(make_cluster, small_corpus):
    cluster = make_cluster(nodes=2, replication=2, block_size=BLOCK)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    cluster.corrupt_replica(0)
    start = log.wait_for("replica_corrupted").t
    log.wait_for("metrics_sample", lambda e: e.t > start + 2.0, timeout=10)
    assert not log.of_kind("block_corrupt")
