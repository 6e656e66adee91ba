"""Node processes of a ``LocalCluster``: spawning one (its folder, its pipe, its options),
signalling it, and finding its link. A mixin of ``LocalCluster`` (``engine.cluster``)."""

from __future__ import annotations

import os

from . import datadir
from .errors import UsageError
from .links import NodeLink
from .node import node_main


class NodeProcesses:
    """Spawning and addressing the node processes."""

    def _spawn(self, node_id: int, now: float, restart: bool = False) -> None:
        folder = datadir.pool_folder(self.data_dir, node_id, self.cluster_id)
        datadir.check_node_folder(self.data_dir, node_id)
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"--data-dir {self.data_dir}: cannot create node-{node_id}'s folder "
                             f"({exc.strerror or exc})") from None
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        known = node_id in self.core.nodes
        options = {
            "heartbeat": self.config.heartbeat, "metrics_interval": self.config.metrics_interval,
            "slots": self.config.slots, "max_streams": self.config.max_streams,
            # A disk slowed by the operator stays slow when its node's process is restarted.
            "disk_mbps": self.core.disk_speed(node_id) if known else self.config.disk_mbps,
            "scan_interval": self.config.scan_interval, "log_level": self.config.log_level.upper(),
        }
        process = self._ctx.Process(target=node_main, name=f"clusterscope-node-{node_id}",
                                    args=(node_id, child_conn, folder, os.getpid(), options,
                                          self.cluster_id),
                                    daemon=True)
        process.start()
        child_conn.close()
        old = self._links.get(node_id)
        if old is not None:
            self._by_conn.pop(old.conn, None)
            old.close()
        self._known_pids.add(process.pid)
        link = NodeLink(node_id, process, parent_conn)
        self._links[node_id] = link
        self._by_conn[parent_conn] = link
        self.core.node_process_started(node_id, process.pid, now, restart=restart)

    @staticmethod
    def _signal(pid: int, sig: int) -> bool:
        try:
            os.kill(pid, sig)
            return True
        except ProcessLookupError:
            return False

    def _link(self, node_id) -> NodeLink:
        if not isinstance(node_id, int) or isinstance(node_id, bool):
            raise UsageError(f"node id must be a whole number (got {node_id!r})")
        link = self._links.get(node_id)
        if link is None:
            known = ", ".join(str(n) for n in sorted(self._links)) or "none"
            raise UsageError(f"unknown node {node_id} (nodes are {known})")
        return link
