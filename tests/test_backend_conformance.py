"""What every backend must do, written against the interface alone (engine/backend.py):
each test runs on every registered backend. A backend added later (Dask) passes these or
is not a backend."""

from __future__ import annotations

import inspect
import os
import threading

import pytest

from engine import events as ev

from engine.backend import ClusterBackend, backend_factory, backend_names, open_backend
from engine.bus import EventLog
from engine.config import ClusterConfig
from engine.errors import UsageError
from engine.model import BlockStatus, Health, JobResult, JobSpec, NodeState, NodeStatus, Snapshot, StoredFile
from engine.text import reference_count, reference_wordcount
from support import FAST, wait_gone

BACKENDS = backend_names()


def _needs(name: str) -> None:
    if name == "dask":
        pytest.importorskip("distributed", reason="the dask extra is not installed (pip install '.[dask]')")


@pytest.fixture(params=BACKENDS)
def backend(request):
    _needs(request.param)
    clusters = []

    def make(**config) -> ClusterBackend:
        cluster = open_backend(request.param, ClusterConfig(**{**FAST, **config}))
        clusters.append(cluster)
        return cluster.start()
    yield make
    pids = [p for c in clusters for p in c.node_pids().values()]
    for c in clusters:
        c.stop()
    assert wait_gone(pids, 5.0) == []


@pytest.mark.parametrize("name", BACKENDS)
def test_a_backend_implements_every_method_of_the_interface(name):
    _needs(name)
    cls = backend_factory(name)
    for method, _ in inspect.getmembers(ClusterBackend, inspect.isfunction):
        if method.startswith("_") and method not in ("__enter__", "__exit__"):
            continue
        mine = getattr(cls, method, None)
        assert mine is not None and mine is not getattr(ClusterBackend, method), f"{name} lacks {method}"
    assert cls.name == name


def test_an_unknown_backend_is_one_line():
    with pytest.raises(UsageError, match="unknown backend 'nope'"):
        open_backend("nope")


def test_start_gives_a_typed_snapshot_of_live_nodes(backend):
    cluster = backend(nodes=3, replication=2)
    snap = cluster.snapshot()
    assert isinstance(snap, Snapshot) and set(snap.nodes) == {0, 1, 2}
    assert all(isinstance(n, NodeStatus) and n.state == NodeState.ALIVE for n in snap.nodes.values())
    assert isinstance(snap.health, Health) and snap.health.blocks == 0 and snap.files == {}
    assert sorted(cluster.node_pids()) == [0, 1, 2]


def test_put_count_and_wordcount_are_exact(backend, small_corpus):
    cluster = backend(nodes=3, replication=2, block_size=256 * 1024)
    stored = cluster.put(small_corpus, name="s.txt")
    assert isinstance(stored, StoredFile) and stored.file == "s.txt" and stored.size == os.path.getsize(small_corpus)
    assert list(cluster.files()) == ["s.txt"] and len(cluster.files()["s.txt"]) == stored.blocks
    snap = cluster.snapshot()
    assert all(isinstance(b, BlockStatus) and len(b.live) == 2 for b in snap.blocks.values())
    text = open(small_corpus, encoding="utf-8").read()
    count = cluster.run_job(JobSpec("count", "s.txt", word="the"), timeout=60)
    assert isinstance(count, JobResult) and count.status == "ok" and count.count == reference_count(text, "the")
    assert count.node_local + count.non_local == count.map_tasks == stored.blocks
    top = cluster.wait_job(cluster.submit(JobSpec("wordcount", "s.txt", top=5)), timeout=60)
    assert [tuple(x) for x in top.top] == reference_wordcount(text, 5)


def test_a_killed_node_is_detected_in_the_event_stream_and_the_snapshot(backend, small_corpus):
    cluster = backend(nodes=3, replication=2, block_size=256 * 1024)
    log = EventLog(cluster)
    cluster.put(small_corpus, name="s.txt")
    cluster.kill_node(1)
    log.wait_for("node_killed", lambda e: e.node == 1, timeout=5)
    log.wait_for("node_declared_dead", lambda e: e.node == 1, timeout=10)
    snap = cluster.wait_for(lambda s: s.nodes[1].state == NodeState.DEAD and s.health.under_replicated == 0
                            and s.replicating == 0, 30)
    assert snap is not None and all(1 not in b.live for b in snap.blocks.values())
    settled = cluster.wait_settled(30)
    assert settled.settled and settled.fully_replicated


def test_settling_says_what_cannot_be_done(backend, small_corpus):
    cluster = backend(nodes=2, replication=2, block_size=256 * 1024)
    cluster.put(small_corpus, name="s.txt")
    cluster.kill_node(0)
    settled = cluster.wait_settled(30)
    assert settled.settled and not settled.fully_replicated
    assert any("stay at 1 of 2 replicas: only 1 live node" in r for r in settled.remains)


def test_wait_for_gives_up_at_its_timeout(backend):
    cluster = backend(nodes=1, replication=1)
    assert cluster.wait_for(lambda s: False, 0.3) is None
    assert cluster.wait_for(ev.NodeDeclaredDead, 0.3) is None


def test_wait_for_an_event_gives_the_event(backend, small_corpus):
    cluster = backend(nodes=3, replication=2, block_size=256 * 1024)
    cluster.put(small_corpus, name="s.txt")
    # killed once the wait has begun: a backend may declare the death at once (Dask sees
    # the broken connection), and wait_for gives only events published after it was called
    killer = threading.Timer(0.3, cluster.kill_node, (2,))
    killer.start()
    try:
        dead = cluster.wait_for((ev.NodeDeclaredDead, lambda e: e.node == 2), 15)
    finally:
        killer.join()
    assert isinstance(dead, ev.NodeDeclaredDead) and dead.node == 2
    assert cluster.snapshot().nodes[2].state == NodeState.DEAD


def test_bad_input_is_a_usage_error(backend, small_corpus):
    cluster = backend(nodes=2, replication=1)
    with pytest.raises(UsageError):
        cluster.kill_node(9)
    with pytest.raises(UsageError):
        cluster.submit(JobSpec("count", "nothing-stored", word="the"))
    with pytest.raises(UsageError):
        cluster.submit(JobSpec("count", "x", word="two words"))
    with pytest.raises(UsageError):
        cluster.set_disk_speed(0, float("nan"))
    with pytest.raises(UsageError):
        cluster.put(os.path.dirname(small_corpus))


def test_subscribers_get_events_until_they_unsubscribe(backend, small_corpus):
    cluster = backend(nodes=2, replication=1)
    seen = []
    unsubscribe = cluster.subscribe(seen.append)
    cluster.put(small_corpus, name="s.txt")
    assert any(e.kind == "put_finished" for e in seen)
    unsubscribe()
    before = len(seen)
    cluster.delete_file("s.txt")
    cluster.wait_for(lambda s: not s.files, 5)
    assert len(seen) == before
