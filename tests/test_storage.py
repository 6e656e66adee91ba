"""One node's replica folder: the memory-mapped read used by search tasks verifies the
checksum exactly like a plain read, counts the bytes, and falls back to the paced read."""

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
