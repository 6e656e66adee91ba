"""One node's replica folder: the memory-mapped read used by search tasks verifies the
checksum exactly like a plain read, counts the bytes, and falls back to the paced read."""

import errno
import mmap
import os
import random

import pytest

from engine.blocks import checksum
from engine.storage import BlockStore, ChecksumMismatch, DiskPacer, corrupt_replica_file
from engine.text import count_word, reference_count

TEXT = "data café data数据 the data_1 data\n".encode() * 1000


def test_mapped_read_is_a_verified_view_without_a_copy(tmp_path):
    counted = []
    store = BlockStore(str(tmp_path), on_read=counted.append)
    store.write(7, TEXT, checksum(TEXT))
    with store.mapped(7) as view:
        assert isinstance(view, mmap.mmap)
        assert view[:] == TEXT
        assert count_word(view, "data") == count_word(TEXT, "data") == reference_count(TEXT.decode(), "data")
        assert count_word(view, "café", ignore_case=True) == 1000
    assert view.closed
    assert counted == [len(TEXT)]


def test_mapped_read_of_a_corrupt_replica_raises(tmp_path):
    store = BlockStore(str(tmp_path))
    store.write(3, TEXT, checksum(TEXT))
    assert corrupt_replica_file(str(tmp_path), 3)
    with pytest.raises(ChecksumMismatch):
        with store.mapped(3):
            pass
    with pytest.raises(FileNotFoundError):
        with store.mapped(4):
            pass


def test_mapped_read_of_an_empty_block_and_through_a_paced_disk(tmp_path):
    store = BlockStore(str(tmp_path))
    store.write(1, b"", checksum(b""))
    with store.mapped(1) as view:
        assert count_word(view, "data") == 0
    paced = BlockStore(str(tmp_path), DiskPacer(100.0))
    paced.write(2, TEXT, checksum(TEXT))
    with paced.mapped(2) as view:  # a throttled disk is read through the pacer, as bytes
        assert isinstance(view, bytes) and view == TEXT


def test_a_nodes_stored_bytes_follow_writes_overwrites_and_deletes(tmp_path):
    from engine.node import DataNode
    node = DataNode(0, None, str(tmp_path), os.getpid(), heartbeat=1.0, metrics_interval=1.0, slots=1,
                    io_threads=1, disk_mbps=None)
    rng = random.Random(4)
    for _ in range(500):
        block = rng.randrange(20)
        node._set_size(block, None if rng.random() < 0.3 else rng.randrange(1, 5000))
        assert node.stored_bytes == sum(node.sizes.values()) and node.blocks == len(node.sizes)
    node.tasks.shutdown()
    node.io.shutdown()


def _xattrs_kept(folder) -> bool:
    probe = os.path.join(folder, "probe")
    open(probe, "wb").close()
    try:
        os.setxattr(probe, "user.clusterscope.probe", b"1")
        return True
    except (OSError, AttributeError):
        return False
    finally:
        os.remove(probe)


def test_a_replica_is_one_file_with_its_checksum_on_it(tmp_path):
    if not _xattrs_kept(tmp_path):
        pytest.skip("this file system keeps no extended attributes")
    store = BlockStore(str(tmp_path))
    store.write(7, TEXT, checksum(TEXT))
    assert os.listdir(tmp_path) == ["blk_7"]  # no checksum file beside it
    assert os.getxattr(tmp_path / "blk_7", "user.clusterscope.checksum") == f"{len(TEXT)} {checksum(TEXT)}".encode()
    assert store.report() == {7: (len(TEXT), checksum(TEXT))}
    assert store.read(7, checksum(TEXT)) == TEXT and store.verify(7) == "ok"
    store.delete(7)
    assert os.listdir(tmp_path) == [] and store.report() == {}


def test_replicas_without_attributes_keep_a_checksum_file_and_both_layouts_read(tmp_path, monkeypatch):
    # A folder of an earlier version (a .meta file beside each replica) still reads...
    (tmp_path / "blk_3").write_bytes(TEXT)
    (tmp_path / "blk_3.meta").write_text(f"{len(TEXT)} {checksum(TEXT)}\n")
    (tmp_path / "blk_4.meta").write_text("5 00000000\n")  # a checksum with no bytes: no replica
    store = BlockStore(str(tmp_path))
    assert store.report() == {3: (len(TEXT), checksum(TEXT))}
    assert store.read(3, checksum(TEXT)) == TEXT
    # ...and a file system that keeps no attributes gets that layout.
    def refuse(*args):
        raise OSError(errno.ENOTSUP, "Operation not supported")
    monkeypatch.setattr(os, "setxattr", refuse)
    plain = BlockStore(str(tmp_path / "plain"))
    plain.write(9, TEXT, checksum(TEXT))
    assert sorted(os.listdir(tmp_path / "plain")) == ["blk_9", "blk_9.meta"]
    assert plain.report() == {9: (len(TEXT), checksum(TEXT))}
    assert plain.read(9) == TEXT


