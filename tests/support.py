"""Helpers shared by the tests: process checks and fast cluster timings."""

from __future__ import annotations

import dataclasses
import os
import time

from engine.processes import pid_running, process_name  # noqa: F401  (the tests import them from here)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Fast failure detection for tests, same ratios as the defaults (dead after 4-5 heartbeats).
FAST = dict(heartbeat=0.2, dead_after=1.0)


def wait_until(condition, timeout: float, interval: float = 0.02) -> bool:
    """Whether ``condition()`` came to hold within ``timeout`` seconds. For what another
    process does (its files, its state in /proc), which sends no event to wait on: the one
    polling loop of the tests."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)


def replica_files(folder) -> bool:
    """Whether any replica (or its temporary file) exists under ``folder``."""
    return any(name.startswith("blk_") for _, _, names in os.walk(folder) for name in names)


def wait_gone(pids, timeout: float) -> list[int]:
    """Wait until none of ``pids`` runs; return those still running at the timeout."""
    wait_until(lambda: not any(pid_running(p) for p in pids), timeout, 0.05)
    return [p for p in pids if pid_running(p)]


def wait_children(pid: int, count: int, timeout: float = 30.0, nodes_only: bool = True) -> list[int]:
    """Wait until ``pid`` has at least ``count`` child processes (node processes only,
    unless ``nodes_only`` is False); return them (fewer on timeout)."""
    def kids() -> list[int]:
        found = children(pid)
        return [k for k in found if process_name(k).startswith("cs-node-")] if nodes_only else found
    wait_until(lambda: len(kids()) >= count, timeout, 0.05)
    return kids()


def children(pid: int) -> list[int]:
    """PIDs whose parent is ``pid``."""
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    kids.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return kids


def sample_event(cls, t=2.25):
    """An event of ``cls`` with every field filled with a value of its declared type."""
    values = {"int": 3, "float": 1.5, "str": "x", "bool": True, "tuple": (1, 2), "dict": {1: {"a": 1}}}
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name == "t":
            continue
        text = str(f.type)
        for key, value in values.items():
            if key in text:
                kwargs[f.name] = value
                break
        else:
            kwargs[f.name] = None
    return cls(t=t, **kwargs)


def wait_stopped(pid: int, timeout: float = 5.0) -> bool:
    """Wait until ``pid`` is in the stopped state (SIGSTOP is delivered asynchronously)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/status") as f:
                if any(line.startswith("State:") and line.split()[1] in ("T", "t") for line in f):
                    return True
        except FileNotFoundError:
            return False
        time.sleep(0.01)  # polling process state
    return False


# -- the coordinator's pure state machine, driven without processes ---------------------------

def pure_cluster(nodes=4, r=2, **kw):
    """A Coordinator and JobTracker with ``nodes`` registered nodes and no processes."""
    from engine import messages as m
    from engine.config import ClusterConfig
    from engine.coordinator import Coordinator
    from engine.jobs import JobTracker
    c = Coordinator(ClusterConfig(nodes=nodes, replication=r, heartbeat=0.5, dead_after=2.0, **kw))
    jobs = JobTracker(c)
    for n in range(nodes):
        c.node_process_started(n, 1000 + n, now=0.0)
        c.on_message(n, m.Register(n, 1000 + n, {}), now=0.0)
    c.take_effects()
    return c, jobs


def pure_store(c, nblocks, now=0.0):
    """Store a file of ``nblocks`` 10-byte blocks, acknowledging every write."""
    from engine import messages as m
    from engine.blocks import BlockSpan
    spans = [BlockSpan(i, i * 10, 10, f"{i:08x}") for i in range(nblocks)]
    put = c.begin_put("f", "/f", spans, now)
    for _ in range(100):
        c.tick(now)
        out, _ = c.take_effects()
        for node, msg in out:
            if isinstance(msg, m.StoreBlock):
                c.on_message(node, m.BlockWritten(msg.req, msg.block, True), now)
        if put.done:
            c.take_effects()
            return put
    raise AssertionError("put did not finish")


def pure_beat(c, now, nodes):
    from engine import messages as m
    for n in nodes:
        c.on_message(n, m.Heartbeat(n, 1, 0, 0, 0, 0, 0, 0), now)
