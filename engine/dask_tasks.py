"""The functions the Dask backend runs on its workers (they import this module by name, so
it depends on nothing but the standard library and ``engine.text``/``engine.blocks``).

Every map task checks its block's checksum first, as an HDFS client checks what it reads:
a damaged replica raises ``CorruptReplica`` and is never counted."""

from __future__ import annotations

import threading
import time
from collections import Counter

from .blocks import checksum
from .text import count_word, partition_counts, top_k, word_frequencies


class CorruptReplica(Exception):
    """The replica's bytes do not match the block's checksum."""


# The worker process's one simulated disk: its task threads read through it one at a time,
# as a node's slots share its disk in the local engine.
_DISK = threading.Lock()


def _read(data: bytes, expected: str, mbps: float | None) -> bytes:
    """The block as this worker's disk of ``mbps`` MB/s would give it (None: memory speed)."""
    if mbps:
        with _DISK:
            time.sleep(len(data) / (mbps * 1e6))
    if checksum(data) != expected:
        raise CorruptReplica(f"checksum mismatch: expected {expected}, read {checksum(data)}")
    return data


def map_count(data: bytes, expected: str, word: str, ignore_case: bool, mbps: float | None) -> int:
    return count_word(_read(data, expected, mbps), word, ignore_case)


def map_words(data: bytes, expected: str, partitions: int, mbps: float | None) -> list[dict[str, int]]:
    """The block's word frequencies (the combiner's output), split into the reduce partitions."""
    return partition_counts(word_frequencies(_read(data, expected, mbps)), partitions)


def reduce_words(partition: int, k: int, *map_outputs: list[dict[str, int]]) -> list[tuple[str, int]]:
    """The top ``k`` of one partition, summed over every map output (each word lives in one
    partition, so the top k of the whole file are among the partitions' top k)."""
    total: Counter = Counter()
    for output in map_outputs:
        total.update(output[partition])
    return top_k(total, k)


def copy_block(data: bytes, expected: str | None = None) -> bytes:
    """A new replica: the bytes, fetched by Dask from the source worker onto this one, and
    checked before they count (a damaged source is never copied as a good replica)."""
    if expected is not None and checksum(data) != expected:
        raise CorruptReplica(f"the source's copy is damaged: expected {expected}, read {checksum(data)}")
    return bytes(data)


def corrupt_block(data: bytes, good: str | None = None) -> bytes:
    """The replica with a byte changed so that it no longer matches the block's checksum
    ``good`` (a replica damaged before is damaged further, never mended by chance)."""
    if not data:
        return data
    middle = len(data) // 2
    for flip in (0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80):
        damaged = data[:middle] + bytes([data[middle] ^ flip]) + data[middle + 1:]
        if good is None or checksum(damaged) != good:
            return damaged
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]
