"""The tasks of one phase of a job, by state, kept up to date as each task's state changes.

A job tracker step that passed over every task of the job (to count the finished ones, find
the pending ones, the running ones, the median duration of the finished maps) made a job of
T tasks cost O(T) per task result, so O(T^2) in all: 8,000 map tasks took 14x the time of
2,000. A task tells its board when its state changes (``Task.state`` is a property), and the
board keeps:

- how many tasks are in each state;
- the pending tasks, in task order (a task that becomes pending again takes its place back);
- the running tasks;
- the durations of the finished tasks' winning attempts, sorted (speculation's median).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from contextlib import contextmanager

PENDING, RUNNING, DONE, UNAVAILABLE, FAILED = "pending", "running", "done", "unavailable", "failed"
SETTLED = (DONE, UNAVAILABLE, FAILED)


class TaskBoard:
    def __init__(self, tasks=()):
        self.counts: Counter = Counter()
        self.pending: dict = {}  # task id -> task, in task order (see ``in_order``)
        self.running: dict = {}  # task id -> task
        self.durations: list[float] = []  # of the done tasks' winners, sorted
        self._duration_of: dict[int, float] = {}
        self._unordered = False
        self._held: list | None = None  # pending changes while ``pending`` is being walked
        self.returns = 0  # how many times a task became pending again
        self.tasks: list = []
        for task in tasks:
            self.add(task)

    def add(self, task) -> None:
        task.board = self
        self.tasks.append(task)
        self._enter(task, task.state)

    def __len__(self) -> int:
        return len(self.tasks)

    def __iter__(self):
        return iter(self.tasks)

    def __getitem__(self, index):
        return self.tasks[index]

    def settled(self) -> int:
        """Tasks done, unavailable or failed."""
        return sum(self.counts[s] for s in SETTLED)

    def unsettled(self) -> bool:
        """Whether any task is still pending or running."""
        return bool(self.counts[PENDING] or self.counts[RUNNING])

    def moved(self, task, old: str, new: str) -> None:
        """``task`` went from ``old`` to ``new`` (called by ``Task.state``)."""
        if new == PENDING:
            self.returns += 1
        self._leave(task, old)
        self._enter(task, new)

    @contextmanager
    def walking_pending(self):
        """The pending tasks in task order, to walk while states change: tasks leaving or
        joining ``pending`` meanwhile are applied when the walk ends (their counts at once)."""
        if self._unordered:
            self.pending = dict(sorted(self.pending.items()))
            self._unordered = False
        self._held = []
        try:
            yield self.pending.values()
        finally:
            held, self._held = self._held, None
            for task_id, task in held:
                if task is None:
                    self.pending.pop(task_id, None)
                else:
                    self._add_pending(task)

    def median_duration(self) -> float:
        d = self.durations
        mid = len(d) // 2
        return d[mid] if len(d) % 2 else (d[mid - 1] + d[mid]) / 2

    # -- bookkeeping --------------------------------------------------------------------

    def _add_pending(self, task) -> None:
        if self.pending and task.id < next(reversed(self.pending)):
            self._unordered = True
        self.pending[task.id] = task

    def _enter(self, task, state: str) -> None:
        self.counts[state] += 1
        if state == PENDING:
            if self._held is not None:
                self._held.append((task.id, task))
            else:
                self._add_pending(task)
        elif state == RUNNING:
            self.running[task.id] = task
        elif state == DONE and task.winner is not None and task.winner.ended is not None:
            duration = task.winner.ended - task.winner.started
            self._duration_of[task.id] = duration
            insort(self.durations, duration)

    def _leave(self, task, state: str) -> None:
        self.counts[state] -= 1
        if state == PENDING:
            if self._held is not None:
                self._held.append((task.id, None))
            else:
                self.pending.pop(task.id, None)
        elif state == RUNNING:
            self.running.pop(task.id, None)
        elif state == DONE:
            duration = self._duration_of.pop(task.id, None)
            if duration is not None:
                del self.durations[bisect_left(self.durations, duration)]
