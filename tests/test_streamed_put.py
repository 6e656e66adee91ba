"""A put streams its file, as an HDFS client does: each chunk's blocks are written while the
rest of the file is still read and checked, and a put that stops part way (the file is not
text further on, or cannot be read) leaves nothing stored."""

import os
import threading

import pytest

import engine.blocks as blocks
import engine.cluster as cluster_module
from engine.bus import EventLog
from engine.errors import UsageError
from engine.jobs import JobSpec
from engine.view import ClusterState
from support import replica_files, wait_until

CHUNK = 64 * 1024


def _text(size: int) -> bytes:
    line = b"the quick brown fox jumps over the lazy dog\n"
    return line * (size // len(line))


def _act_after_chunks(monkeypatch, chunks_first: int, action) -> None:
    """The put cuts its first ``chunks_first`` chunks, then ``action()`` runs (it may raise,
    as a failing read does), then the rest of the file is cut."""
    cut = cluster_module.iter_text_spans

    def cut_then_act(*args):
        chunks = cut(*args)
        for _ in range(chunks_first):
            yield next(chunks)
        action()
        yield from chunks

    monkeypatch.setattr(cluster_module, "iter_text_spans", cut_then_act)


def _stored_nowhere(cluster, log, name: str) -> None:
    """No file, no block, and no replica on any node: a replica being written when the put
    failed is deleted as soon as its write ends."""
    snap = cluster.snapshot()
    assert name not in snap.files and not snap.blocks
    assert cluster.wait_until(lambda s: all(not n.blocks for n in s.nodes.values()), timeout=10)
    folders = [node.folder for node in cluster.snapshot().nodes.values()]
    assert wait_until(lambda: not any(replica_files(f) for f in folders), timeout=10), \
        [os.listdir(f) for f in folders]


def test_blocks_are_written_while_the_file_is_still_being_read(make_cluster, tmp_path, monkeypatch):
    monkeypatch.setattr(blocks, "READ_CHUNK", CHUNK)
    path = tmp_path / "f.txt"
    data = _text(8 * CHUNK)
    path.write_bytes(data)
    cluster = make_cluster(nodes=3, replication=2, block_size=16 * 1024)
    log = EventLog(cluster.bus)
    first_stored = threading.Event()
    cluster.bus.subscribe(lambda e: e.kind == "block_stored" and first_stored.set())

    def held_until_a_replica_is_stored():
        # The rest of the file is read only once a block of the first chunk is stored: a put
        # that reads the whole file before writing anything never gets here.
        assert first_stored.wait(20), "no replica was written before the whole file was read"

    _act_after_chunks(monkeypatch, 1, held_until_a_replica_is_stored)
    stored = cluster.put(str(path), name="f")
    assert stored.size == len(data) and stored.blocks == len(blocks.split_blocks(data, 16 * 1024))
    started = log.of_kind("put_started")[0]
    cut_events = log.of_kind("put_blocks_cut")
    # The start announces the size, not a number of blocks nobody knows yet.
    assert started.size == len(data) and started.blocks == 0 and not started.block_list
    assert len(cut_events) >= 8
    listed = list(started.block_list) + [b for e in cut_events for b in e.block_list]
    assert [b[1] for b in listed] == list(range(stored.blocks))  # every block once, in order
    assert log.of_kind("put_finished")[0].blocks == stored.blocks
    snap = cluster.snapshot()
    assert list(snap.files["f"]) == [b[0] for b in listed]
    assert all(len(snap.blocks[b[0]].replicas) == 2 for b in listed)


@pytest.mark.parametrize("bad", [b"\xff", b"\x00"])
def test_a_file_that_stops_being_text_part_way_leaves_nothing_stored(make_cluster, tmp_path, monkeypatch, bad):
    monkeypatch.setattr(blocks, "READ_CHUNK", CHUNK)
    path = tmp_path / "f.txt"
    data = bytearray(_text(6 * CHUNK))
    at = 5 * CHUNK + 17
    data[at] = bad[0]
    path.write_bytes(bytes(data))
    cluster = make_cluster(nodes=3, replication=2, block_size=16 * 1024)
    log = EventLog(cluster.bus)
    with pytest.raises(UsageError) as raised:
        cluster.put(str(path), name="f")
    expected = (f"not UTF-8 text (invalid byte at offset {at})" if bad != b"\x00"
                else f"looks like a binary file (a NUL byte at offset {at}), not text")
    assert str(raised.value) == f"{path}: {expected}"
    assert log.of_kind("put_blocks_cut"), "the put had started writing"
    failed = log.wait_for("put_failed")
    assert failed.file == "f" and expected in failed.reason and len(failed.block_ids) > 1
    assert not log.of_kind("put_finished")
    _stored_nowhere(cluster, log, "f")
    # A view built from the events drops what the put had announced (blocks and transfers).
    state = ClusterState()
    state.apply_all(log.events)
    assert "f" not in state.files and not state.blocks and not state.transfers
    # And the name is free again.
    path.write_bytes(_text(CHUNK))
    assert cluster.put(str(path), name="f").blocks == 4


def test_a_read_error_part_way_leaves_nothing_stored(make_cluster, tmp_path, monkeypatch):
    monkeypatch.setattr(blocks, "READ_CHUNK", CHUNK)
    path = tmp_path / "f.txt"
    path.write_bytes(_text(6 * CHUNK))
    cluster = make_cluster(nodes=3, replication=2, block_size=16 * 1024)
    log = EventLog(cluster.bus)

    def failing_read():
        raise UsageError(f"{path}: cannot read (Input/output error)")

    _act_after_chunks(monkeypatch, 2, failing_read)
    with pytest.raises(UsageError, match="cannot read"):
        cluster.put(str(path), name="f")
    assert log.wait_for("put_failed").file == "f"
    _stored_nowhere(cluster, log, "f")


def test_nodes_copy_the_input_in_the_kernel_and_fall_back_where_it_cannot(make_cluster, tmp_path, monkeypatch):
    import errno

    from engine.storage import BlockStore
    path = tmp_path / "f.txt"
    data = _text(4 * CHUNK)
    path.write_bytes(data)
    # Nodes are forked from here: with writes through the process refused, a put that
    # stores every replica copied them in the kernel.
    monkeypatch.setattr(BlockStore, "write", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EIO, "no")))
    cluster = make_cluster(nodes=3, replication=2, block_size=16 * 1024)
    stored = cluster.put(str(path), name="f")
    assert cluster.run_job(JobSpec("count", "f", word="fox")).count == data.count(b"fox")
    assert stored.size == len(data)
    cluster.stop()
    monkeypatch.undo()

    def cross_device(*args):
        raise OSError(errno.EXDEV, "Invalid cross-device link")
    monkeypatch.setattr(os, "copy_file_range", cross_device)
    cluster = make_cluster(nodes=3, replication=2, block_size=16 * 1024)
    assert cluster.put(str(path), name="f").size == len(data)
    assert cluster.run_job(JobSpec("count", "f", word="fox")).count == data.count(b"fox")


