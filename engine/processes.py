"""Asking the operating system about a process (Linux ``/proc``)."""

from __future__ import annotations


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


def set_process_name(name: str) -> None:
    """Name this process as ``ps``, ``top`` and /proc/PID/comm show it (Linux; at most 15
    bytes): a lecturer looking at the process list sees ``cs-node-3``, not ``python``."""
    import ctypes
    import sys
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(15, name.encode()[:15] + b"\0", 0, 0, 0)  # PR_SET_NAME
    except (OSError, AttributeError):
        pass


def process_name(pid: int) -> str:
    """The name the kernel keeps for ``pid`` ("" if it is gone)."""
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""
