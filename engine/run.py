"""The run layer: one scripted run on any ``ClusterBackend``, the same for every front end.

A ``RunPlan`` says what to store, which jobs to run and which faults to play; ``Run``
starts the cluster (or uses one already running), stores the file, runs the jobs in order,
plays the faults on one ``FaultScheduler``, waits until the cluster is settled (nothing more
can be done, see ``engine.settle``), judges each result against the single-process
reference when asked, and returns a ``RunOutcome`` with the run's measures computed from its
own event stream (``engine.measures``). The whole run is bounded by ``RunPlan.timeout``:
when it ends first, ``RunTimedOut`` says in which phase.

The command line (``count``, ``wordcount``), experiments, the soak, the recovery benchmark
and the window's scenario player all run through here; none keeps its own timers.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Callable

from . import measures
from .bus import EventLog
from .errors import TimedOut
from .faults import AppliedFault, FaultError, FaultScheduler, FaultStep
from .model import Health, JobResult, JobSpec, StoredFile
from .settle import Settlement
from .verdict import Verdict, judge_file

# A wait for faults longer than this after the jobs are done is said, never silent.
NOTICE_AFTER_S = 2.0


class Phase(str, Enum):
    STARTING = "starting"
    STORING = "storing"
    RUNNING = "running"  # a job
    FAULTS = "faults"  # the jobs are done; faults still to come
    SETTLING = "settling"
    DONE = "done"


class RunTimedOut(TimedOut):
    """The run's whole timeout ended in ``phase`` (``what``: the job, the file)."""

    def __init__(self, timeout: float, phase: Phase, what: str = ""):
        self.timeout, self.phase, self.what = timeout, phase, what
        super().__init__(f"the run did not finish within {timeout:g} s ({phase.value}{' ' + what if what else ''})")


@dataclass(frozen=True)
class RunPlan:
    path: str
    jobs: tuple[JobSpec, ...] = ()  # each job's ``file`` is set to the stored file's name
    faults: tuple[FaultStep, ...] = ()
    name: str | None = None  # the stored file's name (default: the path's base name)
    node_disk_mbps: dict = field(default_factory=dict)  # node -> MB/s, set before the put
    timeout: float = 600.0  # the whole run, start to settled
    settle_timeout: float | None = None  # at most this long for settling (and what is left)
    fault_wait: float | None = None  # at most this long for faults after the jobs (and what is left)
    judge: bool = False  # judge every result against the single-process reference
    references: tuple = ()  # full-file references, one per job, when already computed
    tolerate: tuple = ()  # exception types meaning "this fault no longer applies" (not errors)
    seed: int | None = None  # of the faults' random choices (default: the cluster's seed)


@dataclass(frozen=True)
class JobOutcome:
    spec: JobSpec
    result: JobResult
    verdict: Verdict | None = None


@dataclass
class RunOutcome:
    stored: StoredFile
    jobs: list[JobOutcome]
    events: list
    job_t: float | None  # cluster time the first job started
    settlement: Settlement
    health: Health
    startup_s: float
    applied: list[AppliedFault]
    fault_errors: list[FaultError]
    unfired: list[FaultStep]  # faults whose time never came within the run

    @property
    def failures(self) -> list[measures.FailureTiming]:
        return measures.failure_timings(self.events, self.job_t or 0.0)

    @property
    def restore_s(self) -> float | None:
        return measures.restore_s(self.events)

    @property
    def restored_at_s(self) -> float | None:
        return measures.restored_at_s(self.events, self.job_t or 0.0)

    @property
    def liveness(self) -> measures.Liveness:
        return measures.liveness(self.events)

    @property
    def verdict(self) -> str:
        """The worst verdict of the run's jobs (wrong, failed, incomplete, exact)."""
        verdicts = [j.verdict.verdict for j in self.jobs if j.verdict is not None]
        for verdict in ("wrong", "failed", "incomplete"):
            if verdict in verdicts:
                return verdict
        return "exact"


def value_of(result: JobResult):
    return result.count if result.kind == "count" else result.top


