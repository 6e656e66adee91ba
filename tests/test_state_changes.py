"""ClusterState as an evented model: one StateChange per batch naming what changed, and the
one reachability rule (marks) kept incrementally, equal to recomputing it from scratch."""

import random

import pytest

from engine import events as ev
from engine.backend import open_backend
from engine.bus import EventLog
from engine.config import ClusterConfig
from engine.model import JobSpec
from engine.view import LOST, UNDER, ClusterState


def _started(nodes=3, replication=2):
    out = [ev.ClusterStarted(t=0, nodes=nodes, replication=replication, block_size=10, heartbeat=0.5,
                             dead_after=2.0, data_dir="/x", disk_mbps=None)]
    out += [ev.NodeStarted(t=0.1, node=n, pid=100 + n) for n in range(nodes)]
    blocks = [(b, b, 10, "c") for b in range(3)]
    out.append(ev.PutStarted(t=0.2, file="f", size=30, blocks=3, block_list=blocks))
    for b in range(3):
        for k in range(replication):
            out.append(ev.BlockStored(t=0.3, block=b, node=(b + k) % nodes, size=10, source=None, purpose="put"))
    out.append(ev.PutFinished(t=0.4, file="f", blocks=3, size=30, elapsed_s=0.2))
    return out


def test_one_change_per_batch_naming_what_changed():
    state = ClusterState()
    seen = []
    state.subscribe(seen.append)
    state.apply_all(_started())
    assert len(seen) == 1 and seen[0].config and seen[0].nodes == {0, 1, 2} and seen[0].blocks == {0, 1, 2}
    assert not seen[0].marks and state.marks == {}
    state.apply(ev.NodeKilled(t=1.0, node=1, pid=101))
    change = seen[-1]
    assert change.nodes == {1} and change.faults and change.marks
    assert change.blocks == {0, 1}  # node 1 holds replicas of blocks 0 and 1
    assert state.marks == {0: UNDER, 1: UNDER} and state.marks_history[-1] == (1.0, 2, 0)
    before = len(seen)
    state.apply_all([])
    assert len(seen) == before  # nothing changed: nothing said


def test_marks_follow_the_rule_kill_pause_and_death():
    state = ClusterState()
    state.apply_all(_started())
    state.apply(ev.NodePaused(t=1, node=0, pid=100))
    state.apply(ev.NodePaused(t=1, node=1, pid=101))
    assert state.marks[0] == LOST and state.marks[1] == UNDER and state.marks[2] == UNDER
    state.apply(ev.NodeResumed(t=2, node=0, pid=100))
    assert state.marks == {0: UNDER, 1: UNDER}
    state.apply(ev.ClusterStopped(t=3))
    assert state.marks == {}


def test_unsubscribe_and_checkpoint_pickling_drop_subscribers():
    import pickle
    state = ClusterState()
    seen = []
    stop = state.subscribe(seen.append)
    state.apply_all(_started())
    stop()
    state.apply(ev.NodeKilled(t=1.0, node=1, pid=101))
    assert len(seen) == 1
    state.subscribe(lambda change: None)
    copy = pickle.loads(pickle.dumps(state))
    assert copy.marks == state.marks and copy._subscribers == []


@pytest.fixture(scope="module")
def recorded_run(small_corpus):
    config = ClusterConfig(nodes=4, replication=3, block_size=16 * 1024, heartbeat=0.1, dead_after=0.4)
    cluster = open_backend("local", config)
    log = EventLog(cluster)
    with cluster:
        stored = cluster.put(small_corpus, name="s")
        job = cluster.submit(JobSpec("wordcount", stored.file))
        cluster.pause_node(2)
        cluster.kill_node(1)
        cluster.wait_job(job, timeout=60)
        cluster.resume_node(2)
        cluster.wait_settled(30)
    log.close()
    return list(log.events)


def test_incremental_marks_equal_the_rule_recomputed_after_every_batch(recorded_run):
    kinds = {e.kind for e in recorded_run}
    assert {"node_killed", "node_paused", "node_declared_dead", "block_stored"} <= kinds
    for seed in range(5):
        rng = random.Random(seed)
        state = ClusterState()
        changes = []
        state.subscribe(changes.append)
        i = 0
        while i < len(recorded_run):
            k = rng.randint(1, 40)
            state.apply_all(recorded_run[i:i + k])
            i += k
            full = {b.id: state.mark_of(b) for b in state.blocks.values() if state.mark_of(b)}
            assert state.marks == full, (seed, i)
        assert any(c.marks for c in changes)
