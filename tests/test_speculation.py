"""Speculative execution (MapReduce's backup tasks): the pure JobTracker driven by message
sequences, then a real cluster with one very slow disk."""

import os

import pytest

from engine import events as ev
from engine import messages as m
from engine.bus import EventLog
from engine.config import ClusterConfig
from engine.errors import UsageError
from engine.jobs import JobSpec
from support import pure_beat, pure_cluster, pure_store
from engine.text import reference_count
from engine.view import ClusterState

# -- the pure state machine ---------------------------------------------------------------


def _cluster(nodes=4, r=2, slots=4, **kw):
    return pure_cluster(nodes, r, slots=slots, **kw)


_store = pure_store
_beat = pure_beat


def _runs(out):
    return [(node, msg) for node, msg in out if isinstance(msg, m.RunTask)]


def _start(c, jobs, nblocks=8, **kw):
    """A count job whose map tasks are all launched at t=0; the first one will straggle."""
    job = jobs.submit(JobSpec("count", "f", word="x"), 0.0)
    out, events = c.take_effects()
    runs = _runs(out)
    assert len(runs) == nblocks  # 4 nodes x 4 slots, 4 blocks each: every task runs at once
    return job, runs, events


def _finish_all_but_first(c, runs, now):
    for node, run in runs[1:]:
        c.on_message(node, m.TaskResult(run.attempt, True, result=1), now)


def _step(c, jobs, now, heard=()):
    """Time passes: the listed nodes are heard from, then the tracker schedules."""
    _beat(c, now, heard)
    jobs.schedule(now)
    return c.take_effects()


def _with_backup():
    """8 map tasks on 4 nodes: 7 done in 0.1 s each, the first straggling until a backup of
    it starts at 1.2 s. Returns the cluster, its jobs, the job, and the (node, RunTask) of
    the straggler and of its backup."""
    c, jobs = _cluster(nodes=4, r=2)
    _store(c, 8)
    job, runs, _ = _start(c, jobs)
    _finish_all_but_first(c, runs, 0.1)
    out, _ = _step(c, jobs, 1.2, range(4))
    [backup] = _runs(out)
    return c, jobs, job, runs[0], backup


def test_backup_after_threshold_winner_counted_once_and_late_loser_ignored():
    c, jobs = _cluster(nodes=4, r=2)
    _store(c, 8)
    job, runs, _ = _start(c, jobs)
    straggler_node, straggler = runs[0]
    _finish_all_but_first(c, runs, 0.1)  # 7 of 8 done, each in 0.1 s: median 0.1 s
    c.take_effects()
    everyone = range(4)
    # Threshold: max(2.0 x 0.1 s, speculation_min_s 1.0 s) = 1.0 s.
    out, events = _step(c, jobs, 0.9, everyone)
    assert not _runs(out)
    # Past the threshold, but the straggler's node has not been heard from since: no judgement.
    out, events = _step(c, jobs, 1.05, [n for n in everyone if n != straggler_node])
    assert not _runs(out)
    out, events = _step(c, jobs, 1.1, everyone)
    [(backup_node, backup)] = _runs(out)
    assert backup.block == straggler.block and backup_node != straggler_node
    assert backup_node in c.blocks[straggler.block].replicas
    [started] = [e for e in events if e.kind == "task_started"]
    assert started.speculative and not started.retry and started.local
    assert c.nodes[straggler_node].running == 1 and c.nodes[backup_node].running == 1
    # One backup per task, however long the original keeps going.
    out, _ = _step(c, jobs, 1.5, everyone)
    assert not _runs(out)

    # The backup wins: counted once; the original is marked superseded but keeps its slot.
    c.on_message(backup_node, m.TaskResult(backup.attempt, True, result=5), 1.6)
    _, events = c.take_effects()
    finished = [e for e in events if e.kind == "task_finished"]
    failed = [e for e in events if e.kind == "task_failed"]
    assert [e.attempt for e in finished] == [backup.attempt]
    assert [(e.attempt, e.node, e.reason) for e in failed] == [
        (straggler.attempt, straggler_node, ev.SUPERSEDED)]
    assert job.result is not None
    assert (job.result.status, job.result.count) == ("ok", 7 + 5)
    assert job.result.speculated == 1 and job.result.retried == 0
    [done] = [e for e in events if e.kind == "job_finished"]
    assert done.speculated == 1 and done.retried == 0 and done.count == 12
    assert c.nodes[straggler_node].running == 1  # the loser still runs on its node
    assert c.nodes[backup_node].running == 0

    # The loser's late result is ignored; only now is its slot released.
    c.on_message(straggler_node, m.TaskResult(straggler.attempt, True, result=999), 3.0)
    out, events = c.take_effects()
    assert not [e for e in events if e.kind.startswith(("task_", "job_"))]
    assert c.nodes[straggler_node].running == 0
    assert job.result.count == 12 and not jobs.attempts

    # The view marks the backup and the loser.
    state = ClusterState()
    state.apply(ev.JobStarted(t=0, job=job.id, job_kind="count", file="f", word="x", ignore_case=False,
                              top=None, tasks=8))
    state.apply(started)
    state.apply(ev.TaskStarted(t=0, job=job.id, task=started.task, attempt=straggler.attempt,
                               node=straggler_node, block=straggler.block, phase="map", local=True,
                               retry=False))
    for e in failed + finished + [done]:
        state.apply(e)
    view = state.jobs[job.id]
    assert view.speculated == 1
    outcomes = {a.attempt: (a.outcome, a.speculative) for a in view.attempts}
    assert outcomes == {backup.attempt: ("done", True), straggler.attempt: ("superseded", False)}


