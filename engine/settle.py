"""When is a cluster settled? When nothing more can be done, said plainly.

After a run's faults, front ends wait until every fault has played out: each killed or
paused process is declared dead (or is back), no node is between states, no copy is in
flight, and every block is either back at R replicas or cannot get there. A block cannot get
there when it has no live replica (it is lost) or when every live node that could take a copy
already holds one, or cannot write (its disk failed). Waiting for more would wait for the
impossible, so the cluster is settled then, and ``Settlement.remains`` says what stays as it
is ("32 blocks stay at 2 of 3 replicas: only 2 live nodes").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .coordinator import ALIVE, DEAD, Coordinator


@dataclass(frozen=True)
class Settlement:
    settled: bool
    remains: tuple[str, ...] = ()  # what stays as it is, once settled (empty: all healthy)
    waiting_for: tuple[str, ...] = ()  # what is still going on, while not settled
    fully_replicated: bool = False  # every block of every file at R live replicas
    lost_blocks: tuple[int, ...] = ()
    stuck_blocks: tuple[int, ...] = field(default=())  # below R with no node to copy to


def settlement(core: Coordinator) -> Settlement:
    r = core.config.replication
    waiting = []
    for info in sorted(core.nodes.values(), key=lambda n: n.id):
        if info.state in ("starting", "restarting"):
            waiting.append(f"node {info.id} is starting")
        elif info.state == "suspect":
            waiting.append(f"node {info.id} is suspect (silent, not yet declared dead)")
        elif info.process != "running" and info.state != DEAD:
            waiting.append(f"node {info.id} is {info.process} but not yet declared dead")
    if core.writes:
        waiting.append(f"{len(core.writes)} block copies in flight")
    if any(not p.done for p in core.puts.values()):
        waiting.append("a file is being stored")
    holding = core.holding_nodes()
    alive = {n.id for n in core.nodes.values() if n.state == ALIVE}
    writable = {n for n in alive if not core.nodes[n].disk_error}
    copies = [(block.replicas, block.replicas & holding, block.id)
              for block in core.blocks.values() if block.committed]
    return settle_blocks(r, copies, alive, writable, waiting)


def settle_blocks(r: int, copies, alive: set[int], writable: set[int], waiting: list[str]) -> Settlement:
    """The settlement of a cluster whose nodes-in-between and copies-in-flight are already in
    ``waiting``: ``copies`` holds (nodes with a replica, of those the live ones, block id) for
    each stored block, ``alive`` the live nodes, ``writable`` those of them that can take a
    copy. (Every backend judges its blocks with this one function, in the same words.)"""
    waiting = list(waiting)
    lost, stuck = [], []
    stuck_at: Counter = Counter()
    copyable = 0
    excess = 0
    for replicas, live, block_id in copies:
        if len(replicas) > r and all(n in alive for n in replicas):
            excess += 1
        if not live:
            lost.append(block_id)
        elif len(live) < r:
            if writable - replicas and any(n in alive for n in live):
                copyable += 1
            else:
                stuck.append(block_id)
                stuck_at[len(live)] += 1
    if copyable:
        waiting.append(f"{copyable} blocks still to copy")
    if excess:
        waiting.append(f"{excess} blocks with a replica too many still to trim")
    remains = []
    if stuck:
        n_alive = len(alive)
        broken = sorted(alive - writable)
        why = f"only {n_alive} live node{'s' if n_alive != 1 else ''}"
        if broken:
            why += f", and node{'s' if len(broken) > 1 else ''} " + ", ".join(map(str, broken)) + \
                " cannot write"
        for live, n in sorted(stuck_at.items()):
            remains.append(f"{n} block{'s' if n != 1 else ''} stay{'s' if n == 1 else ''} at "
                           f"{live} of {r} replicas: {why}")
    if lost:
        n = len(lost)
        remains.append(f"{n} block{'s' if n != 1 else ''} lost: no live replica of "
                       + ", ".join(map(str, sorted(lost)[:8])) + (", ..." if n > 8 else ""))
    return Settlement(settled=not waiting, remains=tuple(remains), waiting_for=tuple(waiting),
                      fully_replicated=not lost and not stuck and not copyable,
                      lost_blocks=tuple(sorted(lost)), stuck_blocks=tuple(sorted(stuck)))


__all__ = ["Settlement", "settle_blocks", "settlement"]
