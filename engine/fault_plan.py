"""Which fault timelines a scenario may script: a timeline that cannot happen is refused
before anything starts, with the file, line and key of the fault.

The timeline is played in time order (faults at the same time in file order) against each
node's process: running, paused (until a time, with a ``duration``; or until a ``resume``)
or killed (until a ``restart``).

**Impossible**, refused:

- a ``kill``, ``pause``, ``resume``, ``corrupt`` or ``slow_disk`` of a node that an earlier
  fault killed and no ``restart`` brought back (there is no process to act on);
- a ``pause`` of a node that is already paused;
- a ``resume`` of a node that is not paused at that time (no pause before it, or the pause's
  ``duration`` already resumed it), or whose pause has a ``duration`` (that pause resumes it
  by itself, and a second resume would fail);
- a ``kill`` or ``restart`` of a node inside a pause with a ``duration``: the pause's own
  resume would then find a killed or a fresh process;
- two faults that change the same node's process (kill, pause, resume, restart, or the end
  of a timed pause) at the very same time: their timers run in no defined order;
- ``random_kills`` of more nodes than the cluster has, or ``until`` before ``at`` (checked
  with the keys, in ``engine.scenario``);
- a ``block`` (``corrupt``, ``kill_block_holders``) that the stored file does not have: block
  ids are 0 .. blocks - 1 of the file cut at ``block_size``, known once the data is
  generated or read (``check_blocks``, still before any cluster starts).

**Allowed destruction**, played as scripted (that is what experiments are for):

- killing every node, or every holder of a block, even while jobs need them: honest data
  loss, the verdict is incomplete and names the blocks, never wrong;
- restarting a killed node (a new process over the same folder: how it comes back), a
  running or a paused one (without a duration);
- corrupting replicas of a running or paused node, several times; slowing a paused disk;
- killing a paused node (a pause without a duration).

**Not knowable before the run**, so reported after it (``FaultTimeline.errors``: the
experiment's summary names each fault that did not apply, and its exit status is 4): which
nodes ``random_kills`` and ``kill_block_holders`` pick (and so whether a later fault finds
its node killed by them), and which nodes hold a given block (placement happens at run
time), or whether a node holds any replica to corrupt.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.blocks import scan_text_file
from engine.values import plain

_CHANGES_PROCESS = ("kill", "pause", "resume", "restart")
_NEEDS_PROCESS = ("kill", "pause", "resume", "corrupt", "slow_disk")


class ImpossibleFault(Exception):
    """A fault the timeline cannot apply; the message names it (``faults[2]: ...``), or its
    key (``faults[2].block ...``) with ``key``."""

    def __init__(self, fault, message: str, key: str | None = None):
        name = fault.key or fault.action
        super().__init__(f"{name}.{key} {message}" if key else f"{name}: {message}")
        self.fault = fault


@dataclass
class _Node:
    """One node's process as the timeline leaves it."""
    state: str = "running"  # running | paused | killed
    paused_until: float | None = None  # a pause with a duration ends then
    cause: object = None  # the fault that paused or killed it
    changed_at: float | None = None  # when a fault last changed the process
    changed_by: object = None


def check_timeline(faults, nodes: int) -> None:
    """ImpossibleFault for the first fault of ``faults`` that cannot happen (see above)."""
    state = {n: _Node() for n in range(nodes)}
    for fault in sorted(faults, key=lambda f: f.at):
        if fault.node is None:  # random_kills, kill_block_holders: their nodes are drawn at run time
            continue
        _apply(fault, state[fault.node])


def _apply(fault, node: _Node) -> None:
    at, n = fault.at, fault.node
    changes = fault.action in _CHANGES_PROCESS
    if node.state == "paused" and node.paused_until is not None:
        if node.paused_until < at:
            node.state, node.paused_until, node.cause = "running", None, None
        elif node.paused_until == at and changes:
            raise ImpossibleFault(fault, f"{fault.action} of node {n} at {plain(at)} s is at the very time "
                                         f"its pause ({node.cause.key}) ends: move one of them")
    if changes and node.changed_at == at:
        raise ImpossibleFault(fault, f"{node.changed_by.key} and {fault.key} both change node {n} at "
                                     f"{plain(at)} s, in no defined order: move one of them")
    if node.state == "killed" and fault.action in _NEEDS_PROCESS:
        raise ImpossibleFault(fault, f"{fault.action} of node {n} at {plain(at)} s: node {n} is already killed "
                                     f"({node.cause.key} at {plain(node.cause.at)} s) and not restarted")
    timed_pause = node.state == "paused" and node.paused_until is not None
    if fault.action in ("kill", "restart", "resume") and timed_pause:
        raise ImpossibleFault(fault, f"{fault.action} of node {n} at {plain(at)} s: node {n} is paused until "
                                     f"{plain(node.paused_until)} s ({node.cause.key}, duration "
                                     f"{plain(node.cause.duration)} s), which then resumes it by itself")
    if fault.action == "pause" and node.state == "paused":
        raise ImpossibleFault(fault, f"pause of node {n} at {plain(at)} s: node {n} is already paused "
                                     f"({node.cause.key} at {plain(node.cause.at)} s)")
    if fault.action == "resume" and node.state != "paused":
        raise ImpossibleFault(fault, f"resume of node {n} at {plain(at)} s: node {n} is not paused then")
    if fault.action == "kill":
        node.state, node.cause = "killed", fault
    elif fault.action == "pause":
        node.state, node.cause = "paused", fault
        node.paused_until = at + fault.duration if fault.duration is not None else None
    elif fault.action in ("resume", "restart"):
        node.state, node.paused_until, node.cause = "running", None, None
    if changes:
        node.changed_at, node.changed_by = at, fault


def block_count(path: str, block_size: int) -> int:
    """How many blocks the file at ``path`` is stored as (read a chunk at a time)."""
    return len(scan_text_file(path, block_size))


def check_blocks(faults, blocks: int) -> None:
    """ImpossibleFault for the first fault whose ``block`` is not one of ``0 .. blocks - 1``."""
    for fault in faults:
        if fault.block is not None and fault.block >= blocks:
            ids = f"0..{blocks - 1}" if blocks else "none: the file is empty"
            raise ImpossibleFault(fault, f"{fault.block} does not exist: the data is stored as "
                                         f"{blocks} block(s) (ids {ids})", key="block")
