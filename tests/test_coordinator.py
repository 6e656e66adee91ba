"""The coordinator's pure state machine, driven by message sequences with no processes."""

import pytest

from engine import messages as m
from engine.blocks import BlockSpan
from engine.jobs import JobSpec
from support import pure_beat, pure_cluster, pure_store


_cluster = pure_cluster
_store = pure_store
_beat = pure_beat


def test_put_respects_stream_limit_and_places_distinct_replicas():
    c, _ = _cluster(nodes=4, r=3, max_streams=2)
    spans = [BlockSpan(i, i * 10, 10, "0") for i in range(20)]
    c.begin_put("f", "/f", spans, 0.0)
    c.tick(0.0)
    out, _ = c.take_effects()
    per_node = {}
    for node, msg in out:
        per_node[node] = per_node.get(node, 0) + 1
    assert per_node and max(per_node.values()) <= 2
    c2, _ = _cluster(nodes=4, r=3)
    _store(c2, 20)
    for b in c2.blocks.values():
        assert len(b.replicas) == 3
    loads = [len(n.blocks) for n in c2.nodes.values()]
    assert max(loads) - min(loads) <= 1  # 60 replicas over 4 nodes, balanced


def test_silence_makes_suspect_then_dead_and_queues_urgent_blocks_first():
    c, _ = _cluster(nodes=4, r=3)
    _store(c, 12)
    # Node 0 goes silent; the others keep beating.
    for step in range(1, 30):
        now = step * 0.1
        _beat(c, now, [1, 2, 3])
        c.check_liveness(now)
        if c.nodes[0].state == "dead":
            break
    _, events = c.take_effects()
    kinds = [e.kind for e in events]
    assert kinds.index("node_suspect") < kinds.index("node_declared_dead")
    dead = [e for e in events if e.kind == "node_declared_dead"][0]
    assert 2.0 < dead.silent_s <= 2.1
    # Make block 5 critical (one live replica left) by dropping another holder's copy.
    b5 = c.blocks[5]
    other = sorted(b5.replicas)[0]
    b5.replicas.discard(other)
    c.nodes[other].blocks.discard(5)
    c.tick(now)
    out, _ = c.take_effects()
    sends = [msg.block for _, msg in out if isinstance(msg, m.SendBlock)]
    assert sends and sends[0] == 5
    assert len(sends) <= 2 * 3  # at most 2 x live nodes per round


def test_block_report_deletes_unknown_and_mismatched_replicas():
    c, _ = _cluster(nodes=2, r=1)
    _store(c, 2)
    holder = next(iter(c.blocks[0].replicas))
    c.node_restarting(holder, 1.0)
    c.node_process_started(holder, 2000, 1.0, restart=True)
    report = {0: (10, "00000000"), 1: (10, "badbadba"), 99: (5, "x")}
    c.on_message(holder, m.Register(holder, 2000, report), 1.0)
    out, events = c.take_effects()
    deleted = sorted(msg.block for _, msg in out if isinstance(msg, m.DeleteBlock))
    assert 99 in deleted and 1 in deleted and 0 not in deleted
    rejoined = [e for e in events if e.kind == "node_rejoined"][0]
    assert rejoined.accepted == 1


def test_task_gives_up_after_four_attempts_and_job_is_incomplete():
    c, jobs = _cluster(nodes=4, r=4)
    _store(c, 1)
    job = jobs.submit(JobSpec("count", "f", word="x"), 0.0)
    for attempt in range(4):
        out, _ = c.take_effects()
        [(node, run)] = [(n, msg) for n, msg in out if isinstance(msg, m.RunTask)]
        c.on_message(node, m.TaskResult(run.attempt, False, error="boom"), 0.1)
    c.tick(0.2)
    assert job.result is not None
    assert job.result.status == "incomplete" and job.result.missing_blocks == [0]
    assert job.result.retried == 3


def test_stale_result_from_a_node_declared_dead_is_ignored():
    c, jobs = _cluster(nodes=2, r=2)
    _store(c, 1)
    job = jobs.submit(JobSpec("count", "f", word="x"), 0.0)
    out, _ = c.take_effects()
    [(node, run)] = [(n, msg) for n, msg in out if isinstance(msg, m.RunTask)]
    other = 1 - node
    for step in range(1, 25):
        _beat(c, step * 0.1, [other])
        c.check_liveness(step * 0.1)
    assert c.nodes[node].state == "dead"
    jobs.schedule(2.5)
    out, _ = c.take_effects()
    [(node2, run2)] = [(n, msg) for n, msg in out if isinstance(msg, m.RunTask)]
    assert node2 == other
    c.on_message(node, m.TaskResult(run.attempt, True, result=999), 2.6)  # ignored: node is dead
    c.on_message(other, m.TaskResult(run2.attempt, True, result=7), 2.6)
    c.tick(2.7)
    assert job.result.count == 7 and job.result.retried == 1


