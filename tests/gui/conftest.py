"""GUI tests run offscreen (set here, before Qt loads) with pytest-qt.

``fake_bridge`` stands in for ``gui.bridge.EngineBridge`` when a widget is tested on its own:
it has the same ``state``, ``updated`` signal and ``clock()``, and ``feed(events)`` applies
events exactly as the real bridge does. Integration tests use the real bridge and cluster.
"""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402
from PySide6.QtCore import QObject, Signal  # noqa: E402

from engine.view import ClusterState  # noqa: E402


class FakeBridge(QObject):
    updated = Signal(list)
    verdict_ready = Signal(int, str, str)
    operation_failed = Signal(str, str)
    operation_done = Signal(str, object)
    cluster_reset = Signal()
    cluster_ready = Signal()

    def __init__(self):
        super().__init__()
        self.state = ClusterState()
        self.now = 0.0
        self.time_scale = 1.0
        self.recorded = []

    def clock(self) -> float:
        return self.now

    def feed(self, events) -> None:
        events = list(events)
        self.recorded.extend(events)
        self.state.apply_all(events)
        if events:
            self.now = max(self.now, max(e.t for e in events))
        self.updated.emit(events)


@pytest.fixture
def fake_bridge():
    return FakeBridge()


def cluster_events(nodes=4, blocks=6, replication=2):
    """A small, consistent event history: a cluster started and a file stored."""
    from engine import events as ev
    out = [ev.ClusterStarted(t=0.0, nodes=nodes, replication=replication, block_size=1024,
                             heartbeat=0.5, dead_after=2.0, data_dir="/tmp/x")]
    for n in range(nodes):
        out.append(ev.NodeStarting(t=0.01, node=n, pid=1000 + n))
        out.append(ev.NodeStarted(t=0.02, node=n, pid=1000 + n))
    block_list = tuple((b, b, 1024, f"{b:08x}") for b in range(blocks))
    out.append(ev.PutStarted(t=0.1, file="f.txt", size=1024 * blocks, blocks=blocks, block_list=block_list))
    t = 0.1
    for b in range(blocks):
        for k in range(replication):
            node = (b + k) % nodes
            t += 0.01
            out.append(ev.TransferStarted(t=t, block=b, source=None, target=node, purpose="put"))
            out.append(ev.BlockStored(t=t + 0.005, block=b, node=node, size=1024, source=None, purpose="put"))
    out.append(ev.PutFinished(t=t + 0.01, file="f.txt", size=1024 * blocks, blocks=blocks, elapsed_s=t))
    out.append(ev.HealthChanged(t=t + 0.01, blocks=blocks, under_replicated=0, missing=0,
                                live_nodes=nodes, dead_nodes=0))
    return out