def test_original_can_still_win_and_the_backup_is_the_loser():
    c, jobs, job, (node, straggler), (backup_node, backup) = _with_backup()
    c.on_message(node, m.TaskResult(straggler.attempt, True, result=3), 1.3)
    _, events = c.take_effects()
    [lost] = [e for e in events if e.kind == "task_failed"]
    assert (lost.attempt, lost.node, lost.reason) == (backup.attempt, backup_node, ev.SUPERSEDED)
    assert job.result.count == 10 and job.result.speculated == 1
    assert c.nodes[backup_node].running == 1
    # The backup's node dies before its result comes back: the slot is freed, no new report.
    c.node_restarting(backup_node, 1.4)
    _, events = c.take_effects()
    assert not [e for e in events if e.kind == "task_failed"]
    assert c.nodes[backup_node].running == 0 and not jobs.attempts


def test_a_failed_backup_is_not_a_retry_and_the_original_goes_on():
    c, jobs, job, (node, straggler), (backup_node, backup) = _with_backup()
    c.on_message(backup_node, m.TaskResult(backup.attempt, False, error="boom"), 1.3)
    out, events = c.take_effects()
    assert not _runs(out)  # the original is still in the race: nothing to retry
    assert [e.reason for e in events if e.kind == "task_failed"] == ["boom"]
    c.on_message(node, m.TaskResult(straggler.attempt, True, result=2), 1.4)
    assert job.result.count == 9
    assert job.result.retried == 0 and job.result.speculated == 1


def test_both_attempts_failing_makes_a_retry():
    c, jobs, job, (node, straggler), (backup_node, backup) = _with_backup()
    c.on_message(node, m.TaskResult(straggler.attempt, False, error="boom"), 1.3)
    c.on_message(backup_node, m.TaskResult(backup.attempt, False, error="boom"), 1.3)
    out, events = c.take_effects()
    [(retry_node, retry)] = _runs(out)
    [started] = [e for e in events if e.kind == "task_started"]
    assert started.retry and not started.speculative
    c.on_message(retry_node, m.TaskResult(retry.attempt, True, result=4), 1.5)
    assert job.result.count == 11 and job.result.retried == 1 and job.result.speculated == 1


def test_no_backup_before_half_the_tasks_are_done():
    c, jobs = _cluster(nodes=4, r=2)
    _store(c, 8)
    job, runs, _ = _start(c, jobs)
    for node, run in runs[5:]:  # 3 of 8 done: fewer than half
        c.on_message(node, m.TaskResult(run.attempt, True, result=1), 0.1)
    out, _ = _step(c, jobs, 5.0, range(4))
    assert not _runs(out)
    node, run = runs[4]
    c.on_message(node, m.TaskResult(run.attempt, True, result=1), 5.0)  # 4 of 8: half
    out, _ = _step(c, jobs, 5.1, range(4))
    assert len(_runs(out)) == 4  # every remaining task is a straggler now


