"""Membership and liveness, the part of the coordinator that knows the nodes: who they are,
what the operator did to their processes, when each was last heard, and when silence makes
one suspect, then dead. Silence is judged on listening time only (see ``listen``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import events as ev
from . import messages as m
from .model import HOLDING_STATES, NodeState, ProcessState

# Node liveness states, as the coordinator sees them.
STARTING, ALIVE, SUSPECT, DEAD, RESTARTING = (
    NodeState.STARTING, NodeState.ALIVE, NodeState.SUSPECT, NodeState.DEAD, NodeState.RESTARTING)
RUNNING, PAUSED, KILLED = ProcessState.RUNNING, ProcessState.PAUSED, ProcessState.KILLED
# The longest pause between two reads of the nodes' pipes that counts as listening; beyond
# it the engine was stalled (starved of the CPU, or busy) and the rest is not silence.
LISTEN_GAP = 0.1


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
    # Replicas it said it wrote while declared dead, for writes given up meanwhile: deleted
    # once it registers again, unless its block report claims them (then they are counted).
    unclaimed: set = field(default_factory=set)

    @property
    def schedulable(self) -> bool:
        return self.state == ALIVE

    @property
    def writable(self) -> bool:
        """May be given replicas to write."""
        return self.state == ALIVE and not self.disk_error



class Membership:
    """Node registry and failure detection (a part of ``Coordinator``)."""

    def live_nodes(self) -> list[NodeInfo]:
        return [n for n in self.nodes.values() if n.state in (ALIVE, SUSPECT)]

    def holding_nodes(self) -> set[int]:
        """Ids of the nodes whose replicas count as live."""
        return {n.id for n in self.nodes.values() if n.state in HOLDING_STATES}

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

    def _admit(self, info: NodeInfo, msg, now: float) -> bool:
        """Whether a message from ``info`` counts; a heartbeat is proof of life."""
        if info.state == DEAD:
            # A node we gave up on is talking again (it was paused, or a pipe was slow):
            # it must re-register with a full block report before it counts again.
            if not info.report_requested:
                info.report_requested = True
                self.send(info.id, m.SendBlockReport())
            if isinstance(msg, m.BlockWritten) and msg.ok:
                # A write given up when it was declared dead, finished after all: its
                # replica may have got its name after the block report was made.
                info.unclaimed.add(msg.block)
            return False
        if info.state in (STARTING, RESTARTING):
            return False  # stale traffic from before a restart; wait for Register
        info.last_heard = now
        if isinstance(msg, m.Heartbeat):
            info.last_seen = now
            if info.state == SUSPECT:
                info.state = ALIVE
                self.emit(ev.NodeRecovered, now, node=info.id)
        return True

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
                    self.remove_replica(self.blocks[block_id], info.id)
        for block_id, (length, digest) in msg.report.items():
            block = self.blocks.get(block_id)
            if block is None or block.checksum != digest or block.length != length:
                # Not part of any file we know (or a stale version): the node deletes it.
                self.send(info.id, m.DeleteBlock(block_id))
                continue
            self.add_replica(block, info.id)
            info.blocks.add(block_id)
            accepted += 1
        for block_id in info.unclaimed - set(msg.report):
            self.send(info.id, m.DeleteBlock(block_id))  # written after the report was made
        info.unclaimed.clear()
        ids = tuple(sorted(info.blocks))
        if self.jobs is not None:
            # Anything it still runs or holds for jobs was given up when it was lost.
            self.send(info.id, m.KeepJobOutputs(self.jobs.active_jobs(), self.jobs.attempts_on(info.id)))
        if was == STARTING:
            self.emit(ev.NodeStarted, now, node=info.id, pid=msg.pid, blocks=accepted, block_ids=ids)
        else:
            self.emit(ev.NodeRejoined, now, node=info.id, pid=msg.pid,
                      blocks=len(msg.report), accepted=accepted, block_ids=ids)

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
                self.remove_replica(block, info.id)
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
