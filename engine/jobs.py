"""Jobs in MapReduce style: tasks, attempts, data-local scheduling, retries, results.

``count WORD`` runs one map task per block and sums. ``wordcount`` maps every block to
per-partition word counts (the node combines them: one count per word per block), shuffles
the partitions to one reduce task per partition on live nodes, and merges their top-K lists.
A task lost with its node is retried on another replica holder, up to ``max_attempts``
failed attempts; a block with no live replica makes the job ``incomplete``, naming that block.

Speculative execution (MapReduce's backup tasks, ``config.speculation``): once at least half
of a job's map tasks, and no fewer than ``SPECULATION_MIN_DONE``, have finished, a map task
whose only running attempt has run longer than ``speculation_factor`` x the median duration
of the finished map tasks, and at least ``speculation_min_s``, gets one backup attempt on
another live replica holder with a free slot. Its node must have been heard from after the
attempt crossed that threshold: a silent node is failure detection's business (its tasks are
retried when it is declared dead), a slow one is speculation's. The first attempt to finish
wins and is counted once; the other is reported as ``TaskFailed(reason=SUPERSEDED)`` at once,
keeps its slot until its own result arrives (then ignored) or its node is lost. A task gets
at most one backup. Only map tasks are speculated: they read a block from a disk that may be
slow; reduces merge in memory, and a backup of one would re-send all its inputs.
"""

from __future__ import annotations

import itertools
import math
import statistics
from dataclasses import dataclass, field

from . import events as ev
from . import messages as m
from .coordinator import ALIVE, Coordinator, NodeInfo
from .events import SUPERSEDED
from .text import top_k

SPECULATION_MIN_DONE = 3  # finished map tasks needed (besides half the job) for a median

PENDING, RUNNING, DONE, UNAVAILABLE = "pending", "running", "done", "unavailable"


@dataclass(frozen=True)
class JobSpec:
    kind: str  # "count" | "wordcount"
    file: str
    word: str | None = None
    ignore_case: bool = False
    top: int = 20


@dataclass
class Attempt:
    id: int
    task: "Task"
    node: int
    started: float
    local: bool
    retry: bool  # launched because every earlier attempt of the task failed
    job: int
    speculative: bool = False  # a backup launched while another attempt still runs
    ended: float | None = None
    failed: bool = False
    superseded: bool = False  # lost to a faster attempt; its result will be ignored


@dataclass
class Task:
    id: int
    phase: str  # "map" | "reduce"
    block: int | None
    partition: int | None = None
    state: str = PENDING
    attempts: list = field(default_factory=list)
    running: list = field(default_factory=list)  # attempts in flight that may still win
    result: object = None
    winner: Attempt | None = None
    speculated: bool = False  # a backup was launched (at most one per task)


@dataclass
class JobResult:
    job: int
    kind: str
    status: str  # "ok" | "incomplete"
    count: int | None
    top: list
    missing_blocks: list
    tasks_total: int
    map_tasks: int
    reduce_tasks: int
    node_local: int
    non_local: int
    retried: int
    elapsed_s: float
    word: str | None = None
    ignore_case: bool = False
    speculated: int = 0  # backup attempts launched (not counted in retried)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Job:
    id: int
    spec: JobSpec
    started: float
    maps: list
    partitions: int
    reduces: list = field(default_factory=list)
    phase: str = "map"
    result: JobResult | None = None
    done_count: int = 0


