"""Cutting a file into blocks at whitespace, and block checksums.

A cut is placed just after an ASCII whitespace byte at or beyond the target size, so no word
and no UTF-8 character is ever split (ASCII whitespace never occurs inside a multi-byte UTF-8
sequence). A single token longer than a block stays whole in one larger block.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

try:  # ISA-L's CRC-32: the same checksum as zlib's, about ten times faster
    from isal.isal_zlib import crc32
except ImportError:  # pragma: no cover - a platform without an ISA-L wheel
    from zlib import crc32

from .errors import UsageError

_WHITESPACE = re.compile(rb"[ \t\n\r\x0b\x0c]")


@dataclass(frozen=True, slots=True)
class BlockSpan:
    index: int
    offset: int
    length: int
    checksum: str


def checksum(data: bytes) -> str:
    """CRC-32 of a block as 8 hex digits (HDFS uses CRC-32C per 512 bytes; one CRC per block
    detects every single corrupted byte just the same)."""
    return f"{crc32(data) & 0xFFFFFFFF:08x}"


def cut_points(data: bytes, block_size: int) -> list[tuple[int, int]]:
    """(offset, length) of each block of ``data`` for a target ``block_size``."""
    spans = []
    start = 0
    size = len(data)
    while start < size:
        target = start + block_size
        if target >= size:
            spans.append((start, size - start))
            break
        match = _WHITESPACE.search(data, target - 1)
        end = size if match is None else match.end()
        spans.append((start, end - start))
        start = end
    return spans


def split_blocks(data: bytes, block_size: int) -> list[BlockSpan]:
    return [
        BlockSpan(i, off, length, checksum(data[off:off + length]))
        for i, (off, length) in enumerate(cut_points(data, block_size))
    ]


_VALIDATE_CHUNK = 1 << 20  # validated a piece at a time: no long hold of the interpreter


def read_text_file(path: str) -> bytes:
    """The bytes of a UTF-8 text file; UsageError for anything that is not one."""
    if not os.path.exists(path):
        raise UsageError(f"{path}: no such file")
    if os.path.isdir(path):
        raise UsageError(f"{path}: is a directory, not a text file")
    if not os.path.isfile(path):
        raise UsageError(f"{path}: not a regular file")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    validate_text(data, path)
    return data


def validate_text(data: bytes, path: str) -> None:
    """UsageError naming the offset if ``data`` holds a NUL byte or is not UTF-8. Checked a
    megabyte at a time (cut where no character continues), so other threads, the engine's
    among them, keep running while a large file is checked."""
    view = memoryview(data)
    size = len(data)
    start = 0
    while start < size:
        end = min(size, start + _VALIDATE_CHUNK)
        while end < size and data[end] & 0xC0 == 0x80:  # never cut inside a character
            end += 1
        chunk = view[start:end]
        nul = data.find(b"\x00", start, end)
        if nul >= 0:
            raise UsageError(f"{path}: looks like a binary file (contains NUL bytes), not text")
        try:
            str(chunk, "utf-8")
        except UnicodeDecodeError as exc:
            raise UsageError(f"{path}: not UTF-8 text (invalid byte at offset {start + exc.start})") from None
        start = end