def test_a_full_disk_while_recording_the_checksum_leaves_nothing(tmp_path, monkeypatch):
    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "setxattr", full)
    store = BlockStore(str(tmp_path))
    with pytest.raises(OSError) as raised:
        store.write(2, TEXT, checksum(TEXT))
    assert raised.value.errno == errno.ENOSPC
    assert os.listdir(tmp_path) == []


def test_a_write_the_caller_verified_is_not_checksummed_twice(tmp_path, monkeypatch):
    import engine.storage as storage
    calls = []
    monkeypatch.setattr(storage, "checksum", lambda data: calls.append(len(data)) or checksum(data))
    store = BlockStore(str(tmp_path))
    store.write(1, TEXT, checksum(TEXT), verified=True)
    assert calls == []
    store.write(2, TEXT, checksum(TEXT))
    assert calls == [len(TEXT)]


def _source(tmp_path, data: bytes):
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    return os.open(path, os.O_RDONLY)


def test_a_replica_copied_in_by_the_kernel_is_the_range_with_its_checksum(tmp_path, monkeypatch):
    data = bytes(random.Random(4).randrange(256) for _ in range(300_000))
    fd = _source(tmp_path, data)
    store = BlockStore(str(tmp_path / "node"))
    read_back = []  # the copy is checked as the replica file reads, not as the source did
    monkeypatch.setattr("engine.storage.checksum", lambda b: read_back.append(len(b)) or checksum(b))
    try:
        assert store.copy_in(7, fd, 1000, 250_000, checksum(data[1000:251_000]))
    finally:
        os.close(fd)
    assert read_back == [250_000]
    assert store.read(7, checksum(data[1000:251_000])) == data[1000:251_000]
    assert store.report() == {7: (250_000, checksum(data[1000:251_000]))}
    assert os.listdir(tmp_path / "node") == ["blk_7"]


@pytest.mark.parametrize("case", ["other bytes", "shorter source"])
def test_a_copy_that_does_not_match_leaves_nothing(tmp_path, case):
    data = b"the quick brown fox " * 1000
    fd = _source(tmp_path, data)
    store = BlockStore(str(tmp_path / "node"))
    length = 5000 if case == "other bytes" else 10_000
    offset = 0 if case == "other bytes" else len(data) - 4000
    digest = checksum(data[1:length + 1])  # a checksum these bytes do not have
    try:
        assert store.copy_in(3, fd, offset, length, digest) is False
    finally:
        os.close(fd)
    assert os.listdir(tmp_path / "node") == []


def test_a_copy_the_kernel_cannot_make_or_a_paced_disk_is_left_to_the_caller(tmp_path, monkeypatch):
    from engine.storage import CopyUnsupported
    data = b"data " * 1000
    fd = _source(tmp_path, data)
    try:
        paced = BlockStore(str(tmp_path / "paced"), DiskPacer(100.0))
        with pytest.raises(CopyUnsupported):
            paced.copy_in(1, fd, 0, len(data), checksum(data))

        def cross_device(*args):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        monkeypatch.setattr(os, "copy_file_range", cross_device)
        store = BlockStore(str(tmp_path / "node"))
        with pytest.raises(CopyUnsupported):
            store.copy_in(1, fd, 0, len(data), checksum(data))
        assert os.listdir(tmp_path / "node") == [] and os.listdir(tmp_path / "paced") == []
    finally:
        os.close(fd)


def test_a_full_disk_during_a_copy_is_the_disks_fault_and_leaves_nothing(tmp_path, monkeypatch):
    data = b"data " * 1000
    fd = _source(tmp_path, data)

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "copy_file_range", full)
    store = BlockStore(str(tmp_path / "node"))
    try:
        with pytest.raises(OSError) as raised:
            store.copy_in(1, fd, 0, len(data), checksum(data))
    finally:
        os.close(fd)
    assert raised.value.errno == errno.ENOSPC
    assert os.listdir(tmp_path / "node") == []