class JobTracker:
    def __init__(self, coordinator: Coordinator):
        self.c = coordinator
        coordinator.jobs = self
        self.jobs: dict[int, Job] = {}
        self.attempts: dict[int, Attempt] = {}
        self._job_ids = itertools.count(1)
        self._attempt_ids = itertools.count(1)
        self._task_ids = itertools.count(0)

    # -- submission -------------------------------------------------------------------

    def submit(self, spec: JobSpec, now: float) -> Job:
        block_ids = self.c.files[spec.file]
        maps = [Task(next(self._task_ids), "map", b) for b in block_ids]
        live = sum(1 for n in self.c.nodes.values() if n.state == ALIVE)
        partitions = max(1, live) if spec.kind == "wordcount" else 0
        job = Job(next(self._job_ids), spec, now, maps, partitions)
        self.jobs[job.id] = job
        self.c.emit(ev.JobStarted, now, job=job.id, job_kind=spec.kind, file=spec.file,
                    word=spec.word, ignore_case=spec.ignore_case,
                    top=spec.top if spec.kind == "wordcount" else None,
                    tasks=len(maps) + partitions)
        self.schedule(now)
        return job

    # -- scheduling -------------------------------------------------------------------

    def schedule(self, now: float) -> None:
        c = self.c
        holding = c.holding_nodes()
        for job in list(self.jobs.values()):
            if job.result is not None:
                continue
            if job.phase == "map":
                free = {n.id for n in c.nodes.values() if self._free(n)}
                for task in job.maps:
                    if task.state != PENDING:
                        continue
                    # Set tests first: most pending tasks wait for a slot on a holder.
                    block = c.blocks.get(task.block)
                    replicas = block.replicas if block is not None else ()
                    if replicas and not replicas.isdisjoint(holding) and replicas.isdisjoint(free):
                        continue
                    self._place(job, task, now)
                    if task.state == RUNNING:
                        free = {n for n in free if self._free(c.nodes[n])}
            else:
                for task in job.reduces:
                    if task.state == PENDING:
                        self._place(job, task, now)
            if job.phase == "map" and self.c.config.speculation:
                self._speculate(job, now)
            self._maybe_advance(job, now)

    def _free(self, node: NodeInfo) -> bool:
        return node.state == ALIVE and node.running < self.c.config.slots

    def _place(self, job: Job, task: Task, now: float) -> None:
        c = self.c
        if task.phase == "map":
            block = c.blocks.get(task.block)
            holders = c.holders(block) if block is not None else []
            if not holders:
                task.state = UNAVAILABLE  # no live replica anywhere: the block is missing
                self._progress(job, now)
                return
            candidates = [c.nodes[n] for n in holders if self._free(c.nodes[n])]
            if not candidates:
                return  # wait for a slot on a holder (data locality)
            # Prefer nodes that have not failed this task before, then the least busy.
            tried = {a.node for a in task.attempts}
            node = min(candidates, key=lambda n: (n.id in tried, n.running, n.id))
            self._launch(job, task, node, self._map_message(job, task), local=True, now=now)
        else:
            candidates = [n for n in c.nodes.values() if self._free(n)]
            if not candidates:
                if not any(n.state == ALIVE for n in c.nodes.values()):
                    task.state = UNAVAILABLE
                    self._progress(job, now)
                return
            tried = {a.node for a in task.attempts}
            node = min(candidates, key=lambda n: (n.id in tried, n.running, n.id))
            inputs = [t.result[task.partition] for t in job.maps if t.state == DONE]
            msg = m.RunTask(0, "wordcount_reduce", inputs=inputs, top=job.spec.top)
            self._launch(job, task, node, msg, local=True, now=now)

    @staticmethod
    def _map_message(job: Job, task: Task) -> m.RunTask:
        return m.RunTask(0, "count" if job.spec.kind == "count" else "wordcount_map",
                         block=task.block, word=job.spec.word, ignore_case=job.spec.ignore_case,
                         partitions=job.partitions)

    def _launch(self, job: Job, task: Task, node: NodeInfo, msg: m.RunTask, local: bool, now: float,
                speculative: bool = False) -> None:
        attempt = Attempt(next(self._attempt_ids), task, node.id, now, local,
                          retry=bool(task.attempts) and not speculative, job=job.id,
                          speculative=speculative)
        msg.attempt = attempt.id
        task.attempts.append(attempt)
        task.running.append(attempt)
        task.state = RUNNING
        node.running += 1
        self.attempts[attempt.id] = attempt
        self.c.send(node.id, msg)
        self.c.emit(ev.TaskStarted, now, job=job.id, task=task.id, attempt=attempt.id, node=node.id,
                    block=task.block, phase=task.phase, local=local, retry=attempt.retry,
                    speculative=speculative)

    # -- speculative execution --------------------------------------------------------

    def _speculate(self, job: Job, now: float) -> None:
        """Launch backups for straggling map attempts (see the module docstring)."""
        c, cfg = self.c, self.c.config
        # Cheap test first: a lone attempt running at least the absolute minimum.
        lone = [t for t in job.maps if t.state == RUNNING and not t.speculated and len(t.running) == 1
                and now - t.running[0].started >= cfg.speculation_min_s]
        if not lone:
            return
        done = [t for t in job.maps if t.state == DONE]
        if len(done) < max(SPECULATION_MIN_DONE, math.ceil(len(job.maps) / 2)):
            return
        median = statistics.median(t.winner.ended - t.winner.started for t in done)
        threshold = max(cfg.speculation_factor * median, cfg.speculation_min_s)
        for task in sorted(lone, key=lambda t: (t.running[0].started, t.id)):
            attempt = task.running[0]
            crossed = attempt.started + threshold
            node = c.nodes.get(attempt.node)
            if now < crossed or node is None or node.state != ALIVE or node.last_heard < crossed:
                continue  # not slow yet, or silent rather than slow
            block = c.blocks.get(task.block)
            if block is None:
                continue
            candidates = [c.nodes[n] for n in c.holders(block)
                          if n != attempt.node and self._free(c.nodes[n])]
            if not candidates:
                continue
            target = min(candidates, key=lambda n: (n.running, n.id))
            task.speculated = True
            self._launch(job, task, target, self._map_message(job, task), local=True, now=now,
                         speculative=True)

    # -- outcomes ---------------------------------------------------------------------

    def on_result(self, node: NodeInfo, msg: m.TaskResult, now: float) -> None:
        attempt = self.attempts.pop(msg.attempt, None)
        if attempt is None or attempt.node != node.id:
            return  # an attempt we already gave up on (its node was declared dead)
        node.running = max(0, node.running - 1)
        attempt.ended = now
        if attempt.superseded:
            return  # the slower attempt of a task already done: reported when it lost
        task = attempt.task
        job = self.jobs[attempt.job]
        if attempt in task.running:
            task.running.remove(attempt)
        if msg.ok:
            task.state = DONE
            task.result = msg.result
            task.winner = attempt
            self.c.emit(ev.TaskFinished, now, job=job.id, task=task.id, attempt=attempt.id,
                        node=node.id, block=task.block, phase=task.phase,
                        elapsed_s=round(msg.elapsed_s, 4), bytes_read=msg.bytes_read)
            for loser in task.running:
                # It keeps running (and holding its slot) until its result comes back.
                loser.superseded = True
                self.c.emit(ev.TaskFailed, now, job=job.id, task=task.id, attempt=loser.id,
                            node=loser.node, block=task.block, phase=task.phase, reason=SUPERSEDED)
            task.running = []
            self._progress(job, now)
        else:
            attempt.failed = True
            self.c.emit(ev.TaskFailed, now, job=job.id, task=task.id, attempt=attempt.id,
                        node=node.id, block=task.block, phase=task.phase, reason=msg.error)
            if task.block is not None and msg.error == "corrupt":
                self.c.replica_corrupt(task.block, node.id, "task", now)
            elif task.block is not None and msg.error == "missing":
                self._forget_replica(task.block, node)
            if not task.running:  # no other attempt of this task is still in the race
                self._retry_or_give_up(job, task, now)
        self.schedule(now)

    def _forget_replica(self, block_id: int, node: NodeInfo) -> None:
        block = self.c.blocks.get(block_id)
        if block is not None:
            block.replicas.discard(node.id)
        node.blocks.discard(block_id)

    def _retry_or_give_up(self, job: Job, task: Task, now: float) -> None:
        if sum(1 for a in task.attempts if a.failed) >= self.c.config.max_attempts:
            task.state = UNAVAILABLE
            self._progress(job, now)
        else:
            task.state = PENDING

    def node_lost(self, node: NodeInfo, now: float, reason: str) -> None:
        for attempt in [a for a in self.attempts.values() if a.node == node.id]:
            del self.attempts[attempt.id]
            attempt.ended = now
            if attempt.superseded:
                continue  # already reported when it lost the race
            attempt.failed = True
            task = attempt.task
            job = self.jobs[attempt.job]
            if attempt in task.running:
                task.running.remove(attempt)
            self.c.emit(ev.TaskFailed, now, job=job.id, task=task.id, attempt=attempt.id,
                        node=node.id, block=task.block, phase=task.phase, reason=reason)
            if job.result is None and task.state == RUNNING and not task.running:
                self._retry_or_give_up(job, task, now)
        node.running = 0

    def shift_clock(self, gap: float) -> None:
        """The cluster was frozen for ``gap`` seconds: attempts in flight did not run then."""
        for attempt in self.attempts.values():
            attempt.started += gap

    def nodes_reading(self, block_id: int) -> set[int]:
        return {a.node for a in self.attempts.values() if a.task.block == block_id}

    # -- progress and completion ------------------------------------------------------

    def _progress(self, job: Job, now: float) -> None:
        tasks = job.maps if job.phase == "map" else job.reduces
        done = sum(1 for t in tasks if t.state in (DONE, UNAVAILABLE))
        self.c.emit(ev.JobProgress, now, job=job.id, phase=job.phase, done=done, total=len(tasks))

    def _maybe_advance(self, job: Job, now: float) -> None:
        tasks = job.maps if job.phase == "map" else job.reduces
        if any(t.state in (PENDING, RUNNING) for t in tasks):
            return
        if job.phase == "map" and job.spec.kind == "wordcount":
            job.phase = "reduce"
            job.reduces = [Task(next(self._task_ids), "reduce", None, partition=p)
                           for p in range(job.partitions)]
            self._progress(job, now)
            self.schedule(now)
            return
        self._finish(job, now)

    def _finish(self, job: Job, now: float) -> None:
        missing = sorted(t.block for t in job.maps if t.state == UNAVAILABLE)
        reduce_failed = any(t.state == UNAVAILABLE for t in job.reduces)
        status = "ok" if not missing and not reduce_failed else "incomplete"
        done_maps = [t for t in job.maps if t.state == DONE]
        count = None
        top: list = []
        if job.spec.kind == "count":
            count = sum(t.result for t in done_maps)
        else:
            merged = {}
            for t in job.reduces:
                if t.state == DONE:
                    merged.update(dict(t.result[0]))
            top = [list(x) for x in top_k(merged, job.spec.top)]
        all_tasks = job.maps + job.reduces
        retried = sum(1 for t in all_tasks for a in t.attempts if a.retry)
        speculated = sum(1 for t in all_tasks for a in t.attempts if a.speculative)
        node_local = sum(1 for t in done_maps if t.winner.local)
        job.result = JobResult(
            job=job.id, kind=job.spec.kind, status=status, count=count, top=top,
            missing_blocks=missing, tasks_total=len(all_tasks), map_tasks=len(job.maps),
            reduce_tasks=len(job.reduces), node_local=node_local,
            non_local=len(done_maps) - node_local, retried=retried,
            elapsed_s=round(now - job.started, 4), word=job.spec.word,
            ignore_case=job.spec.ignore_case, speculated=speculated)
        self.c.emit(ev.JobFinished, now, job=job.id, job_kind=job.spec.kind, status=status,
                    count=count, top=tuple(tuple(x) for x in top), missing_blocks=tuple(missing),
                    tasks_total=len(all_tasks), node_local=node_local,
                    non_local=job.result.non_local, retried=retried, elapsed_s=job.result.elapsed_s,
                    speculated=speculated)