def test_a_scheduling_pass_of_a_big_put_looks_at_a_bounded_stretch_of_its_queue():
    """Storing N blocks takes O(N) passes; a pass that looked at the whole queue made a put
    quadratic in its blocks (8,612 blocks took 103 s). Here 4 nodes' streams are busy and the
    2 free ones hold far more than the rest (so the balance rule makes them wait): a pass
    can start nothing, and must find that out without reading all 60,000 queued writes."""
    c, _ = _cluster(nodes=6, r=3, max_streams=2)
    spans = [BlockSpan(i, i * 10, 10, "0") for i in range(20000)]
    put = c.begin_put("f", "/f", spans, 0.0)
    for n in (0, 1, 2, 3):
        c.nodes[n].streams = 2
    loads = {n: 0 for n in c.nodes}
    loads[4] = loads[5] = 10 ** 9

    class Counting(dict):
        reads = 0

        def __getitem__(self, key):
            Counting.reads += 1
            return super().__getitem__(key)
    c.blocks = Counting(c.blocks)
    c._schedule_puts(0.0, loads)
    assert not c.writes and not put.done
    assert Counting.reads <= 4 * 2 * 2 + 8  # a stretch the free streams could take, not the queue
    assert len(put.queued) == 3 * 20000  # nothing dropped from the queue


def test_a_scheduling_pass_keeps_the_queue_in_place_and_in_order():
    """A pass takes from the front of the queue and puts back, in order, what it could not
    start; the rest is never copied (rebuilding the queue each pass was O(N) a pass, and so
    quadratic again: 100,000 blocks of 2 KiB stored 1.56x slower than linear)."""
    c, _ = _cluster(nodes=6, r=3, max_streams=2)
    spans = [BlockSpan(i, i * 10, 10, "0") for i in range(20000)]
    put = c.begin_put("f", "/f", spans, 0.0)
    queue = put.queued
    before = list(queue)
    for n in (0, 1, 2, 3):
        c.nodes[n].streams = 2
    loads = {n: 0 for n in c.nodes}
    loads[5] = 10 ** 9  # node 4 takes writes; node 5 is far above the others and waits
    c._schedule_puts(0.0, loads)
    started = [w.block for w in c.writes.values()]
    assert len(started) == 2 and all(w.target == 4 for w in c.writes.values())
    assert put.queued is queue  # the same queue, not a copy of its rest
    left = list(before)
    for block in started:
        left.remove(block)
    assert list(put.queued) == left


def _store_many(c, nblocks, now=0.0):
    from engine import messages as m
    spans = [BlockSpan(i, i * 10, 10, f"{i:08x}") for i in range(nblocks)]
    put = c.begin_put("f", "/f", spans, now)
    while not put.done:
        c.tick(now)
        out, _ = c.take_effects()
        for node, msg in out:
            if isinstance(msg, m.StoreBlock):
                c.on_message(node, m.BlockWritten(msg.req, msg.block, True), now)
    c.take_effects()


class _CountingBlocks(dict):
    reads = 0

    def get(self, key, default=None):
        _CountingBlocks.reads += 1
        return super().get(key, default)


def test_a_task_result_costs_what_it_frees_not_a_pass_over_the_job():
    """A result frees one slot: the step that fills it must not look at every pending task
    of the job (a pass per result made a job of T tasks O(T^2): 8,000 tasks took 14x the
    time of 2,000). The job still runs every task once and sums them all."""
    c, jobs = _cluster(nodes=6, r=3)
    _store_many(c, 6000)
    job = jobs.submit(JobSpec("count", "f", word="x"), 0.0)
    c.blocks = _CountingBlocks(c.blocks)
    steps, worst, total = 0, 0, 0
    while job.result is None:
        out, _ = c.take_effects()
        runs = [(n, msg) for n, msg in out if isinstance(msg, m.RunTask)]
        assert runs or job.result is not None
        for node, run in runs:
            _CountingBlocks.reads = 0
            c.on_message(node, m.TaskResult(run.attempt, True, result=1), 1.0)
            worst = max(worst, _CountingBlocks.reads)
            steps += 1
            total += 1
    assert job.result.status == "ok" and job.result.count == 6000 == total
    assert worst <= 50, worst  # a few lookups per result, not the 6,000 tasks


def test_a_block_whose_last_holder_dies_gives_up_while_every_slot_is_busy():
    c, jobs = _cluster(nodes=3, r=1, slots=1)
    _store_many(c, 30)
    job = jobs.submit(JobSpec("count", "f", word="x"), 0.0)
    c.take_effects()
    assert all(n.running == 1 for n in c.nodes.values())  # no free slot anywhere
    victim = 0
    lost = {b for b, info in c.blocks.items() if info.replicas == {victim}}
    for step in range(1, 25):
        _beat(c, step * 0.1, [1, 2])
        c.check_liveness(step * 0.1)
    assert c.nodes[victim].state == "dead"
    c.tick(2.5)  # the survivors' slots are still busy with their first tasks
    _, events = c.take_effects()
    given_up = {t.block for t in job.maps if t.state == "unavailable"}
    assert given_up == lost and lost
    progress = [e for e in events if e.kind == "job_progress"]
    assert progress and progress[-1].done == len(lost) == sum(
        1 for t in job.maps if t.state in ("done", "unavailable", "failed"))


