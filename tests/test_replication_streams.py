"""Re-replication copies and their streams, on the coordinator's pure state with simulated
disks: a copy takes a stream on its source while the source reads and on its target while
the target writes, never one that waits idle, so the copy throttle keeps every disk busy."""

from engine import messages as m
from support import pure_beat, pure_cluster, pure_store

RATE = 10.0  # simulated disk bandwidth, bytes/s (pure_store's blocks are 10 bytes)


def _kill(c, victim, now=3.0):
    """``victim`` falls silent from time 0; the others beat until ``now``, when it is dead."""
    survivors = [n for n in c.nodes if n != victim]
    pure_beat(c, now, survivors)
    c.tick(now)
    assert c.nodes[victim].state == "dead"
    return survivors


def _recover(c, survivors, now, limit):
    """Run copies on disks that share RATE bytes/s among their transfers, answering every
    SendBlock and WriteBlock when its disk is done; return the seconds until no block is
    under-replicated. Checks that no disk ever runs more than ``limit`` transfers."""
    disks = {n: [] for n in c.nodes}
    start = now
    while True:
        out, _ = c.take_effects()
        for node, msg in out:
            if isinstance(msg, m.SendBlock):
                disks[node].append([c.blocks[msg.block].length, m.BlockData(msg.req, msg.block, b"x")])
            elif isinstance(msg, m.WriteBlock):
                disks[node].append([c.blocks[msg.block].length, m.BlockWritten(msg.req, msg.block, True)])
        assert max(len(d) for d in disks.values()) <= limit
        if c.health().under_replicated == 0:
            return now - start
        busy = {n: d for n, d in disks.items() if d}
        assert busy, "copies stalled with blocks still under-replicated"
        step = min(left * len(d) / RATE for d in busy.values() for left, _ in d)
        now += step
        for d in busy.values():
            for job in d:
                job[0] -= step * RATE / len(d)
        for node, d in busy.items():
            for job in [j for j in d if j[0] <= 1e-9]:
                d.remove(job)
                c.on_message(node, job[1], now)
        pure_beat(c, now, survivors)
        c.tick(now)


def test_recovery_keeps_every_surviving_disk_busy():
    # 6 nodes, R = 3: the victim holds 64 of 128 blocks. Each copy is read on one survivor
    # and written on another, so the 5 survivors' disks owe 2 x 64 blocks of work between
    # them: no schedule beats 2M / (5 B). Holding the target's stream during the read capped
    # copies in flight at 5, each busy on one disk only, and took 1.29x as long here.
    c, _ = pure_cluster(nodes=6, r=3, max_streams=2)
    pure_store(c, 128)
    victim = 0
    lost = sum(c.blocks[b].length for b in c.nodes[victim].blocks)
    survivors = _kill(c, victim)
    elapsed = _recover(c, survivors, 3.0, limit=2)
    ideal = 2 * lost / (len(survivors) * RATE)
    assert elapsed <= 1.15 * ideal, (elapsed, ideal)  # 1.05x now
    assert all(len(c.holders(b)) == 3 for b in c.blocks.values())
    assert all(c.nodes[n].streams == 0 and c.nodes[n].incoming == 0 for n in survivors)


def test_copy_waits_for_a_free_stream_on_its_target_and_gives_back_what_it_held():
    c, _ = pure_cluster(nodes=4, r=2, max_streams=1)
    pure_store(c, 4)
    victim = 0
    survivors = _kill(c, victim)
    out, _ = c.take_effects()
    sends = [(node, msg) for node, msg in out if isinstance(msg, m.SendBlock)]
    assert sends
    source, send = sends[0]
    write = c.writes[send.req]
    target = c.nodes[write.target]
    # While the source reads, it holds a stream; the target only a place for the bytes.
    assert c.nodes[source].streams == 1 and target.incoming >= 1
    # The target is busy writing something else: the bytes wait at the coordinator.
    target.streams = 1
    c.on_message(source, m.BlockData(send.req, send.block, b"x"), 3.1)
    assert write.stage == "queued" and c.nodes[source].streams == 0
    assert not [msg for node, msg in c.take_effects()[0] if isinstance(msg, m.WriteBlock)]
    target.streams = 0
    c.tick(3.2)
    writes = [(node, msg) for node, msg in c.take_effects()[0] if isinstance(msg, m.WriteBlock)]
    assert (write.target, send.req) in [(node, msg.req) for node, msg in writes]
    assert write.stage == "writing" and target.streams == 1
    # The target dies mid-write: the copy is aborted and every stream and place given back.
    others = [n for n in survivors if n != write.target]
    pure_beat(c, 6.0, others)
    c.tick(6.0)
    assert c.nodes[write.target].state == "dead" and send.req not in c.writes
    assert target.streams == 0 and target.incoming == 0