@pytest.mark.parametrize("change", ["grows", "touched"])
def test_a_file_changed_while_it_is_read_is_never_stored(make_cluster, tmp_path, monkeypatch, change):
    # A file that grows while it is read (a live log) is cut no further than the size it
    # had, and refused; one touched (same bytes, new times) is refused too. Either way the
    # put fails before it ends: no put_finished, never listed as stored, nothing on the nodes.
    monkeypatch.setattr(blocks, "READ_CHUNK", CHUNK)
    path = tmp_path / "f.txt"
    data = _text(6 * CHUNK)
    path.write_bytes(data)
    cluster = make_cluster(nodes=3, replication=2, block_size=16 * 1024)
    log = EventLog(cluster.bus)

    def change_the_file():
        if change == "grows":
            with open(path, "ab") as f:
                f.write(_text(20 * CHUNK))
        else:
            os.utime(path)

    _act_after_chunks(monkeypatch, 1, change_the_file)
    with pytest.raises(UsageError) as raised:
        cluster.put(str(path), name="f")
    assert str(raised.value) == f"{path}: changed or removed while it was being stored; nothing was stored"
    cut_bytes = sum(b[2] for e in log.of_kind("put_blocks_cut") for b in e.block_list)
    assert 0 < cut_bytes <= len(data)  # the growth was not followed
    assert log.wait_for("put_failed").file == "f"
    assert not log.of_kind("put_finished") and not log.of_kind("file_deleted")
    _stored_nowhere(cluster, log, "f")


def test_a_put_that_times_out_is_given_up_and_its_name_is_free_again(make_cluster, tmp_path):
    from engine.errors import TimedOut
    path = tmp_path / "f.txt"
    path.write_bytes(_text(4 * CHUNK))
    # Disks this slow cannot write 2 x 256 KiB within the timeout.
    cluster = make_cluster(nodes=3, replication=2, block_size=16 * 1024, disk_mbps=0.05)
    log = EventLog(cluster.bus)
    with pytest.raises(TimedOut, match="did not finish within"):
        cluster.put(str(path), name="f", timeout=0.5)
    failed = log.wait_for("put_failed")
    assert failed.file == "f" and "did not finish" in failed.reason
    assert "f" not in cluster.snapshot().files
    assert not any(p.file == "f" and not p.done for p in cluster.core.puts.values())