def test_a_free_node_with_no_block_of_the_job_does_not_make_every_result_a_pass():
    # A node that joined with an empty disk stays free (delay scheduling gives it a task
    # only every locality_wait): the step after a result must not look at every pending
    # task again for it.
    from engine import messages as m
    c, jobs = _cluster(nodes=3, r=1)
    _store_many(c, 1500)
    c.node_process_started(3, 1003, now=0.0)
    c.on_message(3, m.Register(3, 1003, {}), now=0.0)
    c.take_effects()
    job = jobs.submit(JobSpec("count", "f", word="x"), 0.0)
    c.blocks = _CountingBlocks(c.blocks)
    worst, results = 0, 0
    while job.result is None:
        out, _ = c.take_effects()
        runs = [(n, msg) for n, msg in out if isinstance(msg, m.RunTask)]
        assert runs
        for node, run in runs:
            assert node != 3  # within locality_wait, only holders run tasks
            _CountingBlocks.reads = 0
            c.on_message(node, m.TaskResult(run.attempt, True, result=1), 1.0)
            worst = max(worst, _CountingBlocks.reads)
            results += 1
    assert job.result.status == "ok" and job.result.count == 1500 == results
    assert worst <= 50, worst


def test_the_board_keeps_the_median_of_the_finished_durations():
    import random
    import statistics
    from engine.jobs import Attempt, Task
    from engine.task_board import TaskBoard
    rng = random.Random(4)
    tasks = [Task(i, "map", i) for i in range(400)]
    board = TaskBoard(tasks)
    done = {}
    for step in range(3000):
        task = rng.choice(tasks)
        if task.state == "done" and rng.random() < 0.3:
            task.state = "pending"  # its output lost: run again
            task.winner = None
            done.pop(task.id)
        elif task.state != "done":
            attempt = Attempt(step, task, 0, rng.uniform(0, 5), True, False, 1)
            attempt.ended = attempt.started + rng.choice([rng.uniform(0.1, 3), 1.0])
            task.winner = attempt
            task.state = "done"
            done[task.id] = attempt.ended - attempt.started
        assert board.finished() == len(done)
        if done:
            assert board.median_duration() == statistics.median(done.values())
    assert board.counts["done"] == len(done) and board.counts["pending"] == 400 - len(done)


def test_the_pending_tasks_are_made_afresh_once_most_have_left():
    # A dict keeps the places of removed entries, and a walk from the front steps over each
    # one: without starting it afresh, a job's late steps walked over every finished task.
    import sys
    from engine.jobs import Task
    from engine.task_board import TaskBoard
    tasks = [Task(i, "map", i) for i in range(10_000)]
    board = TaskBoard(tasks)
    full = sys.getsizeof(board.pending)
    for task in tasks[:9_900]:
        task.state = "running"
    with board.walking_pending() as walk:
        assert [t.id for t in walk] == list(range(9_900, 10_000))
    assert sys.getsizeof(board.pending) < full // 10


@pytest.mark.parametrize("claimed", [False, True])
def test_a_replica_written_by_a_node_declared_dead_is_deleted_when_it_registers_again(claimed):
    # A paused node resumes after it was declared dead: its write, given up meanwhile, ends
    # after all. If its block report was made before the replica got its name, nothing else
    # would ever delete it (nothing reaches a dead node before its report): it is deleted
    # once the node registers. If the report claims it, it is a replica like any other.
    c, _ = _cluster(nodes=3, r=2)
    put = c.begin_put("f", "/f", [BlockSpan(0, 0, 10, "00000000"), BlockSpan(1, 10, 10, "00000001")], 0.0)
    c.tick(0.0)
    out, _ = c.take_effects()
    writes = [(n, msg) for n, msg in out if isinstance(msg, m.StoreBlock)]
    late_node, late = writes[0]
    others = [n for n in c.nodes if n != late_node]
    for node, msg in writes[1:]:
        c.on_message(node, m.BlockWritten(msg.req, msg.block, True), 0.1)
    for step in range(1, 30):
        now = step * 0.1
        _beat(c, now, others)
        c.check_liveness(now)
        c.tick(now)
        out, _ = c.take_effects()
        for node, msg in out:
            if isinstance(msg, m.StoreBlock):
                c.on_message(node, m.BlockWritten(msg.req, msg.block, True), now)
    assert c.nodes[late_node].state == "dead" and put.done and put.error is None
    c.on_message(late_node, m.BlockWritten(late.req, late.block, True), 3.0)  # the resumed write
    out, _ = c.take_effects()
    assert any(isinstance(msg, m.SendBlockReport) for _, msg in out)
    report = {late.block: (10, late.checksum)} if claimed else {}
    c.on_message(late_node, m.Register(late_node, 1000 + late_node, report), 3.1)
    out, _ = c.take_effects()
    deleted = [msg.block for n, msg in out if isinstance(msg, m.DeleteBlock) and n == late_node]
    if claimed:
        assert deleted == [] and late_node in c.blocks[late.block].replicas
    else:
        assert deleted == [late.block] and late_node not in c.blocks[late.block].replicas