class Run:
    """One run of ``plan`` on ``backend``. ``own_backend``: start it here and stop it at the
    end (False: it is running already, as in the window). ``on_phase(phase, detail)`` and
    ``on_notice(text)`` are called from the running thread."""

    def __init__(self, backend, plan: RunPlan, *, own_backend: bool = True,
                 on_phase: Callable[[Phase, str], None] | None = None,
                 on_notice: Callable[[str], None] | None = None):
        self.backend = backend
        self.plan = plan
        self.own_backend = own_backend
        self.on_phase = on_phase
        self.on_notice = on_notice
        self.phase = Phase.STARTING
        seed = plan.seed if plan.seed is not None else backend.config.seed
        self.faults = FaultScheduler(backend, plan.faults, random.Random(seed), tolerate=plan.tolerate)
        self.started_at: float | None = None  # time.monotonic() at execute()

    def _enter(self, phase: Phase, detail: str = "") -> None:
        self.phase = phase
        if self.on_phase is not None:
            self.on_phase(phase, detail)

    def execute(self) -> RunOutcome:
        plan, backend = self.plan, self.backend
        t_start = self.started_at = time.monotonic()
        deadline = t_start + plan.timeout

        def left(what: str = "") -> float:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RunTimedOut(plan.timeout, self.phase, what)
            return remaining

        log = EventLog(backend)
        try:
            self._enter(Phase.STARTING)
            if self.own_backend:
                backend.start()
            startup_s = time.monotonic() - t_start
            for node, mbps in plan.node_disk_mbps.items():
                backend.set_disk_speed(node, mbps)
            self.faults.watch()
            name = plan.name or os.path.basename(plan.path)
            self._enter(Phase.STORING, name)
            try:
                stored = backend.put(plan.path, name=name, timeout=left(name))
            except TimedOut as exc:
                if isinstance(exc, RunTimedOut):
                    raise
                raise RunTimedOut(plan.timeout, Phase.STORING, name) from None
            jobs = []
            for i, spec in enumerate(plan.jobs):
                spec = replace(spec, file=stored.file)
                self._enter(Phase.RUNNING, f"{i + 1}/{len(plan.jobs)} {spec.kind}")
                job_id = backend.submit(spec)
                try:
                    result = backend.wait_job(job_id, timeout=left(spec.kind))
                except TimedOut as exc:
                    if isinstance(exc, RunTimedOut):
                        raise
                    raise RunTimedOut(plan.timeout, Phase.RUNNING, spec.kind) from None
                jobs.append(JobOutcome(spec, result, self._judge(spec, result, i) if plan.judge else None))
            self._wait_for_faults(deadline)
            self._enter(Phase.SETTLING)
            settle_for = max(0.5, deadline - time.monotonic())
            if plan.settle_timeout is not None:
                settle_for = min(settle_for, plan.settle_timeout)
            settlement = backend.wait_settled(settle_for)
            health = backend.health()
            self._enter(Phase.DONE)
        finally:
            self.faults.cancel()
            if self.own_backend:
                backend.stop()
            log.close()
        events = list(log.events)
        return RunOutcome(stored, jobs, events, measures.job_started_at(events), settlement, health,
                          round(startup_s, 3), list(self.faults.applied), list(self.faults.errors),
                          self.faults.unfired())

    def _wait_for_faults(self, deadline: float) -> None:
        """Every armed fault happens at its time, even after the jobs end; a long wait is said."""
        wait = self.faults.pending_for()
        self._enter(Phase.FAULTS)
        if wait > NOTICE_AFTER_S and self.on_notice is not None:
            self.on_notice(f"the jobs are done; waiting {wait:.0f} s more for "
                           + ", ".join(self.faults.pending_labels()))
        limit = deadline - time.monotonic()
        if self.plan.fault_wait is not None:
            limit = min(limit, self.plan.fault_wait)
        self.faults.join(max(0.0, limit))

    def _judge(self, spec: JobSpec, result: JobResult, index: int) -> Verdict:
        reference = self.plan.references[index] if index < len(self.plan.references) else None
        return judge_file(self.plan.path, spec.kind, spec.word, spec.ignore_case, spec.top, result.status,
                          value_of(result), missing_ranges=[(b.id, b.offset, b.length) for b in result.missing],
                          failure=result.failure, full_reference=reference)
