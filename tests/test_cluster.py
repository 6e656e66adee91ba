"""A real cluster of node processes: store, count, wordcount, events."""

import os

from engine.blocks import checksum
from engine.bus import EventLog
from engine.jobs import JobSpec
from engine.text import reference_count, reference_wordcount
from support import pid_running


def test_put_places_r_distinct_replicas_on_disk(make_cluster, small_corpus):
    cluster = make_cluster(nodes=5, replication=3, block_size=256 * 1024)
    stored = cluster.put(small_corpus)
    assert stored.blocks == 8
    snap = cluster.snapshot()
    data = open(small_corpus, "rb").read()
    for block_id, block in snap.blocks.items():
        assert len(block.replicas) == 3
        for node in block.replicas:
            # The replica is a real file in that node's own folder, byte-identical to the span.
            path = os.path.join(snap.nodes[node].folder, f"blk_{block_id}")
            with open(path, "rb") as f:
                assert checksum(f.read()) == block.checksum
    total = sum(b.length for b in snap.blocks.values())
    assert total == len(data)
    # Placement balances stored bytes: no node holds more than two blocks more than another.
    loads = [sum(snap.blocks[b].length for b in n.blocks) for n in snap.nodes.values()]
    assert max(loads) - min(loads) <= 2 * 257 * 1024
    # Every node is a distinct live process.
    pids = cluster.node_pids()
    assert len(set(pids.values())) == 5 and all(pid_running(p) for p in pids.values())


def test_count_and_wordcount_are_exact_and_node_local(make_cluster, small_corpus):
    cluster = make_cluster(nodes=4, replication=2, block_size=256 * 1024)
    cluster.put(small_corpus)
    text = open(small_corpus, encoding="utf-8").read()
    name = os.path.basename(small_corpus)
    for word in ("the", "data", "café", "nothere"):
        result = cluster.run_job(JobSpec("count", name, word=word), timeout=60)
        assert result.status == "ok"
        assert result.count == reference_count(text, word)
        assert result.node_local == result.map_tasks == 8
        assert result.retried == 0
    result = cluster.run_job(JobSpec("count", name, word="The", ignore_case=True), timeout=60)
    assert result.count == reference_count(text, "the", ignore_case=True)
    result = cluster.run_job(JobSpec("wordcount", name, top=25), timeout=60)
    assert result.status == "ok"
    assert [tuple(x) for x in result.top] == reference_wordcount(text, 25)
    assert result.reduce_tasks == 4


def test_unicode_corpus_counts(make_cluster, unicode_corpus):
    cluster = make_cluster(nodes=3, replication=2, block_size=4096)
    cluster.put(unicode_corpus)
    text = open(unicode_corpus, encoding="utf-8").read()
    name = os.path.basename(unicode_corpus)
    for word, ic in (("数据", False), ("straße", True), ("ωmega", True), ("the", False)):
        result = cluster.run_job(JobSpec("count", name, word=word, ignore_case=ic), timeout=60)
        assert result.count == reference_count(text, word, ic), word
    result = cluster.run_job(JobSpec("wordcount", name, top=10), timeout=60)
    assert [tuple(x) for x in result.top] == reference_wordcount(text, 10)


def test_empty_file_counts_zero(make_cluster, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("")
    cluster = make_cluster(nodes=2, replication=1)
    assert cluster.put(str(path)).blocks == 0
    result = cluster.run_job(JobSpec("count", "empty.txt", word="x"), timeout=30)
    assert (result.status, result.count) == ("ok", 0)


def test_event_stream_tells_the_whole_story(make_cluster, small_corpus):
    cluster = make_cluster(nodes=3, replication=2, block_size=256 * 1024)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    cluster.run_job(JobSpec("count", os.path.basename(small_corpus), word="the"), timeout=60)
    log.wait_for("metrics_sample", lambda e: e.nodes and any(n["stored_bytes"] > 0 for n in e.nodes.values()))
    assert len(log.of_kind("block_stored")) == 16
    assert len(log.of_kind("transfer_started")) == 16
    assert len(log.of_kind("task_finished")) == 8
    finished = log.of_kind("job_finished")[0]
    assert finished.status == "ok" and finished.node_local == 8
    progress = log.of_kind("job_progress")
    assert progress[-1].done == progress[-1].total == 8
    # Each task ran on a node that holds its block.
    snap = cluster.snapshot()
    for e in log.of_kind("task_started"):
        assert e.node in snap.blocks[e.block].replicas and e.local
    times = [e.t for e in log.events]
    assert times == sorted(times)
    # Node log records arrived through multiprocessing-logging.
    # (INFO is below the default level, so ask for a warning-level record: corrupt a replica.)


def test_node_logs_reach_the_parent(make_cluster, small_corpus):
    cluster = make_cluster(nodes=2, replication=1, block_size=256 * 1024, log_level="INFO")
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    record = log.wait_for("log_message", lambda e: e.node is not None and "stored block" in e.message)
    assert record.level == "INFO" and record.logger.startswith("clusterscope.node.")


def test_metrics_samples_report_read_throughput(make_cluster, small_corpus):
    cluster = make_cluster(nodes=2, replication=2, block_size=256 * 1024, disk_mbps=4)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    cluster.run_job(JobSpec("count", os.path.basename(small_corpus), word="the"), timeout=60)
    # The nodes' read counters reach the coordinator with their next heartbeat.
    busy = log.wait_for("metrics_sample", lambda e: any(n["read_bps"] > 0 for n in e.nodes.values()))
    # Both nodes read, at no more than the simulated disk speed (plus sampling jitter).
    assert max(n["read_bps"] for n in busy.nodes.values()) < 3 * 4e6
    start = len(log.events)
    # At least four samples a second.
    first = log.wait_for("metrics_sample", start=start)
    later = log.wait_for("metrics_sample", lambda e: e.t >= first.t + 1.0, start=start)
    n = sum(1 for e in log.events[start:] if e.kind == "metrics_sample" and first.t <= e.t <= later.t)
    assert n >= 4


def test_same_name_twice_is_refused_until_deleted(make_cluster, small_corpus):
    import pytest
    from engine.errors import UsageError
    cluster = make_cluster(nodes=2, replication=2, block_size=256 * 1024)
    cluster.put(small_corpus, name="a")
    with pytest.raises(UsageError, match="already stored"):
        cluster.put(small_corpus, name="a")
    cluster.delete_file("a")
    assert cluster.files() == {}
    assert cluster.wait_until(lambda s: all(not n.blocks for n in s.nodes.values()), 10)
    cluster.put(small_corpus, name="a")
    assert cluster.run_job(JobSpec("count", "a", word="the"), timeout=30).status == "ok"
