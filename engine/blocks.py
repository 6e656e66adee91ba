"""Cutting a file into blocks at whitespace, and block checksums.

A cut is placed just after an ASCII whitespace byte at or beyond the target size, so no word
and no UTF-8 character is ever split (ASCII whitespace never occurs inside a multi-byte UTF-8
sequence). A single token longer than a block stays whole in one larger block.
"""

from __future__ import annotations

import codecs
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


# Validated a piece at a time: no long hold of the interpreter. Small enough that each
# piece's decoded string comes from the interpreter's own memory: a megabyte string is fresh
# pages from the system every time, and faulting them in took as long as the decoding.
_VALIDATE_CHUNK = 16 << 10
READ_CHUNK = 4 << 20  # a file is read this much at a time: memory stays bounded whatever its size


def _chunks(f, path: str, limit: int | None = None):
    """The file ``f`` a ``READ_CHUNK`` at a time (its first ``limit`` bytes only, if given),
    read into one ``bytearray`` again and again (a new 4 MiB ``bytes`` per read is fresh
    pages to fault in each time): a chunk is valid until the next one is asked for. A short
    chunk is a copy."""
    buffer = bytearray(READ_CHUNK)
    left = limit
    while left is None or left > 0:
        try:
            n = f.readinto(buffer if left is None or left >= len(buffer) else memoryview(buffer)[:left])
        except OSError as exc:
            raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
        if not n:
            return
        if left is not None:
            left -= n
        yield buffer if n == len(buffer) else buffer[:n]


def _open_text_file(path: str):
    if not os.path.exists(path):
        raise UsageError(f"{path}: no such file")
    if os.path.isdir(path):
        raise UsageError(f"{path}: is a directory, not a text file")
    if not os.path.isfile(path):
        raise UsageError(f"{path}: not a regular file")
    try:
        return open(path, "rb")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None


def file_identity(path: str):
    """What changes whenever a file is written to: its inode, size, modification and change
    times (the change time cannot be set back by anyone but the clock); None if it is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def read_text_file(path: str) -> bytes:
    """The bytes of a UTF-8 text file; UsageError for anything that is not one."""
    with _open_text_file(path) as f:
        try:
            data = f.read()
        except OSError as exc:
            raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    validate_text(data, path)
    return data


class _TextChecker:
    """Checks consecutive chunks of a file as UTF-8 text without NUL bytes, a character
    that continues into the next chunk included; UsageError naming the offset otherwise."""

    def __init__(self, path: str):
        self.path = path
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.offset = 0  # of the next chunk

    def feed(self, chunk, final: bool = False) -> None:
        """Check the next ``chunk`` (``bytes`` or ``bytearray``) of the file: the first
        problem in the file's order is named, a NUL byte or a byte that is not UTF-8."""
        nul = chunk.find(b"\x00")  # one search of the whole chunk, in C
        view = memoryview(chunk)[:nul] if nul >= 0 else memoryview(chunk)
        final = final and nul < 0
        at = 0
        while True:
            piece = view[at:at + _VALIDATE_CHUNK]
            last = at + _VALIDATE_CHUNK >= len(view)
            pending = len(self.decoder.getstate()[0])  # bytes of a character begun before
            try:
                self.decoder.decode(piece, final and last)
            except UnicodeDecodeError as exc:
                bad = self.offset + at - pending + exc.start
                raise UsageError(f"{self.path}: not UTF-8 text (invalid byte at offset {bad})") from None
            if last:
                break
            at += _VALIDATE_CHUNK
        if nul >= 0:
            raise UsageError(_binary(self.path, self.offset + nul))  # the text before it is UTF-8
        self.offset += len(view)


def _binary(path: str, offset: int) -> str:
    return f"{path}: looks like a binary file (a NUL byte at offset {offset}), not text"


def scan_text_file(path: str, block_size: int) -> list[BlockSpan]:
    """The blocks of the UTF-8 text file at ``path`` (as ``split_blocks`` cuts its bytes),
    read ``READ_CHUNK`` bytes at a time: the file is checked as text and every block's
    checksum computed without ever holding more than a chunk, whatever the file's size.
    UsageError for anything that is not a readable UTF-8 text file."""
    return [span for spans in iter_text_spans(path, block_size) for span in spans]


def iter_text_spans(path: str, block_size: int, limit: int | None = None):
    """``scan_text_file``'s blocks as they are cut: after each chunk read, the list of the
    blocks that ended in it (possibly empty), so that a caller can store them while the rest
    of the file is read. Raises UsageError where the file stops being UTF-8 text: the blocks
    given before it are then not a whole file. With ``limit``, the file ends there for the
    cut (a file growing while it is read is not followed)."""
    checker = _TextChecker(path)
    index = 0
    block_start = 0  # absolute offset of the block being read
    crc = 0  # its checksum so far
    chunk_start = 0
    with _open_text_file(path) as f:
        for chunk in _chunks(f, path, limit):
            checker.feed(chunk)
            view = memoryview(chunk)
            spans: list[BlockSpan] = []
            at = 0  # where the current block's unread bytes begin in this chunk
            while True:
                search_from = max(at, block_start + block_size - 1 - chunk_start)
                match = _WHITESPACE.search(chunk, search_from) if search_from < len(chunk) else None
                if match is None:
                    crc = crc32(view[at:], crc)
                    break
                end = match.end()
                crc = crc32(view[at:end], crc)
                spans.append(BlockSpan(index, block_start, chunk_start + end - block_start,
                                       f"{crc & 0xFFFFFFFF:08x}"))
                index += 1
                block_start, crc, at = chunk_start + end, 0, end
            chunk_start += len(chunk)
            view.release()
            yield spans
    checker.feed(b"", final=True)
    if block_start < chunk_start:
        yield [BlockSpan(index, block_start, chunk_start - block_start, f"{crc & 0xFFFFFFFF:08x}")]


def validate_text_file(path: str) -> int:
    """Check the file at ``path`` as UTF-8 text a chunk at a time; its size in bytes."""
    checker = _TextChecker(path)
    with _open_text_file(path) as f:
        for chunk in _chunks(f, path):
            checker.feed(chunk)
    checker.feed(b"", final=True)
    return checker.offset


def validate_text(data: bytes, path: str) -> None:
    """UsageError naming the offset if ``data`` holds a NUL byte or is not UTF-8 (whichever
    comes first). Checked a piece at a time, so other threads, the engine's among them, keep
    running while a large file is checked."""
    _TextChecker(path).feed(data, final=True)
