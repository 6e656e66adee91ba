"""``ClusterState``: what a viewer knows, rebuilt from the event stream alone.

The GUI draws from it, a recording replays into it, reports summarise it. It never asks the
cluster anything, so a live run and a replay of its recording show the same picture at the
same moment.

It is an evented model (as napari's are): every batch of events it applies is followed by
one ``StateChange`` to its subscribers, naming the nodes, blocks and jobs that changed, so a
view redraws what changed instead of keeping a diff cache of its own. The one rule of which
replicas are within reach lives here too (``marks``): the tile outlines and the health plot
both read it, so they cannot disagree while a failure is being detected.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from .events import SUPERSEDED, Event

HISTORY = 4 * 60 * 10  # metrics samples kept: ten minutes at four a second
DOWN_STATES = ("dead", "stopped")
UNDER, LOST = "under", "lost"  # a block's mark: fewer than R replicas within reach, or none


@dataclass(frozen=True)
class StateChange:
    """What one batch of events changed."""
    t: float
    nodes: frozenset = frozenset()  # node ids: state, process, replicas, tasks, disk or metrics
    blocks: frozenset = frozenset()  # block ids: replicas, commit, created or deleted
    jobs: frozenset = frozenset()  # job ids: progress, attempts, result
    marks: bool = False  # the set of under-replicated / lost marks changed
    transfers: bool = False
    health: bool = False  # the coordinator's health report
    metrics: bool = False
    faults: bool = False
    config: bool = False  # a cluster started or stopped (start again from scratch)

    def __bool__(self) -> bool:
        return bool(self.nodes or self.blocks or self.jobs or self.marks or self.transfers or self.health
                    or self.metrics or self.faults or self.config)


_FAULT_KINDS = {"node_killed", "node_paused", "node_resumed", "node_rejoined", "node_declared_dead",
                "node_starting"}
_TRANSFER_KINDS = {"transfer_started", "transfer_failed", "block_stored"}
_CONFIG_KINDS = {"cluster_started", "cluster_stopped", "cluster_frozen"}


@dataclass
class NodeView:
    id: int
    pid: int = 0
    state: str = "starting"  # starting | alive | suspect | dead | restarting | stopped
    process: str = "running"  # running | paused | killed
    blocks: set = field(default_factory=set)
    stored_bytes: int = 0
    read_bps: float = 0.0
    copy_bps: float = 0.0
    tasks: set = field(default_factory=set)  # attempt ids running here
    disk_mbps: float | None = None  # disk speed in force, MB/s (None = unthrottled)
    disk_default: bool = True  # False while the operator has set this node's speed
    silent_s: float | None = None  # the failure detector's silence of this node at ``silent_at``
    silent_at: float = 0.0

    @property
    def display_state(self) -> str:
        """The one word a tile shows: what the operator did wins over what the coordinator
        has concluded so far (a paused node is 'paused' until it is declared dead)."""
        if self.state == "dead":
            return "dead"
        if self.process == "paused":
            return "paused"
        return self.state


@dataclass
class BlockView:
    id: int
    file: str
    index: int
    size: int
    checksum: str
    replicas: set = field(default_factory=set)
    committed: bool = False


@dataclass
class TransferView:
    block: int
    source: int | None
    target: int
    purpose: str
    started: float


@dataclass
class AttemptView:
    job: int
    task: int
    attempt: int
    node: int
    block: int | None
    phase: str
    local: bool
    retry: bool
    started: float
    ended: float | None = None
    outcome: str = "running"  # running | done | failed | superseded (lost to a faster attempt)
    speculative: bool = False  # a backup attempt of a straggling task


@dataclass
class JobView:
    id: int
    kind: str
    file: str
    word: str | None
    ignore_case: bool
    top: int | None
    total: int
    started: float
    phase: str = "map"
    done: int = 0
    phase_total: int = 0
    status: str = "running"  # running | ok | incomplete
    count: int | None = None
    top_words: tuple = ()
    missing_blocks: tuple = ()
    retried: int = 0
    speculated: int = 0  # backup attempts launched so far
    node_local: int = 0
    finished: float | None = None
    attempts: list = field(default_factory=list)


@dataclass
class FaultView:
    """An operator-injected fault, for shading plots: from ``start`` (the kill or pause) to
    ``detected`` (declared dead) to ``end`` (back in service), each None until it happens."""
    node: int
    kind: str  # kill | pause
    start: float
    detected: float | None = None
    end: float | None = None


class ClusterState:
    def __init__(self):
        self.t = 0.0
        self.config: dict = {}
        self.nodes: dict[int, NodeView] = {}
        self.blocks: dict[int, BlockView] = {}
        self.files: dict[str, list[int]] = {}
        self.transfers: dict[tuple, TransferView] = {}
        self.attempts: dict[int, AttemptView] = {}
        self.jobs: dict[int, JobView] = {}
        self.health: dict = {"blocks": 0, "under_replicated": 0, "missing": 0, "live_nodes": 0,
                             "dead_nodes": 0, "missing_blocks": ()}
        self.metrics: deque = deque(maxlen=HISTORY)  # (t, {node: read_bps})
        self.health_history: deque = deque(maxlen=HISTORY)  # (t, under, missing)
        self.faults: list[FaultView] = []
        self.corrupted: set = set()  # (block, node) replicas damaged and not yet detected
        self.stopped = False
        self.frozen = False
        self.marks: dict[int, str] = {}  # block id -> UNDER | LOST (the one reachability rule)
        self.marks_history: deque = deque(maxlen=HISTORY)  # (t, under, lost) when they change
        self._subscribers: list = []
        self._reach: dict[int, bool] = {}  # node id -> replica_reachable, as last marked
        self._touched_nodes: set = set()
        self._touched_blocks: set = set()
        self._touched_jobs: set = set()
        self._flags: set = set()

    def __getstate__(self) -> dict:  # checkpoints of a replay are pickled: not the subscribers
        state = dict(self.__dict__)
        state["_subscribers"] = []
        return state

    # -- change events ------------------------------------------------------------------

    def subscribe(self, callback):
        """Call ``callback(StateChange)`` after every batch applied; returns the unsubscribe."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)
        return unsubscribe

    def _emit(self) -> StateChange:
        self._update_marks()
        flags = self._flags
        change = StateChange(self.t, frozenset(self._touched_nodes), frozenset(self._touched_blocks),
                             frozenset(self._touched_jobs), "marks" in flags, "transfers" in flags,
                             "health" in flags, "metrics" in flags, "faults" in flags, "config" in flags)
        self._touched_nodes, self._touched_blocks, self._touched_jobs, self._flags = set(), set(), set(), set()
        if change:
            for callback in list(self._subscribers):
                callback(change)
        return change

    def _touch(self, e: Event) -> None:
        node = getattr(e, "node", None)
        if isinstance(node, int):
            self._touched_nodes.add(node)
        block = getattr(e, "block", None)
        if isinstance(block, int):
            self._touched_blocks.add(block)
        job = getattr(e, "job", None)
        if isinstance(job, int):
            self._touched_jobs.add(job)
        kind = e.kind
        if kind in _FAULT_KINDS:
            self._flags.add("faults")
        if kind in _TRANSFER_KINDS:
            self._flags.add("transfers")
        if kind in _CONFIG_KINDS:
            self._flags.add("config")
        if kind == "health_changed":
            self._flags.add("health")
        elif kind == "metrics_sample":
            self._flags.add("metrics")
            self._touched_nodes.update(int(n) for n in e.nodes)

    # -- the reachability rule ------------------------------------------------------------

    def replica_reachable(self, node_id: int) -> bool:
        """A replica is within reach when its node is not down and its process runs (a
        killed or paused node's copies are out of reach before the coordinator notices)."""
        node = self.nodes.get(node_id)
        return node is not None and node.state not in DOWN_STATES and node.process == "running"

    def mark_of(self, block: BlockView) -> str | None:
        want = self.config.get("replication", 0)
        if self.stopped or not want or not block.committed or not block.replicas:
            return None
        n = sum(1 for r in block.replicas if self.replica_reachable(r))
        return None if n >= want else (LOST if n == 0 else UNDER)

    def _update_marks(self) -> None:
        """Marks of the blocks this batch may have changed: its blocks, and every block of
        the nodes it touched (a node going down changes the reach of all its replicas)."""
        if "config" in self._flags:
            todo = set(self.blocks) | set(self.marks)
            self._reach = {n: self.replica_reachable(n) for n in self.nodes}
        else:
            todo = set(self._touched_blocks)
            for n in self._touched_nodes:
                reach = self.replica_reachable(n)
                if self._reach.get(n) != reach:
                    self._reach[n] = reach
                    node = self.nodes.get(n)
                    if node is not None:
                        todo |= node.blocks
            if not todo:
                return
        changed = False
        for b in todo:
            block = self.blocks.get(b)
            mark = self.mark_of(block) if block is not None else None
            if self.marks.get(b) != mark:
                changed = True
                if mark is None:
                    del self.marks[b]
                else:
                    self.marks[b] = mark
        if changed:
            self._flags.add("marks")
            self._touched_blocks |= {b for b in todo if b in self.blocks}
            lost = sum(1 for m in self.marks.values() if m == LOST)
            self.marks_history.append((self.t, len(self.marks) - lost, lost))

    # -- queries ------------------------------------------------------------------------

    def latest_job(self) -> JobView | None:
        return self.jobs[max(self.jobs)] if self.jobs else None

    def counts(self) -> dict:
        states = [n.display_state for n in self.nodes.values()]
        return {
            "live": sum(1 for s in states if s in ("alive", "suspect")),
            "dead": states.count("dead"),
            "paused": states.count("paused"),
            "blocks": self.health.get("blocks", 0),
            "under_replicated": self.health.get("under_replicated", 0),
            "missing": self.health.get("missing", 0),
        }

    def open_fault(self, node: int) -> FaultView | None:
        for fault in reversed(self.faults):
            if fault.node == node and fault.end is None:
                return fault
        return None

    # -- applying events ----------------------------------------------------------------

    def apply_all(self, events) -> StateChange:
        """Apply a batch, then tell the subscribers once what it changed."""
        for event in events:
            self._apply(event)
        return self._emit()

    def apply(self, e: Event) -> StateChange:
        self._apply(e)
        return self._emit()

    def _apply(self, e: Event) -> None:
        self.t = max(self.t, e.t)
        self._touch(e)
        handler = getattr(self, "_on_" + e.kind, None)
        if handler is not None:
            handler(e)

    def _node(self, node_id: int) -> NodeView:
        node = self.nodes.get(node_id)
        if node is None:
            node = self.nodes[node_id] = NodeView(node_id, disk_mbps=self.config.get("disk_mbps"))
        return node

    def _on_cluster_started(self, e):
        self.config = {"nodes": e.nodes, "replication": e.replication, "block_size": e.block_size,
                       "heartbeat": e.heartbeat, "dead_after": e.dead_after, "data_dir": e.data_dir,
                       "disk_mbps": e.disk_mbps, "backend": e.backend}
        for node in self.nodes.values():
            if node.disk_default:
                node.disk_mbps = e.disk_mbps

    def _on_cluster_frozen(self, e):
        self.frozen = e.frozen

    def _on_cluster_stopped(self, e):
        self.stopped = True
        for node in self.nodes.values():
            node.state = "stopped"

    def _on_node_starting(self, e):
        node = self._node(e.node)
        node.pid = e.pid
        node.process = "running"
        node.state = "restarting" if e.restart else "starting"
        fault = self.open_fault(e.node)
        if fault is not None and fault.detected is None:
            fault.detected = e.t

    def _set_replicas(self, node: NodeView, block_ids) -> None:
        self._touched_blocks |= node.blocks ^ set(block_ids)
        for b in node.blocks - set(block_ids):
            if b in self.blocks:
                self.blocks[b].replicas.discard(node.id)
        node.blocks = set(block_ids)
        for b in node.blocks:
            if b in self.blocks:
                self.blocks[b].replicas.add(node.id)

    def _on_node_started(self, e):
        node = self._node(e.node)
        node.pid, node.state = e.pid, "alive"
        node.silent_s, node.silent_at = 0.0, e.t
        self._set_replicas(node, e.block_ids)

    def _on_node_rejoined(self, e):
        node = self._node(e.node)
        node.pid, node.state = e.pid, "alive"
        node.silent_s, node.silent_at = 0.0, e.t
        if node.process == "killed":
            node.process = "running"
        self._set_replicas(node, e.block_ids)
        fault = self.open_fault(e.node)
        if fault is not None:
            fault.end = e.t

    def _on_node_suspect(self, e):
        node = self._node(e.node)
        node.state = "suspect"
        node.silent_s, node.silent_at = e.silent_s, e.t

    def _on_node_recovered(self, e):
        node = self._node(e.node)
        node.state = "alive"
        node.silent_s, node.silent_at = 0.0, e.t

    def heartbeat_age(self, node_id: int) -> float | None:
        """Seconds since the coordinator last heard ``node_id``, as its detector counts, at
        the state's time (None when it is not being watched: dead, stopped, unknown)."""
        node = self.nodes.get(node_id)
        if node is None or node.silent_s is None or node.state in DOWN_STATES:
            return None
        return max(0.0, node.silent_s + (self.t - node.silent_at))

    def death_in(self, node_id: int) -> float | None:
        """For a suspect node: seconds until the detector declares it dead if it stays silent."""
        node = self.nodes.get(node_id)
        age = self.heartbeat_age(node_id)
        if node is None or node.state != "suspect" or age is None or "dead_after" not in self.config:
            return None
        return max(0.0, self.config["dead_after"] - age)

    def _on_node_declared_dead(self, e):
        node = self._node(e.node)
        node.state = "dead"
        self._set_replicas(node, ())
        for attempt in list(self.attempts.values()):
            if attempt.node == e.node:
                self._end_attempt(attempt, e.t, "failed")
        fault = self.open_fault(e.node)
        if fault is not None and fault.detected is None:
            fault.detected = e.t

    def _on_node_killed(self, e):
        self._node(e.node).process = "killed"
        if self.open_fault(e.node) is None:
            self.faults.append(FaultView(e.node, "kill", e.t))

    def _on_node_paused(self, e):
        self._node(e.node).process = "paused"
        self.faults.append(FaultView(e.node, "pause", e.t))

    def _on_node_resumed(self, e):
        self._node(e.node).process = "running"
        fault = self.open_fault(e.node)
        if fault is not None and fault.kind == "pause" and fault.detected is None:
            fault.end = e.t  # resumed before anyone noticed

    def _on_node_disk_speed(self, e):
        node = self._node(e.node)
        node.disk_mbps, node.disk_default = e.mbps, e.default

    def _on_put_started(self, e):
        self.files[e.file] = []
        self._on_put_blocks_cut(e)

    def _on_put_blocks_cut(self, e):
        self._touched_blocks.update(b[0] for b in e.block_list)
        for block_id, index, size, digest in e.block_list:
            self.blocks[block_id] = BlockView(block_id, e.file, index, size, digest)
        self.files.setdefault(e.file, []).extend(b[0] for b in e.block_list)

    def _on_put_failed(self, e):
        dropped = set(e.block_ids)
        for key in [k for k in self.transfers if k[0] in dropped]:
            del self.transfers[key]
        self._on_file_deleted(e)

    def _on_put_finished(self, e):
        self._touched_blocks.update(self.files.get(e.file, ()))
        for block_id in self.files.get(e.file, ()):
            if block_id in self.blocks:
                self.blocks[block_id].committed = True

    def _on_file_deleted(self, e):
        self._touched_blocks.update(e.block_ids)
        self.files.pop(e.file, None)
        for block_id in e.block_ids:
            block = self.blocks.pop(block_id, None)
            if block is not None:
                for n in block.replicas:
                    self._touched_nodes.add(n)
                    if n in self.nodes:
                        self.nodes[n].blocks.discard(block_id)

    def _on_transfer_started(self, e):
        self.transfers[(e.block, e.target)] = TransferView(e.block, e.source, e.target, e.purpose, e.t)

    def _on_transfer_failed(self, e):
        self.transfers.pop((e.block, e.target), None)

    def _on_block_stored(self, e):
        self.transfers.pop((e.block, e.node), None)
        block = self.blocks.get(e.block)
        if block is not None:
            block.replicas.add(e.node)
        self._node(e.node).blocks.add(e.block)

    def _drop_replica(self, block_id, node_id):
        self._touched_nodes.add(node_id)
        block = self.blocks.get(block_id)
        if block is not None:
            block.replicas.discard(node_id)
        if node_id in self.nodes:
            self.nodes[node_id].blocks.discard(block_id)

    def _on_replica_corrupted(self, e):
        self.corrupted.add((e.block, e.node))

    def _on_block_corrupt(self, e):
        self.corrupted.discard((e.block, e.node))
        self._drop_replica(e.block, e.node)

    def _on_block_trimmed(self, e):
        self._drop_replica(e.block, e.node)

    def _on_health_changed(self, e):
        self.health = {"blocks": e.blocks, "under_replicated": e.under_replicated, "missing": e.missing,
                       "live_nodes": e.live_nodes, "dead_nodes": e.dead_nodes,
                       "missing_blocks": tuple(e.missing_blocks)}
        self.health_history.append((e.t, e.under_replicated, e.missing))

    def _on_job_started(self, e):
        self.jobs[e.job] = JobView(e.job, e.job_kind, e.file, e.word, e.ignore_case, e.top, e.tasks,
                                   e.t, phase_total=e.tasks)

    def _on_task_started(self, e):
        attempt = AttemptView(e.job, e.task, e.attempt, e.node, e.block, e.phase, e.local, e.retry, e.t,
                              speculative=e.speculative)
        self.attempts[e.attempt] = attempt
        self._node(e.node).tasks.add(e.attempt)
        job = self.jobs.get(e.job)
        if job is not None:
            job.attempts.append(attempt)
            job.speculated += int(bool(e.speculative))

    def _end_attempt(self, attempt: AttemptView, t: float, outcome: str) -> None:
        self._touched_jobs.add(attempt.job)
        self._touched_nodes.add(attempt.node)
        attempt.ended, attempt.outcome = t, outcome
        self.attempts.pop(attempt.attempt, None)
        if attempt.node in self.nodes:
            self.nodes[attempt.node].tasks.discard(attempt.attempt)

    def _on_task_finished(self, e):
        attempt = self.attempts.get(e.attempt)
        if attempt is not None:
            self._end_attempt(attempt, e.t, "done")

    def _on_task_failed(self, e):
        attempt = self.attempts.get(e.attempt)
        if attempt is not None:
            self._end_attempt(attempt, e.t, "superseded" if e.reason == SUPERSEDED else "failed")

    def _on_job_progress(self, e):
        job = self.jobs.get(e.job)
        if job is not None:
            job.phase, job.done, job.phase_total = e.phase, e.done, e.total

    def _on_job_finished(self, e):
        job = self.jobs.get(e.job)
        if job is None:
            return
        job.status, job.count, job.top_words = e.status, e.count, tuple(e.top)
        job.missing_blocks, job.retried, job.node_local = tuple(e.missing_blocks), e.retried, e.node_local
        job.speculated = e.speculated
        job.finished = e.t

    def _on_metrics_sample(self, e):
        rates = {}
        for node_id, m in e.nodes.items():
            node = self._node(int(node_id))
            node.read_bps = m.get("read_bps", 0.0)
            node.copy_bps = m.get("copy_bps", 0.0)
            node.stored_bytes = m.get("stored_bytes", node.stored_bytes)
            if "silent_s" in m:
                node.silent_s, node.silent_at = m["silent_s"], e.t
            rates[int(node_id)] = node.read_bps
        self.metrics.append((e.t, rates))
