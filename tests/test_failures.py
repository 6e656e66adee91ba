"""Failures on a real cluster: SIGKILL, SIGSTOP, restart, corrupt replicas, lost blocks."""

import os

from engine.blocks import checksum
from engine.bus import EventLog
from engine.jobs import JobSpec
from engine.text import count_word, reference_count
from support import FAST, pid_running, wait_gone, wait_stopped

DETECT = FAST["dead_after"] + FAST["heartbeat"]


def _fully_replicated(r):
    return lambda s: s.health.under_replicated == 0 and s.replicating == 0 and all(
        len(b.live) == r for b in s.blocks.values())


def test_node_killed_mid_job_count_stays_exact(make_cluster, small_corpus):
    cluster = make_cluster(nodes=6, replication=3, block_size=64 * 1024, disk_mbps=1)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    name = os.path.basename(small_corpus)
    job = cluster.submit(JobSpec("count", name, word="the"))
    started = log.wait_for("task_started", lambda e: e.node == 2 and e.job == job)
    pid = cluster.node_pids()[2]
    cluster.kill_node(2)
    result = cluster.wait_job(job, timeout=60)

    text = open(small_corpus, encoding="utf-8").read()
    assert result.status == "ok"
    assert result.count == reference_count(text, "the")
    assert not pid_running(pid) or wait_gone([pid], 2.0) == []

    killed = log.wait_for("node_killed", lambda e: e.node == 2)
    dead = log.wait_for("node_declared_dead", lambda e: e.node == 2)
    assert 0 < dead.t - killed.t <= DETECT
    # The task that was running on node 2 failed with the node and ran again elsewhere.
    failed = [e for e in log.of_kind("task_failed") if e.job == job]
    assert any(e.attempt == started.attempt for e in failed)
    retried_tasks = {e.task for e in failed}
    for task in retried_tasks:
        finish = [e for e in log.of_kind("task_finished") if e.task == task]
        assert len(finish) == 1 and finish[0].node != 2
    # The counters add up.
    assert result.retried == len(failed) >= 1
    assert result.node_local + result.non_local == result.map_tasks == result.tasks_total == 32
    # Every block is back at three live replicas, none on the dead node.
    assert cluster.wait_until(_fully_replicated(3), 30)
    snap = cluster.snapshot()
    assert all(2 not in b.live for b in snap.blocks.values())
    assert log.of_kind("block_stored")[-1].purpose == "replicate"


def test_all_holders_of_a_block_killed_gives_incomplete(make_cluster, small_corpus):
    cluster = make_cluster(nodes=4, replication=2, block_size=64 * 1024)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    snap = cluster.snapshot()
    victim_block, victim = next((b, info.replicas) for b, info in sorted(snap.blocks.items()))
    for node in victim:
        cluster.kill_node(node)
    for node in victim:
        log.wait_for("node_declared_dead", lambda e, n=node: e.node == n, timeout=10)
    lost = sorted(b for b, info in snap.blocks.items() if set(info.replicas) <= set(victim))
    assert victim_block in lost
    result = cluster.run_job(JobSpec("count", os.path.basename(small_corpus), word="the"), timeout=60)
    assert result.status == "incomplete"
    assert result.missing_blocks == lost
    data = open(small_corpus, "rb").read()
    # The partial count covers exactly the blocks that were read.
    offsets = _offsets(cluster)
    expected = sum(count_word(data[o:o + n], "the") for b, (o, n) in offsets.items() if b not in lost)
    assert result.count == expected
    health = cluster.health()
    assert health.missing == len(lost) and list(health.missing_blocks) == lost
    # The surviving blocks are still re-replicated.
    assert cluster.wait_until(lambda s: s.health.under_replicated == 0 and s.replicating == 0, 30)


def _offsets(cluster):
    with cluster._state_lock:
        return {b.id: (b.offset, b.length) for b in cluster.core.blocks.values()}


def test_corrupt_replica_detected_on_read_and_repaired(make_cluster, small_corpus):
    cluster = make_cluster(nodes=2, replication=2, block_size=64 * 1024)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    snap = cluster.snapshot()
    corrupted = [cluster.corrupt_replica(0, b) for b in sorted(snap.nodes[0].blocks)]
    assert len(corrupted) == 32
    text = open(small_corpus, encoding="utf-8").read()
    result = cluster.run_job(JobSpec("count", os.path.basename(small_corpus), word="the"), timeout=60)
    assert result.status == "ok"
    assert result.count == reference_count(text, "the")
    detected = log.of_kind("block_corrupt")
    assert detected and all(e.node == 0 and e.detected_by == "task" for e in detected)
    assert result.retried == len(detected)
    # Each detected replica is replaced by a good copy from node 1, verified on disk.
    assert cluster.wait_until(_fully_replicated(2), 30)
    snap = cluster.snapshot()
    folder = snap.nodes[0].folder
    for e in detected:
        with open(os.path.join(folder, f"blk_{e.block}"), "rb") as f:
            assert checksum(f.read()) == snap.blocks[e.block].checksum