def test_no_backup_with_speculation_off_or_a_frozen_cluster():
    c, jobs = _cluster(nodes=4, r=2, speculation=False)
    _store(c, 8)
    job, runs, _ = _start(c, jobs)
    _finish_all_but_first(c, runs, 0.1)
    out, _ = _step(c, jobs, 10.0, range(4))
    assert not _runs(out)
    node, run = runs[0]
    c.on_message(node, m.TaskResult(run.attempt, True, result=1), 10.0)
    assert job.result.speculated == 0 and job.result.count == 8

    # Time the whole cluster spent frozen does not count as running time.
    c, jobs = _cluster(nodes=4, r=2)
    _store(c, 8)
    job, runs, _ = _start(c, jobs)
    _finish_all_but_first(c, runs, 0.1)
    c.freeze(0.5)
    c.thaw(20.0)
    out, _ = _step(c, jobs, 20.3, range(4))  # 0.8 s of running time: below 1.0 s
    assert not _runs(out)
    out, _ = _step(c, jobs, 20.6, range(4))
    assert len(_runs(out)) == 1


def test_speculation_settings_are_validated():
    for bad in (dict(speculation="yes"), dict(speculation_factor=0.5), dict(speculation_factor=float("nan")),
                dict(speculation_min_s=-1), dict(speculation_factor=True)):
        with pytest.raises(UsageError):
            ClusterConfig(**bad).validate()
    assert ClusterConfig().speculation is True and ClusterConfig().speculation_factor == 2.0


# -- a real cluster with one very slow disk -------------------------------------------------

SLOW_MBPS = 0.005  # one 64 KiB block takes 13 s at this speed
BLOCK = 64 * 1024
ALONE_S = BLOCK / (SLOW_MBPS * 1e6)


def test_straggler_is_overtaken_by_a_backup_and_counted_once(make_cluster, small_corpus):
    cluster = make_cluster(nodes=4, replication=3, block_size=BLOCK)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    name = os.path.basename(small_corpus)
    cluster.set_disk_speed(0, SLOW_MBPS)
    result = cluster.run_job(JobSpec("count", name, word="the"), timeout=60)

    text = open(small_corpus, encoding="utf-8").read()
    assert result.status == "ok"
    assert result.count == reference_count(text, "the")
    # Node 0's tasks alone would need at least 13 s; their backups finished them much sooner.
    assert result.elapsed_s < ALONE_S / 2
    assert result.speculated >= 1 and result.retried == 0
    started = [e for e in log.of_kind("task_started") if e.job == result.job]
    backups = [e for e in started if e.speculative]
    assert len(backups) == result.speculated
    originals = {e.task: e for e in started if not e.speculative}
    for b in backups:
        assert b.node != 0 and not b.retry and b.local
        assert originals[b.task].node == 0  # only the straggler's tasks were backed up
    # Each task finished exactly once; every loser is node 0's original attempt.
    finished = [e for e in log.of_kind("task_finished") if e.job == result.job]
    assert sorted(e.task for e in finished) == sorted(originals)
    superseded = [e for e in log.of_kind("task_failed") if e.reason == ev.SUPERSEDED]
    assert {e.attempt for e in superseded} == {originals[b.task].attempt for b in backups}
    assert all(e.node == 0 for e in superseded)
    done = log.wait_for("job_finished", lambda e: e.job == result.job)
    assert done.speculated == result.speculated

    # The losers still hold node 0's slots; a faster disk lets them finish, then they let go.
    assert cluster.snapshot().nodes[0].running == len(superseded)
    cluster.set_disk_speed(0, None)
    assert cluster.wait_until(lambda s: s.nodes[0].running == 0, 15)
    assert not [e for e in log.of_kind("task_finished") if e.attempt in {s.attempt for s in superseded}]
    assert result.count == reference_count(text, "the")

    state = ClusterState()
    state.apply_all(log.events)
    job = state.jobs[result.job]
    assert job.speculated == result.speculated and job.status == "ok"
    assert sum(a.speculative for a in job.attempts) == result.speculated
    assert sum(a.outcome == "superseded" for a in job.attempts) == len(superseded)


def test_without_speculation_the_job_waits_for_the_straggler(make_cluster, small_corpus):
    slow = 0.05  # 1.3 s per 64 KiB block
    cluster = make_cluster(nodes=4, replication=3, block_size=BLOCK, speculation=False)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    cluster.set_disk_speed(0, slow)
    result = cluster.run_job(JobSpec("count", os.path.basename(small_corpus), word="the"), timeout=60)
    text = open(small_corpus, encoding="utf-8").read()
    assert (result.status, result.count) == ("ok", reference_count(text, "the"))
    assert result.speculated == 0 and result.retried == 0
    assert not [e for e in log.of_kind("task_started") if e.speculative]
    assert not [e for e in log.of_kind("task_failed")]
    slow_tasks = [e for e in log.of_kind("task_finished") if e.node == 0]
    assert slow_tasks  # node 0 ran tasks, and the job waited for them
    assert result.elapsed_s >= BLOCK / (slow * 1e6) * 0.9
