"""The coordinator (HDFS's name node). Pure state: it does no I/O. Node messages and
operator actions go in; commands for nodes (``outbox``) and events (``events``) come out, and
the cluster shell delivers them. Its parts, one job each:

- ``membership``: the nodes, what the operator did to them, liveness and failure detection;
- ``blockmap``: files, blocks, where their replicas are, health, corruption;
- ``transfers``: puts, re-replication copies, trimming;
- ``telemetry``: rates, health and metrics events, snapshots.

Every message from a node enters through ``handle``, one handler per message type. Jobs
are tracked by ``jobs.JobTracker`` on top of this state.
"""

from __future__ import annotations

import itertools
import logging
import random

from . import events as ev
from . import messages as m
from .blockmap import BlockIndex, BlockInfo, BlockMap, BlockScan  # noqa: F401  (the coordinator's vocabulary)
from .config import ClusterConfig
from .membership import (  # noqa: F401
    ALIVE,
    DEAD,
    KILLED,
    LISTEN_GAP,
    PAUSED,
    RESTARTING,
    RUNNING,
    STARTING,
    SUSPECT,
    Membership,
    NodeInfo,
)
from .model import Health
from .telemetry import Telemetry
from .transfers import MAX_WRITE_FAILURES, PutOp, Transfers, Write  # noqa: F401

log = logging.getLogger("clusterscope.engine")
INDEX_CHECK_S = 5.0  # how often the block index is rebuilt from the blocks as a check


class Coordinator(Membership, BlockMap, Transfers, Telemetry):
    def __init__(self, config: ClusterConfig, clock_origin: float = 0.0):
        self.config = config
        self.t0 = clock_origin
        self.rng = random.Random(config.seed)
        self.nodes: dict[int, NodeInfo] = {}
        self.blocks: dict[int, BlockInfo] = {}
        self.index = BlockIndex()  # the block map's classes, kept as replicas change
        self.replica_removals = 0  # replicas removed or blocks forgotten, ever (see JobTracker)
        self.replica_additions = 0  # replicas added, ever
        self._index_checked_at = 0.0
        self.index_drifts = 0  # times the periodic check found the index wrong (a bug)
        self.files: dict[str, list[int]] = {}
        self.writes: dict[int, Write] = {}
        self.puts: dict[int, PutOp] = {}
        self.outbox: list[tuple[int, object]] = []
        self.events: list[ev.Event] = []
        self._req = itertools.count(1)
        self._put_ids = itertools.count(1)
        self._block_ids = itertools.count(0)
        self._health: Health | None = None
        self._next_sample = 0.0
        self._sample_counters: dict[int, tuple[float, dict]] = {}
        self.jobs = None  # set by JobTracker
        self.dirty = False  # something happened that scheduling should react to at once
        self.frozen_at: float | None = None  # the operator paused the whole cluster
        self.cluster_id = ""  # set by the shell: nodes of another cluster are refused
        self.shutting_down = False  # the shell is stopping every node: silence means nothing
        self._listened_at: float | None = None
        self._handlers = {
            m.Heartbeat: self._on_metrics,
            m.Metrics: self._on_metrics,
            m.BlockWritten: self._on_block_written,
            m.BlockData: self._on_any_block_data,
            m.TaskResult: self._on_task_result,
            m.MapOutputData: self._on_map_output,
            m.ReplicaCorruptFound: self._on_corrupt_found,
        }

    def start_clock(self, t0: float) -> None:
        """Event times are seconds after ``t0`` (time.monotonic() when the cluster started)."""
        self.t0 = t0
        self._next_sample = t0

    # -- effects ----------------------------------------------------------------------

    def now_s(self, now: float) -> float:
        return round(now - self.t0, 4)

    def emit(self, event_cls, now: float, **fields) -> None:
        self.events.append(event_cls(t=self.now_s(now), **fields))

    def send(self, node: int, msg) -> None:
        self.outbox.append((node, msg))

    def take_effects(self):
        out, evs = self.outbox, self.events
        self.outbox, self.events = [], []
        return out, evs

    # -- messages from nodes: one entry, one handler per type --------------------------

    def handle(self, node_id: int, msg, now: float) -> None:
        info = self.nodes.get(node_id)
        if info is None:
            return
        if not isinstance(msg, m.Metrics):
            self.dirty = True
        if isinstance(msg, m.Register):
            self._on_register(info, msg, now)
            return
        if not self._admit(info, msg, now):
            return
        handler = self._handlers.get(type(msg))
        if handler is not None:
            handler(info, msg, now)

    on_message = handle

    def _on_any_block_data(self, info: NodeInfo, msg: m.BlockData, now: float) -> None:
        if self.jobs is None or not self.jobs.on_block_data(info, msg, now):
            self._on_block_data(info, msg, now)  # a re-replication copy's bytes

    def _on_task_result(self, info: NodeInfo, msg: m.TaskResult, now: float) -> None:
        if self.jobs is not None:
            self.jobs.on_result(info, msg, now)

    def _on_map_output(self, info: NodeInfo, msg: m.MapOutputData, now: float) -> None:
        if self.jobs is not None:
            self.jobs.on_map_output(info, msg, now)

    def _on_corrupt_found(self, info: NodeInfo, msg: m.ReplicaCorruptFound, now: float) -> None:
        self.replica_corrupt(msg.block, info.id, "scanner", now)

    # -- the periodic step ------------------------------------------------------------------

    def tick(self, now: float) -> None:
        self.dirty = False
        if now - self._index_checked_at >= INDEX_CHECK_S:
            # the index is kept exact as replicas change; now and then it is also rebuilt from
            # the blocks themselves, a check that costs one pass every few seconds, not per step
            self._index_checked_at = now
            if self.rebuild_index():
                self.index_drifts += 1
                log.warning("the block index had drifted from the block map; rebuilt")
        if self.frozen_at is None and not self.shutting_down:
            self.check_liveness(now)
            scan = self.scan_blocks()
            if any(w.stage == "queued" for w in self.writes.values()):
                self._start_queued_copies(now)
            puts = any(put.queued and not put.done for put in self.puts.values())
            if puts or scan.under or scan.excess:
                loads = self._loads()  # bytes per node, for the passes that place or trim
                if puts:
                    self._schedule_puts(now, loads)
                if scan.under:
                    self._schedule_replication(now, loads, scan.holding)
                if scan.excess:
                    self._trim_excess(now, loads)
            if self.jobs is not None:
                self.jobs.schedule(now)
        else:
            scan = self.scan_blocks()
        # Scheduling starts transfers but changes no replica, so the scan still holds.
        self._emit_health(now, scan)
        if now >= self._next_sample:
            self._emit_metrics(now)
            self._next_sample = max(self._next_sample + self.config.metrics_interval, now)
