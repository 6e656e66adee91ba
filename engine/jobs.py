"""Jobs in MapReduce style: tasks, attempts, data-local scheduling, retries, results.

``count WORD`` runs one map task per block and sums. ``wordcount`` maps every block to
per-partition word counts (the node combines them: one count per word per block), shuffles
the partitions to one reduce task per partition on live nodes, and merges their top-K lists.
A task lost with its node is retried on another replica holder, up to ``max_attempts``; a
block with no live replica makes the job ``incomplete``, naming that block.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from . import events as ev
from . import messages as m
from .coordinator import ALIVE, Coordinator, NodeInfo
from .text import top_k

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
    retry: bool
    job: int


@dataclass
class Task:
    id: int
    phase: str  # "map" | "reduce"
    block: int | None
    partition: int | None = None
    state: str = PENDING
    attempts: list = field(default_factory=list)
    running: Attempt | None = None
    result: object = None
    winner: Attempt | None = None


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
        for job in list(self.jobs.values()):
            if job.result is not None:
                continue
            tasks = job.maps if job.phase == "map" else job.reduces
            for task in tasks:
                if task.state == PENDING:
                    self._place(job, task, now)
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
            msg = m.RunTask(0, "count" if job.spec.kind == "count" else "wordcount_map",
                            block=task.block, word=job.spec.word, ignore_case=job.spec.ignore_case,
                            partitions=job.partitions)
            self._launch(job, task, node, msg, local=True, now=now)
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

    def _launch(self, job: Job, task: Task, node: NodeInfo, msg: m.RunTask, local: bool, now: float) -> None:
        attempt = Attempt(next(self._attempt_ids), task, node.id, now, local,
                          retry=bool(task.attempts), job=job.id)
        msg.attempt = attempt.id
        task.attempts.append(attempt)
        task.running = attempt
        task.state = RUNNING
        node.running += 1
        self.attempts[attempt.id] = attempt
        self.c.send(node.id, msg)
        self.c.emit(ev.TaskStarted, now, job=job.id, task=task.id, attempt=attempt.id, node=node.id,
                    block=task.block, phase=task.phase, local=local, retry=attempt.retry)

    # -- outcomes ---------------------------------------------------------------------

    def on_result(self, node: NodeInfo, msg: m.TaskResult, now: float) -> None:
        attempt = self.attempts.pop(msg.attempt, None)
        if attempt is None or attempt.node != node.id:
            return  # an attempt we already gave up on (its node was declared dead)
        node.running = max(0, node.running - 1)
        task = attempt.task
        job = self.jobs[attempt.job]
        task.running = None
        if msg.ok:
            task.state = DONE
            task.result = msg.result
            task.winner = attempt
            self.c.emit(ev.TaskFinished, now, job=job.id, task=task.id, attempt=attempt.id,
                        node=node.id, block=task.block, phase=task.phase,
                        elapsed_s=round(msg.elapsed_s, 4), bytes_read=msg.bytes_read)
            self._progress(job, now)
        else:
            self.c.emit(ev.TaskFailed, now, job=job.id, task=task.id, attempt=attempt.id,
                        node=node.id, block=task.block, phase=task.phase, reason=msg.error)
            if task.block is not None and msg.error == "corrupt":
                self.c.replica_corrupt(task.block, node.id, "task", now)
            elif task.block is not None and msg.error == "missing":
                self._forget_replica(task.block, node)
            self._retry_or_give_up(job, task, now)
        self.schedule(now)

    def _forget_replica(self, block_id: int, node: NodeInfo) -> None:
        block = self.c.blocks.get(block_id)
        if block is not None:
            block.replicas.discard(node.id)
        node.blocks.discard(block_id)

    def _retry_or_give_up(self, job: Job, task: Task, now: float) -> None:
        if len(task.attempts) >= self.c.config.max_attempts:
            task.state = UNAVAILABLE
            self._progress(job, now)
        else:
            task.state = PENDING

    def node_lost(self, node: NodeInfo, now: float, reason: str) -> None:
        for attempt in [a for a in self.attempts.values() if a.node == node.id]:
            del self.attempts[attempt.id]
            task = attempt.task
            job = self.jobs[attempt.job]
            task.running = None
            self.c.emit(ev.TaskFailed, now, job=job.id, task=task.id, attempt=attempt.id,
                        node=node.id, block=task.block, phase=task.phase, reason=reason)
            if job.result is None:
                self._retry_or_give_up(job, task, now)
        node.running = 0

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
        retried = sum(max(0, len(t.attempts) - 1) for t in all_tasks)
        node_local = sum(1 for t in done_maps if t.winner.local)
        job.result = JobResult(
            job=job.id, kind=job.spec.kind, status=status, count=count, top=top,
            missing_blocks=missing, tasks_total=len(all_tasks), map_tasks=len(job.maps),
            reduce_tasks=len(job.reduces), node_local=node_local,
            non_local=len(done_maps) - node_local, retried=retried,
            elapsed_s=round(now - job.started, 4), word=job.spec.word,
            ignore_case=job.spec.ignore_case)
        self.c.emit(ev.JobFinished, now, job=job.id, job_kind=job.spec.kind, status=status,
                    count=count, top=tuple(tuple(x) for x in top), missing_blocks=tuple(missing),
                    tasks_total=len(all_tasks), node_local=node_local,
                    non_local=job.result.non_local, retried=retried, elapsed_s=job.result.elapsed_s)
