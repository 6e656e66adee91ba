"""Telemetry, the part of the coordinator that reports: per-node rates from the nodes' own
counters, health changes, metrics samples, and the snapshot front ends ask for."""

from __future__ import annotations

from . import events as ev
from . import messages as m
from .blockmap import BlockScan
from .membership import ALIVE, DEAD, SUSPECT
from .model import BlockStatus, NodeStatus, Snapshot


class Telemetry:
    """Rates, health events, metrics samples, snapshots (a part of ``Coordinator``)."""

    def _on_metrics(self, info, msg: m.Metrics, now: float) -> None:
        counters = {"bytes_read": msg.bytes_read, "bytes_written": msg.bytes_written,
                    "bytes_copied": msg.bytes_copied}
        prev_at, prev = self._sample_counters.get(info.id, (None, None))
        if prev is not None and msg.at > prev_at:
            # Rates over the node's own interval, timed by the node: no pipe jitter.
            dt = msg.at - prev_at
            info.rates = {name: max(0.0, (counters[key] - prev[key]) / dt) for key, name in
                          (("bytes_read", "read_bps"), ("bytes_written", "write_bps"),
                           ("bytes_copied", "copy_bps"))}
            info.rates_at = now
        self._sample_counters[info.id] = (msg.at, counters)
        info.counters = counters
        info.stored_bytes = msg.stored_bytes

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
                # the failure detector's own number: silence so far, on listening time
                "silent_s": round(max(0.0, now - info.last_seen), 3) if info.state != DEAD else None,
            }
        self.emit(ev.MetricsSample, now, nodes=nodes)

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
