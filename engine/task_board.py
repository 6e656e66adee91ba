"""The tasks of one phase of a job, by state, kept up to date as each task's state changes.

A job tracker step that passed over every task of the job (to count the finished ones, find
the pending ones, the running ones, the median duration of the finished maps) made a job of
T tasks cost O(T) per task result, so O(T^2) in all: 8,000 map tasks took 14x the time of
2,000. A task tells its board when its state changes (``Task.state`` is a property), and the
board keeps:

- how many tasks are in each state;
- the pending tasks, in task order (a task that becomes pending again takes its place back);
- the running tasks;
- the durations of the finished tasks' winning attempts, as two heaps (the lower half and
  the upper half) for speculation's median: O(log T) a task, where a sorted list costs a
  memory move of the whole list on every insert.
"""

from __future__ import annotations

from collections import Counter
from heapq import heapify, heappop, heappush
from contextlib import contextmanager

PENDING, RUNNING, DONE, UNAVAILABLE, FAILED = "pending", "running", "done", "unavailable", "failed"
SETTLED = (DONE, UNAVAILABLE, FAILED)


class TaskBoard:
    def __init__(self, tasks=()):
        self.counts: Counter = Counter()
        self.pending: dict = {}  # task id -> task, in task order (see ``in_order``)
        self.running: dict = {}  # task id -> task
        self._duration_of: dict[int, float] = {}  # done task id -> its winner's duration
        self._low: list[float] = []  # the lower half of the durations, negated (a max-heap)
        self._high: list[float] = []  # the upper half (a min-heap)
        self._by_id: dict | None = None
        self._unordered = False
        self._held: list | None = None  # pending changes while ``pending`` is being walked
        self.returns = 0  # how many times a task became pending again
        self._removed = 0  # entries removed from ``pending`` since it was last made afresh
        self.tasks: list = []
        for task in tasks:
            self.add(task)

    def add(self, task) -> None:
        task.board = self
        self.tasks.append(task)
        self._by_id = None
        self._enter(task, task.state)

    def by_id(self) -> dict:
        """Task id -> task (made once)."""
        if self._by_id is None:
            self._by_id = {t.id: t for t in self.tasks}
        return self._by_id

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
            self._removed = 0
        elif self._removed > len(self.pending) + 64:
            # A dict keeps the places of removed entries until it grows again, and a walk
            # from the front steps over each: started afresh, a walk costs what it yields.
            self.pending = dict(self.pending)
            self._removed = 0
        self._held = []
        try:
            yield self.pending.values()
        finally:
            held, self._held = self._held, None
            for task_id, task in held:
                if task is None:
                    self.pending.pop(task_id, None)
                    self._removed += 1
                else:
                    self._add_pending(task)

    def finished(self) -> int:
        """Done tasks with a winning attempt (the durations the median is taken over)."""
        return len(self._duration_of)

    def median_duration(self) -> float:
        """The median of the finished tasks' winner durations (as ``statistics.median``)."""
        if len(self._low) > len(self._high):
            return -self._low[0]
        return (-self._low[0] + self._high[0]) / 2

    def _add_duration(self, duration: float) -> None:
        if self._low and duration > -self._low[0]:
            heappush(self._high, duration)
        else:
            heappush(self._low, -duration)
        if len(self._low) > len(self._high) + 1:
            heappush(self._high, -heappop(self._low))
        elif len(self._high) > len(self._low):
            heappush(self._low, -heappop(self._high))

    def _rebuild_durations(self) -> None:
        """After a removal (a done task pending again: rare), the halves from scratch."""
        values = sorted(self._duration_of.values())
        half = (len(values) + 1) // 2
        self._low = [-v for v in values[:half]]
        self._high = values[half:]
        heapify(self._low)
        heapify(self._high)

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
            self._add_duration(duration)

    def _leave(self, task, state: str) -> None:
        self.counts[state] -= 1
        if state == PENDING:
            if self._held is not None:
                self._held.append((task.id, None))
            else:
                self.pending.pop(task.id, None)
                self._removed += 1
        elif state == RUNNING:
            self.running.pop(task.id, None)
        elif state == DONE:
            if self._duration_of.pop(task.id, None) is not None:
                self._rebuild_durations()
