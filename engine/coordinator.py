"""The coordinator (HDFS's name node): node registry, block map, liveness, puts,
re-replication and trimming. Pure state: it does no I/O. Node messages and operator actions
go in; commands for nodes (``outbox``) and events (``events``) come out, and the cluster
shell delivers them. Jobs are tracked by ``jobs.JobTracker`` on top of this state.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

from . import events as ev
from . import messages as m
from .blocks import BlockSpan
from .config import ClusterConfig
from .model import HOLDING_STATES, BlockStatus, Health, NodeState, NodeStatus, ProcessState, Snapshot
from .placement import choose_targets

# Node liveness states, as the coordinator sees them.
STARTING, ALIVE, SUSPECT, DEAD, RESTARTING = (
    NodeState.STARTING, NodeState.ALIVE, NodeState.SUSPECT, NodeState.DEAD, NodeState.RESTARTING)
RUNNING, PAUSED, KILLED = ProcessState.RUNNING, ProcessState.PAUSED, ProcessState.KILLED
# The longest pause between two reads of the nodes' pipes that counts as listening; beyond
# it the engine was stalled (starved of the CPU, or busy) and the rest is not silence.
LISTEN_GAP = 0.1
# Failed writes of one block before its put gives up (each failure for a reason other than
# a failed disk, which takes its node out of the writers at once: data garbled in transit).
MAX_WRITE_FAILURES = 8


@dataclass
class NodeInfo:
    id: int
    pid: int
    state: NodeState = STARTING
    process: ProcessState = RUNNING  # what the operator did
    last_seen: float = 0.0  # last heartbeat (proof of life)
    last_heard: float = 0.0  # last message of any kind (the node's main thread is running)
    started_at: float = 0.0
    blocks: set = field(default_factory=set)
    streams: int = 0  # disk transfers in flight: copies it reads as a source, replicas it writes
    incoming: int = 0  # copies it will write whose bytes are still being read or wait for a stream
    running: int = 0  # map task attempts in flight (at most ``slots``)
    reducing: int = 0  # reduce attempts in flight (reduce slots of their own, at most ``slots``)
    report_requested: bool = False
    counters: dict = field(default_factory=dict)
    rates: dict = field(default_factory=dict)  # bytes/s over the node's last metrics interval
    rates_at: float = 0.0
    stored_bytes: int = 0
    disk_mbps: float | None = None  # the operator's override of the disk speed (None: default)
    disk_error: str = ""  # why its disk cannot take writes (full, read-only, ...); cleared on restart

    @property
    def schedulable(self) -> bool:
        return self.state == ALIVE

    @property
    def writable(self) -> bool:
        """May be given replicas to write."""
        return self.state == ALIVE and not self.disk_error


@dataclass
class BlockInfo:
    id: int
    file: str
    index: int
    offset: int
    length: int
    checksum: str
    replicas: set = field(default_factory=set)  # nodes with an acknowledged, not-known-bad copy
    committed: bool = False  # every replica of its put acknowledged; only then it counts in health
    losses: list = field(default_factory=list)  # how its last replicas were lost, newest last

    def lost(self, how: str, keep: int = 3) -> None:
        self.losses = (self.losses + [how])[-keep:]


@dataclass
class BlockScan:
    """What one pass over the block map found (see ``Coordinator.scan_blocks``)."""
    holding: set
    blocks: int = 0
    under: int = 0
    missing_blocks: list = field(default_factory=list)
    excess: bool = False


@dataclass
class Write:
    """A replica write in flight: during a put (source None) or a re-replication copy."""
    req: int
    block: int
    target: int
    source: int | None
    purpose: str  # "put" | "replicate"
    # replicate: "reading" from the source, "queued" (bytes here, waiting for a stream on the
    # target), then "writing" to the target
    stage: str = "writing"
    put: int | None = None
    data: bytes | None = None  # a queued copy's bytes


@dataclass
class PutOp:
    id: int
    file: str
    path: str
    size: int
    blocks: list
    started: float
    remaining: dict = field(default_factory=dict)  # block id -> replicas still to acknowledge
    queued: list = field(default_factory=list)  # (block id) writes waiting for a stream
    error: str | None = None
    error_kind: str = ""  # "input": the input file changed or cannot be read; "storage": no node can write
    done: bool = False
    failures: dict = field(default_factory=dict)  # block id -> failed writes


class Coordinator:
    def __init__(self, config: ClusterConfig, clock_origin: float = 0.0):
        self.config = config
        self.t0 = clock_origin
        self.rng = random.Random(config.seed)
        self.nodes: dict[int, NodeInfo] = {}
        self.blocks: dict[int, BlockInfo] = {}
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

    # -- queries ----------------------------------------------------------------------

    def live_nodes(self) -> list[NodeInfo]:
        return [n for n in self.nodes.values() if n.state in (ALIVE, SUSPECT)]

    def holders(self, block: BlockInfo) -> list[int]:
        """Nodes whose replica of ``block`` counts as live."""
        return [n for n in block.replicas if self.nodes[n].state in HOLDING_STATES]

    def holding_nodes(self) -> set[int]:
        """Ids of the nodes whose replicas count as live."""
        return {n.id for n in self.nodes.values() if n.state in HOLDING_STATES}

    def scan_blocks(self) -> BlockScan:
        """One pass over the block map: the health counts, and whether any block needs a copy
        or has a replica too many (so the scheduler can skip the passes that have no work)."""
        holding = self.holding_nodes()
        r = self.config.replication
        scan = BlockScan(holding)
        for b in self.blocks.values():
            replicas = b.replicas
            if len(replicas) > r:
                scan.excess = True
            if not b.committed:
                continue
            scan.blocks += 1
            live = len(replicas) if replicas <= holding else len(replicas & holding)
            if live == 0:
                scan.missing_blocks.append(b.id)
            elif live < r:
                scan.under += 1
        return scan

    def health(self, scan: BlockScan | None = None) -> Health:
        scan = scan or self.scan_blocks()
        return Health(
            blocks=scan.blocks,
            under_replicated=scan.under,
            missing=len(scan.missing_blocks),
            missing_blocks=tuple(sorted(scan.missing_blocks)),
            live_nodes=len(self.live_nodes()),
            dead_nodes=sum(1 for n in self.nodes.values() if n.state == DEAD),
        )

    # -- node lifecycle (operator actions reported by the shell) ------------------------

    def node_process_started(self, node_id: int, pid: int, now: float, restart: bool = False) -> None:
        info = self.nodes.get(node_id)
        if info is None:
            info = self.nodes[node_id] = NodeInfo(node_id, pid)
        info.pid = pid
        info.process = RUNNING
        info.last_seen = info.last_heard = now
        info.started_at = now
        info.report_requested = False
        info.disk_error = ""  # a new process tries its disk again
        if not restart or info.state not in HOLDING_STATES:
            info.state = STARTING if not restart else RESTARTING
        else:
            info.state = RESTARTING
        self.emit(ev.NodeStarting, now, node=node_id, pid=pid, restart=restart)

    def node_restarting(self, node_id: int, now: float) -> None:
        """The old process is gone and a new one is about to start over the same folder."""
        info = self.nodes[node_id]
        self._lose_work(info, now, "node restarted")
        if info.state in (ALIVE, SUSPECT):
            info.state = RESTARTING
        self.emit(ev.NodeRestarting, now, node=node_id)

    def disk_speed(self, node_id: int) -> float | None:
        """The disk speed a node runs at: its override, else the cluster's default (MB/s)."""
        return self.config.disk_speed(self.nodes[node_id].disk_mbps)

    def set_disk_speed(self, node_id: int, mbps: float | None, now: float) -> None:
        """A slow-disk fault (or its repair, ``mbps`` None: back to the cluster's default).
        The override outlives restarts of the node's process: the disk stays slow."""
        info = self.nodes[node_id]
        info.disk_mbps = mbps
        speed = self.disk_speed(node_id)
        self.send(node_id, m.SetDiskSpeed(speed))
        self.emit(ev.NodeDiskSpeed, now, node=node_id, mbps=speed, default=mbps is None)

    def node_signalled(self, node_id: int, action: str, now: float) -> None:
        info = self.nodes[node_id]
        if action == "kill":
            info.process = KILLED
            self.emit(ev.NodeKilled, now, node=node_id, pid=info.pid)
        elif action == "pause":
            info.process = PAUSED
            self.emit(ev.NodePaused, now, node=node_id, pid=info.pid)
        elif action == "resume":
            info.process = RUNNING
            self.emit(ev.NodeResumed, now, node=node_id, pid=info.pid)

    # -- messages from nodes ------------------------------------------------------------

    def on_message(self, node_id: int, msg, now: float) -> None:
        info = self.nodes.get(node_id)
        if info is None:
            return
        if not isinstance(msg, m.Metrics):
            self.dirty = True
        if isinstance(msg, m.Register):
            self._on_register(info, msg, now)
            return
        if info.state == DEAD:
            # A node we gave up on is talking again (it was paused, or a pipe was slow):
            # it must re-register with a full block report before it counts again.
            if not info.report_requested:
                info.report_requested = True
                self.send(node_id, m.SendBlockReport())
            return
        if info.state in (STARTING, RESTARTING):
            return  # stale traffic from before a restart; wait for Register
        info.last_heard = now
        if isinstance(msg, m.Heartbeat):
            info.last_seen = now
            if info.state == SUSPECT:
                info.state = ALIVE
                self.emit(ev.NodeRecovered, now, node=node_id)
        if isinstance(msg, m.Metrics):
            counters = {"bytes_read": msg.bytes_read, "bytes_written": msg.bytes_written,
                        "bytes_copied": msg.bytes_copied}
            prev_at, prev = self._sample_counters.get(node_id, (None, None))
            if prev is not None and msg.at > prev_at:
                # Rates over the node's own interval, timed by the node: no pipe jitter.
                dt = msg.at - prev_at
                info.rates = {name: max(0.0, (counters[key] - prev[key]) / dt) for key, name in
                              (("bytes_read", "read_bps"), ("bytes_written", "write_bps"),
                               ("bytes_copied", "copy_bps"))}
                info.rates_at = now
            self._sample_counters[node_id] = (msg.at, counters)
            info.counters = counters
            info.stored_bytes = msg.stored_bytes
        elif isinstance(msg, m.BlockWritten):
            self._on_block_written(info, msg, now)
        elif isinstance(msg, m.BlockData):
            if self.jobs is None or not self.jobs.on_block_data(info, msg, now):
                self._on_block_data(info, msg, now)
        elif isinstance(msg, m.TaskResult) and self.jobs is not None:
            self.jobs.on_result(info, msg, now)
        elif isinstance(msg, m.MapOutputData) and self.jobs is not None:
            self.jobs.on_map_output(info, msg, now)
        elif isinstance(msg, m.ReplicaCorruptFound):
            self.replica_corrupt(msg.block, node_id, "scanner", now)

    def _on_register(self, info: NodeInfo, msg: m.Register, now: float) -> None:
        if self.cluster_id and msg.cluster_id != self.cluster_id:
            self.emit(ev.NodeRefused, now, node=info.id, pid=msg.pid,
                      reason=f"its replicas belong to cluster {msg.cluster_id or '(none)'}, "
                             f"not {self.cluster_id}")
            return
        was = info.state
        info.pid = msg.pid
        info.last_seen = info.last_heard = now
        info.report_requested = False
        info.state = ALIVE
        if info.process != PAUSED:
            info.process = RUNNING
        accepted = 0
        for block_id in list(info.blocks):
            if block_id not in msg.report:  # the node no longer has it
                info.blocks.discard(block_id)
                if block_id in self.blocks:
                    self.blocks[block_id].replicas.discard(info.id)
        for block_id, (length, digest) in msg.report.items():
            block = self.blocks.get(block_id)
            if block is None or block.checksum != digest or block.length != length:
                # Not part of any file we know (or a stale version): the node deletes it.
                self.send(info.id, m.DeleteBlock(block_id))
                continue
            block.replicas.add(info.id)
            info.blocks.add(block_id)
            accepted += 1
        ids = tuple(sorted(info.blocks))
        if self.jobs is not None:
            # Anything it still runs or holds for jobs was given up when it was lost.
            self.send(info.id, m.KeepJobOutputs(self.jobs.active_jobs(), self.jobs.attempts_on(info.id)))
        if was == STARTING:
            self.emit(ev.NodeStarted, now, node=info.id, pid=msg.pid, blocks=accepted, block_ids=ids)
        else:
            self.emit(ev.NodeRejoined, now, node=info.id, pid=msg.pid,
                      blocks=len(msg.report), accepted=accepted, block_ids=ids)

    # -- liveness -----------------------------------------------------------------------

    def listen(self, now: float) -> None:
        """The shell is about to read every node's pipe. Silence is judged on listening
        time only: when the engine itself could not listen for a while (its thread starved
        of the CPU, or busy), that stretch is not the nodes' silence, so it is forgiven
        (as ``thaw`` forgives a frozen cluster), and a long stall is reported."""
        last, self._listened_at = self._listened_at, now
        if last is None or self.frozen_at is not None:
            return
        gap = now - last
        if gap <= LISTEN_GAP:
            return
        forgiven = gap - LISTEN_GAP
        for info in self.nodes.values():
            info.last_seen += forgiven
            info.last_heard += forgiven
        if gap >= self.config.heartbeat:
            self.emit(ev.CoordinatorStalled, now, gap_s=round(gap, 3))

    def shut_down(self, now: float) -> None:
        """The shell stops every node now: their silence from here on is not a failure."""
        self.shutting_down = True

    def check_liveness(self, now: float) -> None:
        cfg = self.config
        for info in self.nodes.values():
            silent = now - info.last_seen
            if info.state == ALIVE and silent > cfg.suspect_after:
                info.state = SUSPECT
                self.emit(ev.NodeSuspect, now, node=info.id, silent_s=round(silent, 3))
            if info.state in (SUSPECT, STARTING, RESTARTING) and silent > cfg.dead_after:
                self.declare_dead(info, now, silent)

    def declare_dead(self, info: NodeInfo, now: float, silent: float) -> None:
        lost = len(info.blocks)
        for block_id in info.blocks:
            block = self.blocks.get(block_id)
            if block is not None:
                block.replicas.discard(info.id)
                block.lost(f"node {info.id} declared dead")
        info.blocks = set()
        info.state = DEAD
        info.report_requested = False
        self._lose_work(info, now, "node declared dead")
        self.emit(ev.NodeDeclaredDead, now, node=info.id, silent_s=round(silent, 3), lost_replicas=lost)

    def _lose_work(self, info: NodeInfo, now: float, reason: str) -> None:
        """Abort every write and task attempt that involves ``info``."""
        for write in list(self.writes.values()):
            if write.target == info.id or (write.source == info.id and write.stage == "reading"):
                self._abort_write(write, now, reason)
        if self.jobs is not None:
            self.jobs.node_lost(info, now, reason)

    def _abort_write(self, write: Write, now: float, reason: str) -> None:
        self.writes.pop(write.req, None)
        self._release_streams(write)
        self.emit(ev.TransferFailed, now, block=write.block, source=write.source,
                  target=write.target, reason=reason)
        if write.put is not None:
            put = self.puts.get(write.put)
            if put is not None and not put.done:
                put.queued.append(write.block)

    def _release_streams(self, write: Write) -> None:
        """Give back what ``write`` holds: the source's stream while it reads, the target's
        place while it waits for the bytes, the target's stream while it writes."""
        source = self.nodes.get(write.source) if write.source is not None else None
        target = self.nodes.get(write.target)
        if write.stage == "reading" and source is not None:
            source.streams = max(0, source.streams - 1)
        if target is None:
            return
        if write.stage == "writing":
            target.streams = max(0, target.streams - 1)
        else:
            target.incoming = max(0, target.incoming - 1)

    # -- put ----------------------------------------------------------------------------

    def begin_put(self, name: str, path: str, spans: list[BlockSpan], now: float) -> PutOp:
        put = PutOp(next(self._put_ids), name, path, sum(s.length for s in spans), [], now)
        for span in spans:
            block = BlockInfo(next(self._block_ids), name, span.index, span.offset, span.length, span.checksum)
            self.blocks[block.id] = block
            put.blocks.append(block.id)
            put.remaining[block.id] = self.config.replication
            put.queued.extend([block.id] * self.config.replication)
        self.puts[put.id] = put
        self.emit(ev.PutStarted, now, file=name, size=put.size, blocks=len(put.blocks),
                  block_list=tuple((b, self.blocks[b].index, self.blocks[b].length, self.blocks[b].checksum)
                                   for b in put.blocks))
        if not put.blocks:
            self._finish_put(put, now)
        return put

    def _loads(self) -> dict[int, int]:
        """Bytes stored or arriving per node, computed once per scheduling pass."""
        loads = {n: 0 for n in self.nodes}
        for block in self.blocks.values():
            for n in block.replicas:
                loads[n] += block.length
        for w in self.writes.values():
            loads[w.target] += self.blocks[w.block].length if w.block in self.blocks else 0
        return loads

    def _pending_by_block(self) -> dict[int, list[int]]:
        pending: dict[int, list[int]] = {}
        for w in self.writes.values():
            pending.setdefault(w.block, []).append(w.target)
        return pending

    def _schedule_puts(self, now: float, loads: dict[int, int]) -> None:
        cfg = self.config
        for put in self.puts.values():
            if put.done or not put.queued:
                continue
            live = [n for n in self.nodes.values() if n.writable]
            pending = self._pending_by_block()
            still = []
            for i, block_id in enumerate(put.queued):
                block = self.blocks[block_id]
                busy = block.replicas | set(pending.get(block_id, ()))
                eligible = [n for n in live if n.id not in busy]
                if not eligible:
                    broken = self._disk_errors()
                    alive = sum(1 for n in self.nodes.values() if n.state == ALIVE)
                    put.error = (f"not enough nodes can write {cfg.replication} replicas of block "
                                 f"{block_id}: {alive} of {len(self.nodes)} nodes alive"
                                 + (f"; {broken}" if broken else ""))
                    put.error_kind = "storage"
                    self._finish_put(put, now)
                    break
                # Balance stored bytes: a free node may take the write only if it is within one
                # block of the least-loaded eligible node; otherwise wait for that node's stream.
                floor = min(loads[n.id] for n in eligible) + block.length
                free = {n.id: loads[n.id] for n in eligible
                        if n.streams < cfg.max_streams and loads[n.id] <= floor}
                if not free:
                    still.append(block_id)
                    if all(n.streams >= cfg.max_streams for n in live):
                        still.extend(put.queued[i + 1:])
                        break
                    continue
                target = choose_targets(free, 1, set(), self.rng)[0]
                self._start_put_write(put, block, target, now)
                loads[target] += block.length
                pending.setdefault(block_id, []).append(target)
            if not put.done:
                put.queued = still

    def _start_put_write(self, put: PutOp, block: BlockInfo, target: int, now: float) -> None:
        req = next(self._req)
        self.writes[req] = Write(req, block.id, target, None, "put", put=put.id)
        self.nodes[target].streams += 1
        self.send(target, m.StoreBlock(req, block.id, put.path, block.offset, block.length, block.checksum))
        self.emit(ev.TransferStarted, now, block=block.id, source=None, target=target, purpose="put")

    def _disk_errors(self) -> str:
        """'node 0: No space left on device; node 3: ...' for every node whose disk failed."""
        return "; ".join(f"node {n.id}: {n.disk_error}" for n in sorted(self.nodes.values(), key=lambda n: n.id)
                         if n.disk_error)

    def _finish_put(self, put: PutOp, now: float) -> None:
        put.done = True
        if put.error is not None:
            self._drop_blocks(put.blocks)
            for write in [w for w in self.writes.values() if w.put == put.id]:
                self.writes.pop(write.req, None)
                self._release_streams(write)
        else:
            self.files[put.file] = list(put.blocks)
            self.emit(ev.PutFinished, now, file=put.file, size=put.size, blocks=len(put.blocks),
                      elapsed_s=round(now - put.started, 4))

    def _on_block_written(self, info: NodeInfo, msg: m.BlockWritten, now: float) -> None:
        write = self.writes.get(msg.req)
        if write is None or write.target != info.id:
            # A write we already gave up on (its put failed, its file was deleted, the node
            # was briefly dead): a replica nobody will account for must not stay behind.
            if msg.ok and info.state in (ALIVE, SUSPECT):
                block = self.blocks.get(msg.block)
                pending = any(w.block == msg.block and w.target == info.id for w in self.writes.values())
                if block is None or (info.id not in block.replicas and not pending):
                    self.send(info.id, m.DeleteBlock(msg.block))
            return
        del self.writes[msg.req]
        self._release_streams(write)
        block = self.blocks.get(write.block)
        put = self.puts.get(write.put) if write.put is not None else None
        if block is None:
            if msg.ok:
                self.send(info.id, m.DeleteBlock(write.block))  # its file was dropped meanwhile
            return
        if not msg.ok:
            self.emit(ev.TransferFailed, now, block=write.block, source=write.source,
                      target=write.target, reason=msg.error or "write failed")
            if msg.cause == m.CAUSE_DISK and not info.disk_error:
                # HDFS's failed volume: the node takes no more writes (it still serves reads).
                info.disk_error = msg.error or "write failed"
                self.emit(ev.NodeDiskFailed, now, node=info.id, reason=info.disk_error)
            if put is not None and not put.done:
                if msg.cause == m.CAUSE_INPUT:
                    put.error = msg.error
                    put.error_kind = "input"
                    self._finish_put(put, now)
                    return
                failures = put.failures[write.block] = put.failures.get(write.block, 0) + 1
                if failures > MAX_WRITE_FAILURES:
                    put.error = f"block {write.block} could not be written ({msg.error})"
                    put.error_kind = "storage"
                    self._finish_put(put, now)
                    return
                put.queued.append(write.block)
            return
        block.replicas.add(info.id)
        info.blocks.add(block.id)
        self.emit(ev.BlockStored, now, block=block.id, node=info.id, size=block.length,
                  source=write.source, purpose=write.purpose)
        if put is not None and not put.done:
            put.remaining[block.id] -= 1
            if put.remaining[block.id] <= 0:
                del put.remaining[block.id]
                block.committed = True
            if not put.remaining:
                self._finish_put(put, now)

    def delete_file(self, name: str, now: float) -> None:
        ids = self.files.pop(name)
        self._drop_blocks(ids)
        self.emit(ev.FileDeleted, now, file=name, block_ids=tuple(ids))

    def _drop_blocks(self, block_ids) -> None:
        for block_id in block_ids:
            block = self.blocks.pop(block_id, None)
            if block is None:
                continue
            for node_id in block.replicas:
                self.nodes[node_id].blocks.discard(block_id)
                self.send(node_id, m.DeleteBlock(block_id))

    # -- corruption -----------------------------------------------------------------------

    def replica_corrupt(self, block_id: int, node_id: int, detected_by: str, now: float) -> None:
        block = self.blocks.get(block_id)
        info = self.nodes.get(node_id)
        if block is None or info is None:
            return
        if node_id in block.replicas:
            block.replicas.discard(node_id)
            block.lost(f"corrupt on node {node_id}")
            info.blocks.discard(block_id)
            self.send(node_id, m.DeleteBlock(block_id))
            self.emit(ev.BlockCorrupt, now, block=block_id, node=node_id, detected_by=detected_by)

    # -- re-replication and trimming ------------------------------------------------------

    def _schedule_replication(self, now: float, loads: dict[int, int], holding: set[int]) -> None:
        """Start copies for under-replicated blocks, most urgent first.

        A copy reads the block on a holder, relays the bytes through the coordinator and
        writes them on the target: each end's disk works for one half of the copy only. So a
        copy takes a stream on its source while it reads and on its target while it writes,
        never one that sits idle: while the source reads, the target only holds one of its
        ``max_streams`` places for incoming copies (``incoming``), and bytes that arrive while
        every stream of the target is writing wait here (``_start_queued_copies``). Holding
        the target's stream for the whole copy would leave at most (nodes x max_streams) / 2
        copies in flight, each keeping one disk busy, and disks idle whenever two of them
        happened to work on the same one."""
        cfg = self.config
        r = cfg.replication
        live = [n for n in self.nodes.values() if n.schedulable]
        if not live:
            return
        in_flight = sum(1 for w in self.writes.values() if w.purpose == "replicate")
        budget = 2 * len(live) - in_flight  # HDFS: at most 2 x live nodes per round
        if budget <= 0:
            return
        pending = self._pending_by_block()
        needy = []
        for block in self.blocks.values():
            if not block.committed:
                continue  # its put is still writing it
            holders = len(block.replicas & holding)
            deficit = r - holders - len(pending.get(block.id, ()))
            if holders and deficit > 0:
                # HDFS's urgency order: one live replica first, then the most under-replicated.
                needy.append((holders, holders / r, block.id, deficit))
        needy.sort()
        for _, _, block_id, deficit in needy:
            if budget <= 0:
                break
            block = self.blocks[block_id]
            sources = [self.nodes[n] for n in self.holders(block)
                       if self.nodes[n].schedulable and self.nodes[n].streams < cfg.max_streams]
            if not sources:
                continue
            busy = block.replicas | set(pending.get(block_id, ()))
            free = {n.id: loads[n.id] for n in live
                    if n.id not in busy and n.incoming < cfg.max_streams and not n.disk_error}
            for target in choose_targets(free, deficit, set(), self.rng):
                sources = [s for s in sources if s.streams < cfg.max_streams]
                if not sources or budget <= 0:
                    break
                source = min(sources, key=lambda s: (s.streams, s.id))
                req = next(self._req)
                self.writes[req] = Write(req, block_id, target, source.id, "replicate", stage="reading")
                source.streams += 1
                self.nodes[target].incoming += 1
                loads[target] += block.length
                budget -= 1
                self.send(source.id, m.SendBlock(req, block_id, block.checksum))
                self.emit(ev.TransferStarted, now, block=block_id, source=source.id, target=target,
                          purpose="replicate")

    def _on_block_data(self, info: NodeInfo, msg: m.BlockData, now: float) -> None:
        write = self.writes.get(msg.req)
        if write is None or write.source != info.id or write.stage != "reading":
            return
        if msg.data is None or write.block not in self.blocks:
            self.writes.pop(msg.req, None)
            self._release_streams(write)
            if write.block not in self.blocks:
                return  # its file was deleted meanwhile
            self.emit(ev.TransferFailed, now, block=write.block, source=write.source,
                      target=write.target, reason=msg.error)
            if msg.error == "corrupt":
                self.replica_corrupt(write.block, info.id, "replication", now)
            elif msg.error == "missing":
                block = self.blocks.get(write.block)
                if block is not None:
                    block.replicas.discard(info.id)
                    block.lost(f"missing on node {info.id}")
                    info.blocks.discard(write.block)
            return
        info.streams = max(0, info.streams - 1)  # the source's part is done
        write.stage, write.data = "queued", msg.data
        self._start_queued_copies(now)

    def _start_queued_copies(self, now: float) -> None:
        """Send copies whose bytes are here to their targets, oldest first, as far as the
        targets have streams free."""
        limit = self.config.max_streams
        for write in sorted((w for w in self.writes.values() if w.stage == "queued"), key=lambda w: w.req):
            target = self.nodes[write.target]
            block = self.blocks.get(write.block)
            if block is None:
                self.writes.pop(write.req, None)
                self._release_streams(write)
                continue
            if target.streams >= limit:
                continue
            target.incoming = max(0, target.incoming - 1)
            target.streams += 1
            write.stage, data, write.data = "writing", write.data, None
            self.send(write.target, m.WriteBlock(write.req, write.block, data, block.checksum))

    def _trim_excess(self, now: float, loads: dict[int, int]) -> None:
        r = self.config.replication
        pending = self._pending_by_block()
        for block in self.blocks.values():
            if len(block.replicas) <= r:
                continue
            holders = [n for n in self.holders(block) if self.nodes[n].state == ALIVE]
            if len(holders) <= r or block.id in pending:
                continue
            busy = self.jobs.nodes_reading(block.id) if self.jobs is not None else set()
            candidates = sorted((n for n in holders if n not in busy),
                                key=lambda n: (-loads[n], n))
            for node_id in candidates[:len(holders) - r]:
                loads[node_id] -= block.length
                block.replicas.discard(node_id)
                self.nodes[node_id].blocks.discard(block.id)
                self.send(node_id, m.DeleteBlock(block.id))
                self.emit(ev.BlockTrimmed, now, block=block.id, node=node_id)

    # -- the periodic step ------------------------------------------------------------------

    def freeze(self, now: float) -> None:
        """The whole cluster is paused by the operator: stop judging silence."""
        self.frozen_at = now

    def thaw(self, now: float) -> None:
        """Resume judging silence, forgiving the time the cluster was frozen."""
        if self.frozen_at is None:
            return
        gap = now - self.frozen_at
        for info in self.nodes.values():
            info.last_seen += gap
            info.last_heard += gap
        if self.jobs is not None:
            self.jobs.shift_clock(gap)
        self.frozen_at = None

    def tick(self, now: float) -> None:
        self.dirty = False
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

    def _emit_health(self, now: float, scan: BlockScan) -> None:
        h = self.health(scan)
        if h != self._health:
            self._health = h
            self.emit(ev.HealthChanged, now, blocks=h.blocks, under_replicated=h.under_replicated,
                      missing=h.missing, live_nodes=h.live_nodes, dead_nodes=h.dead_nodes,
                      missing_blocks=h.missing_blocks)

    def _emit_metrics(self, now: float) -> None:
        nodes = {}
        stale = 2 * self.config.metrics_interval
        for info in self.nodes.values():
            fresh = info.state in (ALIVE, SUSPECT) and now - info.rates_at <= stale
            rates = info.rates if fresh else {"read_bps": 0.0, "write_bps": 0.0, "copy_bps": 0.0}
            nodes[info.id] = {
                "state": info.state,
                "process": info.process,
                **{k: round(rates.get(k, 0.0), 1) for k in ("read_bps", "write_bps", "copy_bps")},
                "stored_bytes": info.stored_bytes,
                "blocks": len(info.blocks),
                "tasks_running": info.running + info.reducing,
            }
        self.emit(ev.MetricsSample, now, nodes=nodes)

    # -- snapshot for front ends --------------------------------------------------------

    def snapshot(self, folder_of=lambda node_id: "") -> Snapshot:
        return Snapshot(
            nodes={n.id: NodeStatus(id=n.id, pid=n.pid, state=n.state, process=n.process,
                                    blocks=tuple(sorted(n.blocks)), stored_bytes=n.stored_bytes,
                                    running=n.running + n.reducing, streams=n.streams,
                                    disk_mbps=self.config.disk_speed(n.disk_mbps), folder=folder_of(n.id))
                   for n in self.nodes.values()},
            blocks={b.id: BlockStatus(id=b.id, file=b.file, index=b.index, length=b.length,
                                      checksum=b.checksum, replicas=tuple(sorted(b.replicas)),
                                      live=tuple(sorted(self.holders(b))))
                    for b in self.blocks.values()},
            files={name: tuple(ids) for name, ids in self.files.items()},
            health=self.health(),
            replicating=sum(1 for w in self.writes.values() if w.purpose == "replicate"),
        )
