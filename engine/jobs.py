"""Jobs in MapReduce style: tasks, attempts, data-local scheduling, retries, the shuffle,
results.

``count WORD`` runs one map task per block and sums. ``wordcount`` maps every block to
per-partition word counts (the node combines them: one count per word per block) and keeps
that output itself, as a MapReduce mapper keeps its output on its local disk; one reduce task
per partition fetches its partition of every map output (relayed by the coordinator in pieces
of at most one block's output, ``PARALLEL_FETCHES`` at a time), merges, and returns its top K;
the job merges the reducers' top-K lists.

Failures follow MapReduce's rules (Dean and Ghemawat, 2004):
- An attempt lost with its node is re-run on another node; it does not count against
  ``max_attempts`` (it did not fail, its node did). An attempt that fails by itself (a corrupt
  or missing replica, an error) counts; after ``max_attempts`` such failures a map task gives
  up and its block is reported missing, naming why.
- Map output lives on the mapper: when its node is lost, completed map tasks whose output a
  reduce still needs are re-executed on another holder of their block.
- A lost reduce is re-run elsewhere and fetches its inputs again (from the re-executions where
  the first outputs were lost). A reduce never silently drops a partition: a result is either
  over every block, or over exactly the blocks it names as missing (each with its offset and
  length), and a reduce whose inputs no longer match the blocks the job covers is re-run.

Locality is reported honestly: a map attempt runs on a node that holds its block
(node-local); a node that has had a free slot and no local task for ``locality_wait`` seconds
takes a task whose holders are all busy (delay scheduling), its block read from a holder and
sent over, and that attempt counts as non-local.

Speculative execution (MapReduce's backup tasks, ``config.speculation``): once at least half
of a job's map tasks, and no fewer than ``SPECULATION_MIN_DONE``, have finished, a map task
whose only running attempt has run longer than ``speculation_factor`` x the median duration
of the finished map tasks, and at least ``speculation_min_s``, gets one backup attempt on
another live replica holder with a free slot. Its node must have been heard from after the
attempt crossed that threshold: a silent node is failure detection's business (its tasks are
retried when it is declared dead), a slow one is speculation's. The first attempt to finish
wins and is counted once; the other is reported as ``TaskFailed(reason=SUPERSEDED)`` at once,
keeps its slot until its own result arrives (then ignored) or its node is lost. A task gets
at most one backup. Only map tasks are speculated.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass, field

from . import events as ev
from . import messages as m
from .coordinator import ALIVE, Coordinator, NodeInfo
from .events import SUPERSEDED
from .model import HOLDING_STATES, JobResult, JobSpec, MissingBlock  # noqa: F401  (its vocabulary)
from .task_board import DONE, FAILED, PENDING, RUNNING, UNAVAILABLE, TaskBoard
from .text import top_k

SPECULATION_MIN_DONE = 3  # finished map tasks needed (besides half the job) for a median
PARALLEL_FETCHES = 4  # map outputs a reduce fetches at once (Hadoop's parallel copies: 5)

LOST_WITH_NODE = "node lost"  # prefix of TaskFailed.reason for attempts lost with their node


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
    lost: bool = False  # failed because its node was lost (does not count against max_attempts)
    superseded: bool = False  # lost to a faster attempt; its result will be ignored
    error: str = ""
    # reduce attempts: the map tasks whose output was delivered / is being fetched
    delivered: set = field(default_factory=set)
    fetching: set = field(default_factory=set)
    to_fetch: deque | None = None  # map tasks still to fetch, in order (made on first use)
    inputs_closed: bool = False  # ShuffleDone sent
    # non-local map attempts: the holder the block is read from, until its bytes arrive
    reading_from: int | None = None


@dataclass
class Task:
    id: int
    phase: str  # "map" | "reduce"
    block: int | None
    partition: int | None = None
    attempts: list = field(default_factory=list)
    running: list = field(default_factory=list)  # attempts in flight that may still win
    result: object = None
    winner: Attempt | None = None
    speculated: bool = False  # a backup was launched (at most one per task)
    output_node: int | None = None  # wordcount maps: the node that holds the winner's output
    why_unavailable: str = ""
    board: TaskBoard | None = field(default=None, repr=False, compare=False)  # its phase's tasks
    _state: str = field(default=PENDING, init=False, repr=False)

    @property
    def state(self) -> str:
        return self._state

    @state.setter
    def state(self, value: str) -> None:
        old, self._state = self._state, value
        if self.board is not None and old != value:
            self.board.moved(self, old, value)


@dataclass
class Job:
    id: int
    spec: JobSpec
    started: float
    maps: TaskBoard  # iterates as the list of map tasks, in block order
    partitions: int
    reduces: TaskBoard = field(default_factory=TaskBoard)
    phase: str = "map"
    result: JobResult | None = None
    reexecuted: int = 0
    idle_since: dict = field(default_factory=dict)  # node -> free with no local task since then
    lost_outputs: set = field(default_factory=set)  # map tasks whose output was lost with its node
    looked_at: tuple | None = None  # what the last full look at the pending maps depended on
    no_local_work: set = field(default_factory=set)  # free nodes that a full look gave no task


@dataclass
class Fetch:
    """One map output partition on its way from its mapper to a reduce attempt."""
    req: int
    reduce: Attempt
    map_task: Task
    source: int


@dataclass
class RemoteRead:
    """A non-local map attempt's block, being read on a holder for the node that runs it."""
    req: int
    attempt: Attempt
    message: m.RunTask