def test_pause_then_resume_rejoins_with_block_report_and_trims(make_cluster, small_corpus):
    cluster = make_cluster(nodes=4, replication=2, block_size=64 * 1024)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    held = set(cluster.snapshot().nodes[1].blocks)
    pid = cluster.node_pids()[1]
    cluster.pause_node(1)
    assert wait_stopped(pid)
    paused = log.wait_for("node_paused", lambda e: e.node == 1)
    dead = log.wait_for("node_declared_dead", lambda e: e.node == 1, timeout=10)
    assert dead.t - paused.t <= DETECT and dead.lost_replicas == len(held)
    assert cluster.wait_until(_fully_replicated(2), 30)
    cluster.resume_node(1)
    rejoined = log.wait_for("node_rejoined", lambda e: e.node == 1, timeout=10)
    assert rejoined.pid == pid and rejoined.accepted == len(held)
    # Its replicas came back on top of the new copies: the excess is trimmed back to R.
    assert cluster.wait_until(_fully_replicated(2), 30)
    trimmed = log.of_kind("block_trimmed")
    assert len(trimmed) == len(held)
    text = open(small_corpus, encoding="utf-8").read()
    result = cluster.run_job(JobSpec("count", os.path.basename(small_corpus), word="of"), timeout=60)
    assert (result.status, result.count) == ("ok", reference_count(text, "of"))


def test_restart_after_kill_reports_blocks_and_trims(make_cluster, small_corpus):
    cluster = make_cluster(nodes=4, replication=2, block_size=64 * 1024)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    held = set(cluster.snapshot().nodes[3].blocks)
    old_pid = cluster.kill_node(3)
    log.wait_for("node_declared_dead", lambda e: e.node == 3, timeout=10)
    assert cluster.wait_until(_fully_replicated(2), 30)
    new_pid = cluster.restart_node(3)
    assert new_pid != old_pid and pid_running(new_pid)
    rejoined = log.wait_for("node_rejoined", lambda e: e.node == 3, timeout=10)
    assert rejoined.pid == new_pid and rejoined.accepted == len(held)
    assert cluster.wait_until(_fully_replicated(2), 30)
    assert len(log.of_kind("block_trimmed")) == len(held)


def test_restart_of_a_live_node_needs_no_re_replication(make_cluster, small_corpus):
    cluster = make_cluster(nodes=3, replication=2, block_size=64 * 1024)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    held = set(cluster.snapshot().nodes[0].blocks)
    cluster.restart_node(0)
    rejoined = log.wait_for("node_rejoined", lambda e: e.node == 0, timeout=10)
    assert rejoined.accepted == len(held)
    assert cluster.wait_until(_fully_replicated(2), 10)
    assert not [e for e in log.of_kind("transfer_started") if e.purpose == "replicate"]
    assert not log.of_kind("node_declared_dead")


def test_added_node_takes_new_replicas(make_cluster, small_corpus):
    cluster = make_cluster(nodes=2, replication=2, block_size=64 * 1024)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    new = cluster.add_node()
    assert new == 2
    log.wait_for("node_started", lambda e: e.node == 2, timeout=10)
    cluster.kill_node(0)
    log.wait_for("node_declared_dead", lambda e: e.node == 0, timeout=10)
    # Node 2 is the only place left for the second replicas.
    assert cluster.wait_until(_fully_replicated(2), 30)
    assert len(cluster.snapshot().nodes[2].blocks) == 32


def test_stop_leaves_no_process_even_when_paused(make_cluster):
    cluster = make_cluster(nodes=3, replication=1)
    cluster.pause_node(1)
    pids = list(cluster.node_pids().values())
    cluster.stop()
    assert wait_gone(pids, 3.0) == []


def test_freezing_the_whole_cluster_declares_no_one_dead(make_cluster, small_corpus):
    cluster = make_cluster(nodes=3, replication=2, block_size=64 * 1024)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    cluster.freeze()
    pids = list(cluster.node_pids().values())
    for pid in pids:
        assert wait_stopped(pid)
    # Longer than dead_after: time passes with every node stopped.
    start = log.wait_for("cluster_frozen").t
    log.wait_for("metrics_sample", lambda e: e.t > start + 2 * FAST["dead_after"], timeout=10)
    cluster.thaw()
    result = cluster.run_job(JobSpec("count", os.path.basename(small_corpus), word="the"), timeout=30)
    assert result.status == "ok" and result.retried == 0
    assert not log.of_kind("node_declared_dead") and not log.of_kind("node_suspect")
