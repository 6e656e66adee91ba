"""Helpers shared by the tests: process checks and fast cluster timings."""

from __future__ import annotations

import dataclasses
import os
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Fast failure detection for tests, same ratios as the defaults (dead after 4-5 heartbeats).
FAST = dict(heartbeat=0.2, dead_after=1.0)


def pid_running(pid: int) -> bool:
    """True while ``pid`` is a live process (a zombie awaiting its reaper counts as gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("State:"):
                    return "Z" not in line.split()[1]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return False


def wait_gone(pids, timeout: float) -> list[int]:
    """Wait until none of ``pids`` runs; return those still running at the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        alive = [p for p in pids if pid_running(p)]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)  # polling process state, not synchronising with the cluster


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