class JobTracker:
    def __init__(self, coordinator: Coordinator):
        self.c = coordinator
        coordinator.jobs = self
        self.jobs: dict[int, Job] = {}
        self.attempts: dict[int, Attempt] = {}
        self.fetches: dict[int, Fetch] = {}
        self.remote_reads: dict[int, RemoteRead] = {}
        self._job_ids = itertools.count(1)
        self._attempt_ids = itertools.count(1)
        self._task_ids = itertools.count(0)

    # -- submission -------------------------------------------------------------------

    def submit(self, spec: JobSpec, now: float) -> Job:
        block_ids = self.c.files[spec.file]
        maps = TaskBoard(Task(next(self._task_ids), "map", b) for b in block_ids)
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

    def active_jobs(self) -> tuple[int, ...]:
        return tuple(sorted(j.id for j in self.jobs.values() if j.result is None))

    # -- scheduling -------------------------------------------------------------------

    def schedule(self, now: float) -> None:
        for job in list(self.jobs.values()):
            if job.result is not None:
                continue
            if job.phase == "reduce":
                self._reexecute_lost_outputs(job, now)
            self._schedule_maps(job, now)
            if job.phase == "reduce":
                for task in job.reduces:
                    if task.state == PENDING:
                        self._place_reduce(job, task, now)
                self._shuffle(job)
            if self.c.config.speculation:
                self._speculate(job, now)
            self._maybe_advance(job, now)

    def _schedule_maps(self, job: Job, now: float) -> None:
        """Data-local placement first; delay scheduling for the rest: a node that has had a
        free slot and no local task of this job for ``locality_wait`` seconds takes a task
        whose holders are all busy, reading its block from a holder."""
        c = self.c
        if not job.maps.counts[PENDING]:
            job.idle_since.clear()
            return
        holding = c.holding_nodes()
        free = {n.id for n in c.nodes.values() if self._free(n)}
        # Every pending task is looked at (a block with no live replica gives up at once)
        # when what a give-up, or a node's local work, depends on may have changed since the
        # last full look: the nodes whose replicas count, a replica added or removed, a task
        # pending again. Otherwise the look ends when no free node can take a local task (a
        # free node that had none in a whole look still has none): a task result frees one
        # slot, and a step costs what it takes to fill it, not a pass over the job.
        looked = (frozenset(holding), c.replica_removals, c.replica_additions, job.maps.returns)
        full = looked != job.looked_at
        if full:
            job.looked_at = looked
            job.no_local_work = set()
        with job.maps.walking_pending() as walk:
            if self._look_at_pending(job, walk, holding, free, full, now):
                job.no_local_work |= free  # still free after every pending task was looked at
        self._delay_schedule(job, free, now)

    def _look_at_pending(self, job: Job, walk, holding: set, free: set, full: bool, now: float) -> bool:
        """Place pending tasks on free holders, give up those with no live replica; True if
        every pending task was looked at."""
        c = self.c
        useful = free - job.no_local_work
        for task in walk:
            if not useful and not full:
                return False  # nothing more can be placed, and nothing can have lost its replicas
            if task.state != PENDING:
                continue
            block = c.blocks.get(task.block)
            replicas = block.replicas if block is not None else ()
            if not replicas or replicas.isdisjoint(holding):
                losses = ", ".join(block.losses) if block is not None and block.losses else ""
                self._give_up_map(job, task, now, "no live replica" + (f" ({losses})" if losses else ""))
                continue
            if replicas.isdisjoint(free):  # set tests first: most tasks wait for a holder
                continue
            self._place_local(job, task, now)
            if task.state == RUNNING:
                free -= {n for n in free if not self._free(c.nodes[n])}
                useful &= free
        return True

    def _delay_schedule(self, job: Job, free: set, now: float) -> None:
        """A node free for ``locality_wait`` with no local task takes a pending task whose
        holders are all busy (the first, in task order, that a holder can read for it)."""
        c = self.c
        wait = c.config.locality_wait
        idle = job.idle_since
        for n in list(idle):
            if n not in free:
                del idle[n]
        if not job.maps.counts[PENDING] or wait is None:
            idle.clear()
            return
        for n in sorted(free):
            idle.setdefault(n, now)
        for n in sorted(free, key=lambda n: idle[n]):
            if now - idle[n] < wait:
                continue
            with job.maps.walking_pending() as walk:
                for task in walk:
                    if task.state == PENDING and self._place_remote(job, task, c.nodes[n], now):
                        break
            idle.pop(n, None)

    def _free(self, node: NodeInfo) -> bool:
        return node.state == ALIVE and node.running < self.c.config.slots

    def _place_local(self, job: Job, task: Task, now: float) -> None:
        c = self.c
        block = c.blocks[task.block]
        candidates = [c.nodes[n] for n in c.holders(block) if self._free(c.nodes[n])]
        if not candidates:
            return
        # Prefer nodes that have not failed this task before, then the least busy.
        tried = {a.node for a in task.attempts}
        node = min(candidates, key=lambda n: (n.id in tried, n.running, n.id))
        self._launch(job, task, node, self._map_message(job, task), local=True, now=now)

    def _place_remote(self, job: Job, task: Task, node: NodeInfo, now: float) -> bool:
        """Run ``task`` on ``node``, which does not hold its block, the bytes read on a holder
        with a free disk stream and sent over (a non-local attempt)."""
        c = self.c
        block = c.blocks[task.block]
        if node.id in block.replicas or not self._free(node):
            return False
        sources = [c.nodes[n] for n in c.holders(block)
                   if c.nodes[n].state == ALIVE and c.nodes[n].streams < c.config.max_streams]
        if not sources:
            return False
        source = min(sources, key=lambda s: (s.streams, s.id))
        msg = self._map_message(job, task)
        attempt = self._launch(job, task, node, msg, local=False, now=now, send=False)
        req = next(c._req)
        attempt.reading_from = source.id
        source.streams += 1
        self.remote_reads[req] = RemoteRead(req, attempt, msg)
        c.send(source.id, m.SendBlock(req, block.id, block.checksum))
        return True

    def _place_reduce(self, job: Job, task: Task, now: float) -> None:
        # Reduces have slots of their own (as Hadoop's reduce slots), so reduces waiting for
        # their inputs can never starve the maps that would make those inputs.
        c = self.c
        candidates = [n for n in c.nodes.values()
                      if n.state == ALIVE and n.reducing < c.config.slots]
        if not candidates:
            return  # a node may come back; the caller's timeout bounds the wait
        tried = {a.node for a in task.attempts}
        node = min(candidates, key=lambda n: (n.id in tried, n.reducing, n.id))
        msg = m.RunTask(0, "wordcount_reduce", top=job.spec.top, job=job.id, partition=task.partition)
        self._launch(job, task, node, msg, local=True, now=now)

    @staticmethod
    def _map_message(job: Job, task: Task) -> m.RunTask:
        return m.RunTask(0, "count" if job.spec.kind == "count" else "wordcount_map",
                         block=task.block, word=job.spec.word, ignore_case=job.spec.ignore_case,
                         partitions=job.partitions, job=job.id)

    def _launch(self, job: Job, task: Task, node: NodeInfo, msg: m.RunTask, local: bool, now: float,
                speculative: bool = False, send: bool = True) -> Attempt:
        attempt = Attempt(next(self._attempt_ids), task, node.id, now, local,
                          retry=bool(task.attempts) and not speculative, job=job.id,
                          speculative=speculative)
        msg.attempt = attempt.id
        if task.phase == "map":
            block = self.c.blocks.get(task.block)
            msg.checksum = block.checksum if block is not None else None
        task.attempts.append(attempt)
        task.running.append(attempt)
        task.state = RUNNING
        if task.phase == "reduce":
            node.reducing += 1
        else:
            node.running += 1
        self.attempts[attempt.id] = attempt
        if send:
            self.c.send(node.id, msg)
        self.c.emit(ev.TaskStarted, now, job=job.id, task=task.id, attempt=attempt.id, node=node.id,
                    block=task.block, phase=task.phase, local=local, retry=attempt.retry,
                    speculative=speculative)
        return attempt

    def on_block_data(self, source: NodeInfo, msg: m.BlockData, now: float) -> bool:
        """A holder's bytes for a non-local map attempt; False if ``msg`` is not one."""
        read = self.remote_reads.pop(msg.req, None)
        if read is None:
            return False
        source.streams = max(0, source.streams - 1)
        attempt = read.attempt
        if self.attempts.get(attempt.id) is not attempt:
            return True  # the attempt was lost meanwhile
        attempt.reading_from = None
        if msg.data is None:
            if msg.error == "corrupt":
                self.c.replica_corrupt(attempt.task.block, source.id, "task", now)
            elif msg.error == "missing":
                self._forget_replica(attempt.task.block, source)
            self._attempt_failed(attempt, self.c.nodes[attempt.node], f"remote read: {msg.error}", now)
            return True
        read.message.data = msg.data
        self.c.send(attempt.node, read.message)
        return True

    # -- the shuffle ------------------------------------------------------------------

    def _shuffle(self, job: Job) -> None:
        """Fetch map outputs for every running reduce attempt, ``PARALLEL_FETCHES`` at a time,
        in map order; close its inputs once every map task is settled and every completed
        one was delivered. Each attempt keeps the maps it has still to fetch, so a step costs
        what it sends, not the size of the job."""
        maps_settled = None
        for task in job.reduces:
            for attempt in task.running:
                if attempt.inputs_closed or attempt.superseded:
                    continue
                if attempt.to_fetch is None:
                    attempt.to_fetch = deque(job.maps)
                later = []
                while attempt.to_fetch and len(attempt.fetching) < PARALLEL_FETCHES:
                    mt = attempt.to_fetch.popleft()
                    if mt.state == UNAVAILABLE or mt.id in attempt.delivered:
                        continue  # never to be fetched, or already here
                    source = self.c.nodes.get(mt.output_node) if mt.output_node is not None else None
                    if mt.state != DONE or source is None or source.state not in HOLDING_STATES:
                        later.append(mt)  # being (re-)executed: fetch it once it is done
                        if len(later) >= PARALLEL_FETCHES:
                            break
                        continue
                    req = next(self.c._req)
                    self.fetches[req] = Fetch(req, attempt, mt, source.id)
                    attempt.fetching.add(mt.id)
                    self.c.send(source.id, m.SendMapOutput(req, mt.winner.id, task.partition))
                attempt.to_fetch.extendleft(reversed(later))
                if attempt.fetching or attempt.to_fetch:
                    continue
                if maps_settled is None:
                    maps_settled = job.maps.counts[DONE] + job.maps.counts[UNAVAILABLE] == len(job.maps)
                if maps_settled:
                    attempt.inputs_closed = True
                    self.c.send(attempt.node, m.ShuffleDone(attempt.id, tuple(sorted(attempt.delivered))))

    def on_map_output(self, source: NodeInfo, msg: m.MapOutputData, now: float) -> None:
        fetch = self.fetches.pop(msg.req, None)
        if fetch is None or fetch.source != source.id:
            return
        attempt, mt = fetch.reduce, fetch.map_task
        attempt.fetching.discard(mt.id)
        job = self.jobs[attempt.job]
        if msg.data is None:
            # The mapper no longer has it (a new process): the map task runs again.
            if mt.output_node == source.id:
                self._output_lost(job, mt, source.id, now, msg.error or "missing")
            self._refetch(attempt, mt)
            return
        if self.attempts.get(attempt.id) is not attempt or attempt.inputs_closed:
            return  # the reduce attempt was lost meanwhile
        attempt.delivered.add(mt.id)
        self.c.send(attempt.node, m.ShufflePiece(attempt.id, mt.id, msg.data))

    @staticmethod
    def _refetch(attempt: Attempt, mt: Task) -> None:
        if attempt.to_fetch is not None and mt.id not in attempt.delivered:
            attempt.to_fetch.append(mt)

    def _output_lost(self, job: Job, task: Task, node: int, now: float, reason: str) -> None:
        task.output_node = None
        job.lost_outputs.add(task.id)
        self.c.emit(ev.MapOutputLost, now, job=job.id, task=task.id, block=task.block, node=node,
                    reason=reason)

    def _reexecute_lost_outputs(self, job: Job, now: float) -> None:
        """Completed map tasks whose output was lost, and that a reduce still needs, run again."""
        if not job.lost_outputs:
            return
        unfinished = [t for t in job.reduces if t.state != DONE]
        if not unfinished:
            return
        by_id = job.maps.by_id()
        for task_id in sorted(job.lost_outputs):
            task = by_id[task_id]
            if task.state != DONE or task.output_node is not None:
                job.lost_outputs.discard(task_id)
                continue
            needed = any(not r.running or any(task.id not in a.delivered for a in r.running)
                         for r in unfinished)
            if needed:
                job.lost_outputs.discard(task_id)
                task.state = PENDING
                task.result = None
                task.winner = None
                job.reexecuted += 1
                self._progress(job, now)

    # -- speculative execution --------------------------------------------------------

    def _speculate(self, job: Job, now: float) -> None:
        """Launch backups for straggling map attempts (see the module docstring)."""
        c, cfg = self.c, self.c.config
        # Cheap test first: a lone attempt running at least the absolute minimum.
        lone = [t for t in job.maps.running.values() if not t.speculated and len(t.running) == 1
                and now - t.running[0].started >= cfg.speculation_min_s
                and t.running[0].reading_from is None]
        if not lone:
            return
        if job.maps.finished() < max(SPECULATION_MIN_DONE, math.ceil(len(job.maps) / 2)):
            return
        median = job.maps.median_duration()
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
        attempt = self.attempts.get(msg.attempt)
        if attempt is None or attempt.node != node.id:
            return  # an attempt we already gave up on (its node was declared dead)
        del self.attempts[msg.attempt]
        self._release_slot(node, attempt)
        attempt.ended = now
        if attempt.superseded:
            return  # the slower attempt of a task already done: reported when it lost
        task = attempt.task
        job = self.jobs[attempt.job]
        if attempt in task.running:
            task.running.remove(attempt)
        if msg.ok:
            task.result = msg.result
            task.winner = attempt  # before the state: the board records the winner's duration
            task.state = DONE
            if task.phase == "map" and job.spec.kind == "wordcount":
                task.output_node = node.id
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
            attempt.error = msg.error
            self.c.emit(ev.TaskFailed, now, job=job.id, task=task.id, attempt=attempt.id,
                        node=node.id, block=task.block, phase=task.phase, reason=msg.error)
            if task.block is not None and msg.error == "corrupt":
                self.c.replica_corrupt(task.block, node.id, "task", now)
            elif task.block is not None and msg.error == "missing" and attempt.local:
                self._forget_replica(task.block, node)
            if not task.running:  # no other attempt of this task is still in the race
                self._retry_or_give_up(job, task, now)
        self.schedule(now)

    def _attempt_failed(self, attempt: Attempt, node: NodeInfo, error: str, now: float,
                        lost: bool = False) -> None:
        """An attempt that fails before its node ever ran it (a non-local read failed;
        ``lost``: because its source node was lost, which is not the task's fault)."""
        self.attempts.pop(attempt.id, None)
        self._release_slot(node, attempt)
        attempt.ended = now
        attempt.failed = True
        attempt.lost = lost
        attempt.error = error
        task = attempt.task
        job = self.jobs[attempt.job]
        if attempt in task.running:
            task.running.remove(attempt)
        self.c.emit(ev.TaskFailed, now, job=job.id, task=task.id, attempt=attempt.id,
                    node=attempt.node, block=task.block, phase=task.phase, reason=error)
        if not task.running and task.state == RUNNING:
            self._retry_or_give_up(job, task, now)

    @staticmethod
    def _release_slot(node: NodeInfo, attempt: Attempt) -> None:
        if attempt.task.phase == "reduce":
            node.reducing = max(0, node.reducing - 1)
        else:
            node.running = max(0, node.running - 1)

    def _forget_replica(self, block_id: int, node: NodeInfo) -> None:
        block = self.c.blocks.get(block_id)
        if block is not None:
            self.c.remove_replica(block, node.id)
            block.lost(f"missing on node {node.id}")
        node.blocks.discard(block_id)

    def _retry_or_give_up(self, job: Job, task: Task, now: float) -> None:
        failures = [a for a in task.attempts if a.failed and not a.lost]
        if len(failures) >= self.c.config.max_attempts:
            reasons = ", ".join(sorted({a.error or "failed" for a in failures}))
            why = f"{len(failures)} attempts failed ({reasons})"
            if task.phase == "map":
                self._give_up_map(job, task, now, why)
            else:
                task.state = FAILED
                task.why_unavailable = why
                self._progress(job, now)
        else:
            task.state = PENDING

    def _give_up_map(self, job: Job, task: Task, now: float, why: str) -> None:
        task.state = UNAVAILABLE  # the block is missing from the result
        task.why_unavailable = why
        task.output_node = None
        self._progress(job, now)

    def node_lost(self, node: NodeInfo, now: float, reason: str) -> None:
        """``node`` was declared dead or restarted: its attempts, the map outputs it held,
        the fetches it served and the remote reads it did are all lost."""
        for attempt in [a for a in self.attempts.values() if a.node == node.id]:
            del self.attempts[attempt.id]
            attempt.ended = now
            if attempt.superseded:
                continue  # already reported when it lost the race
            attempt.failed = attempt.lost = True
            attempt.error = reason
            task = attempt.task
            job = self.jobs[attempt.job]
            if attempt in task.running:
                task.running.remove(attempt)
            self.c.emit(ev.TaskFailed, now, job=job.id, task=task.id, attempt=attempt.id,
                        node=node.id, block=task.block, phase=task.phase,
                        reason=f"{LOST_WITH_NODE}: {reason}")
            if job.result is None and task.state == RUNNING and not task.running:
                self._retry_or_give_up(job, task, now)
        node.running = node.reducing = 0
        for req, fetch in list(self.fetches.items()):
            if fetch.source == node.id or fetch.reduce.node == node.id:
                del self.fetches[req]
                fetch.reduce.fetching.discard(fetch.map_task.id)
                self._refetch(fetch.reduce, fetch.map_task)
        for req, read in list(self.remote_reads.items()):
            if self.c.nodes.get(read.attempt.node) is node:
                del self.remote_reads[req]  # the attempt itself was lost above
            elif read.attempt.reading_from == node.id:
                del self.remote_reads[req]
                runner = self.c.nodes[read.attempt.node]
                self._attempt_failed(read.attempt, runner, f"remote read: {LOST_WITH_NODE}", now, lost=True)
        for job in self.jobs.values():
            if job.result is not None or job.spec.kind != "wordcount":
                continue
            for task in job.maps:
                if task.state == DONE and task.output_node == node.id:
                    self._output_lost(job, task, node.id, now, reason)

    def shift_clock(self, gap: float) -> None:
        """The cluster was frozen for ``gap`` seconds: attempts in flight did not run then."""
        for attempt in self.attempts.values():
            attempt.started += gap
        for job in self.jobs.values():
            for n in job.idle_since:
                job.idle_since[n] += gap

    def nodes_reading(self, block_id: int) -> set[int]:
        nodes = {a.node for a in self.attempts.values() if a.task.block == block_id}
        nodes |= {r.attempt.reading_from for r in self.remote_reads.values()
                  if r.attempt.task.block == block_id and r.attempt.reading_from is not None}
        return nodes

    def attempts_on(self, node_id: int) -> tuple[int, ...]:
        return tuple(sorted(a.id for a in self.attempts.values() if a.node == node_id))

    # -- progress and completion ------------------------------------------------------

    def _progress(self, job: Job, now: float) -> None:
        tasks = job.maps if job.phase == "map" else job.reduces
        self.c.emit(ev.JobProgress, now, job=job.id, phase=job.phase, done=tasks.settled(), total=len(tasks))

    def _maybe_advance(self, job: Job, now: float) -> None:
        if job.maps.unsettled():
            return
        if job.spec.kind == "count":
            self._finish(job, now)
            return
        if job.phase == "map":
            job.phase = "reduce"
            job.reduces = TaskBoard(Task(next(self._task_ids), "reduce", None, partition=p)
                                    for p in range(job.partitions))
            self._progress(job, now)
            self.schedule(now)
            return
        if any(t.state == FAILED for t in job.reduces):
            self._finish(job, now)
            return
        if not job.maps.counts[DONE]:
            # Every block is missing: the reduces have nothing to merge (and perhaps no node
            # to run on). The answer over no bytes is empty (whatever a reduce merged before
            # its blocks were lost); waiting could change nothing.
            for task in job.reduces:
                for attempt in task.running:
                    self.attempts.pop(attempt.id, None)
                    node = self.c.nodes.get(attempt.node)
                    if node is not None:
                        self._release_slot(node, attempt)
                    attempt.ended = now
                    self.c.emit(ev.TaskFailed, now, job=job.id, task=task.id, attempt=attempt.id,
                                node=attempt.node, block=None, phase=task.phase,
                                reason="not needed: every block is missing")
                task.running = []
                task.state = DONE
                task.result = ([], 0, 0, ())
            self._finish(job, now)
            return
        if any(t.state != DONE for t in job.reduces):
            return
        covered = {t.id for t in job.maps if t.state == DONE}
        stale = [t for t in job.reduces if set(t.result[3]) != covered]
        if stale:
            # A block was lost after these reduces had merged its output: recompute them
            # over exactly the blocks the result will cover.
            for task in stale:
                task.state = PENDING
                task.result = None
                task.winner = None
            self._progress(job, now)
            self.schedule(now)
            return
        self._finish(job, now)

    def _finish(self, job: Job, now: float) -> None:
        c = self.c
        missing = []
        for t in job.maps:
            if t.state == UNAVAILABLE:
                block = c.blocks.get(t.block)
                offset, length = (block.offset, block.length) if block is not None else (-1, 0)
                missing.append(MissingBlock(t.block, offset, length, t.why_unavailable or "no live replica"))
        missing.sort(key=lambda b: b.offset)
        failed = [t for t in job.reduces if t.state == FAILED]
        if failed:
            status = "failed"
            failure = "; ".join(f"reduce of partition {t.partition}: {t.why_unavailable}" for t in failed)
        else:
            status = "ok" if not missing else "incomplete"
            failure = ""
        done_maps = [t for t in job.maps if t.state == DONE]
        count = None
        top: list = []
        if status != "failed":
            if job.spec.kind == "count":
                count = sum(t.result for t in done_maps)
            else:
                merged = {}
                for t in job.reduces:
                    merged.update(dict(t.result[0]))
                top = [list(x) for x in top_k(merged, job.spec.top)]
        all_tasks = list(job.maps) + list(job.reduces)
        retried = sum(1 for t in all_tasks for a in t.attempts if a.retry)
        speculated = sum(1 for t in all_tasks for a in t.attempts if a.speculative)
        node_local = sum(1 for t in done_maps if t.winner.local)
        total = sum(c.blocks[t.block].length for t in job.maps if t.block in c.blocks)
        covered = sum(c.blocks[t.block].length for t in done_maps if t.block in c.blocks)
        job.result = JobResult(
            job=job.id, kind=job.spec.kind, status=status, count=count, top=top,
            missing_blocks=[b.id for b in missing], tasks_total=len(all_tasks), map_tasks=len(job.maps),
            reduce_tasks=len(job.reduces), node_local=node_local,
            non_local=len(done_maps) - node_local, retried=retried,
            elapsed_s=round(now - job.started, 4), word=job.spec.word,
            ignore_case=job.spec.ignore_case, speculated=speculated, missing=missing,
            covered_bytes=covered, total_bytes=total, reexecuted=job.reexecuted, failure=failure)
        c.emit(ev.JobFinished, now, job=job.id, job_kind=job.spec.kind, status=status,
               count=count, top=tuple(tuple(x) for x in top),
               missing_blocks=tuple(b.id for b in missing), tasks_total=len(all_tasks),
               node_local=node_local, non_local=job.result.non_local, retried=retried,
               elapsed_s=job.result.elapsed_s, speculated=speculated,
               missing_ranges=tuple((b.id, b.offset, b.length) for b in missing),
               covered_bytes=covered, failure=failure)
        if job.spec.kind == "wordcount":
            keep = self.active_jobs()
            for n in c.nodes.values():
                if n.state in HOLDING_STATES:
                    c.send(n.id, m.KeepJobOutputs(keep, self.attempts_on(n.id)))
