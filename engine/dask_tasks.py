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


def copy_block(data: bytes) -> bytes:
    """A new replica: the bytes, fetched by Dask from the source worker onto this one."""
    return bytes(data)


def corrupt_block(data: bytes) -> bytes:
    """The replica with one byte flipped (the checksum will no longer match)."""
    if not data:
        return data
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:]
