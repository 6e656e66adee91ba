"""One data node's folder of replicas: ``blk_<id>`` holds the bytes, and its length and
checksum ride on the same file as an extended attribute (``user.clusterscope.checksum``), set
before the file gets its name, so a replica appears whole or not at all, in one file. Where
the file system keeps no extended attributes, they go to ``blk_<id>.meta`` beside it (the
layout of earlier versions, still read). Reads verify the checksum. Reads and writes can be
paced to a simulated disk bandwidth shared by everything the node does (``--disk-mbps``)."""

from __future__ import annotations

import errno
import mmap
import os
import threading
import time
from contextlib import contextmanager

from .blocks import checksum

_CHUNK = 64 * 1024

CHECKSUM_XATTR = "user.clusterscope.checksum"  # "<length> <checksum>"
# setxattr's answers for a file system (or a platform) that keeps no user attributes
_NO_XATTRS = {errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EPERM}


# A full disk (or quota) during a kernel copy is the disk's fault, reported as it is.
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}


class CopyUnsupported(Exception):
    """The kernel cannot copy between these two files (or the disk is paced): the caller
    reads the bytes and writes them itself."""


def _set_recorded(fd: int, length: int, digest: str) -> bool:
    """Record ``length`` and ``digest`` on the open file; False where attributes are not
    kept (the caller writes a ``.meta`` file instead). A full disk is raised as it is."""
    if not hasattr(os, "setxattr"):
        return False
    try:
        os.setxattr(fd, CHECKSUM_XATTR, f"{length} {digest}".encode("ascii"))
    except OSError as exc:
        if exc.errno in _NO_XATTRS:
            return False
        raise
    return True


def read_recorded(path: str) -> tuple[int, str]:
    """(length, checksum) recorded with the replica at ``path``: its attribute, else its
    ``.meta`` file. FileNotFoundError if neither exists, ValueError if unreadable."""
    value = None
    if hasattr(os, "getxattr"):
        try:
            value = os.getxattr(path, CHECKSUM_XATTR)
        except FileNotFoundError:
            raise
        except OSError:
            value = None  # written without attributes (or by an earlier version)
    if value is None:
        with open(path + ".meta", "rb") as f:
            value = f.read()
    length, digest = value.decode("ascii", "replace").split()
    return int(length), digest



def remove_partial_writes(folder: str) -> int:
    """Delete the half-done replica writes (``blk_*.tmp``) in ``folder``; returns how many
    (OSError if the folder cannot be listed)."""
    removed = 0
    for name in os.listdir(folder):
        if name.startswith("blk_") and name.endswith(".tmp"):
            try:
                os.remove(os.path.join(folder, name))
                removed += 1
            except OSError:
                pass
    return removed

class ChecksumMismatch(Exception):
    pass


class DiskPacer:
    """Paces reads and writes to ``mbps`` MB/s (10**6 bytes), shared by everything that uses
    one disk: each caller books the next free stretch of disk time and waits for its end.

    ``set_rate`` changes the speed at once, from any thread (a "slow disk" fault): callers
    already waiting re-book the bytes they have not yet been granted at the new rate.
    """

    def __init__(self, mbps: float | None):
        self.rate = None if not mbps else mbps * 1e6
        self._cond = threading.Condition()
        self._free_at = time.monotonic()
        self._generation = 0

    @property
    def mbps(self) -> float | None:
        rate = self.rate
        return None if rate is None else rate / 1e6

    def set_rate(self, mbps: float | None) -> None:
        with self._cond:
            self.rate = None if not mbps else mbps * 1e6
            self._free_at = time.monotonic()  # bookings made at the old speed start over
            self._generation += 1
            self._cond.notify_all()

    def consume(self, nbytes: int) -> None:
        if self.rate is None:
            return
        remaining = float(nbytes)
        with self._cond:
            while remaining > 0 and self.rate is not None:
                rate = self.rate
                now = time.monotonic()
                start = max(now, self._free_at)
                end = self._free_at = start + remaining / rate
                generation = self._generation
                while True:
                    left = end - time.monotonic()
                    if left <= 0:
                        return
                    if self._generation != generation:
                        break
                    self._cond.wait(left)
                # The speed changed while we waited: keep what was granted, re-book the rest.
                granted = max(0.0, time.monotonic() - start) * rate
                remaining -= granted


class BlockStore:
    """One node's replicas of one cluster. Every read is verified against the checksum the
    caller expects (the coordinator's, when it says), never only against the one stored
    beside the bytes: a replica that is not the version the coordinator knows is corrupt."""

    def __init__(self, folder: str, pacer: DiskPacer | None = None, on_read=None):
        self.folder = folder
        self.xattrs = True  # until this file system says it keeps none
        self.pacer = pacer or DiskPacer(None)
        self.on_read = on_read or (lambda n: None)
        os.makedirs(folder, exist_ok=True)
        self.remove_partial()

    def _data_path(self, block: int) -> str:
        return os.path.join(self.folder, f"blk_{block}")

    def remove_partial(self) -> int:
        """Delete writes a killed process left half-done (``*.tmp``); returns how many."""
        return remove_partial_writes(self.folder)

    def report(self) -> dict[int, tuple[int, str]]:
        """Block id -> (length, checksum) for every complete replica in the folder."""
        out = {}
        for name in os.listdir(self.folder):
            if not name.startswith("blk_"):
                continue
            try:
                block = int(name[4:])  # the data files; not .meta, nor half-done .tmp
                out[block] = read_recorded(os.path.join(self.folder, name))
            except (ValueError, OSError):
                continue
        return out

    def write(self, block: int, data: bytes, digest: str, verified: bool = False) -> None:
        """Verify ``data`` against ``digest`` (unless the caller just did: ``verified``) and
        store it; a failed write leaves nothing behind (OSError from the disk is raised as
        it is: full, read-only, ...)."""
        if not verified and checksum(data) != digest:
            raise ChecksumMismatch(f"block {block}: data does not match checksum {digest}")

        def fill(f) -> bool:
            if self.pacer.rate:
                for start in range(0, len(data), _CHUNK):
                    self.pacer.consume(min(_CHUNK, len(data) - start))
                    f.write(data[start:start + _CHUNK])
            else:
                f.write(data)
            return True

        self._write_with(block, len(data), digest, fill)

    def copy_in(self, block: int, source_fd: int, offset: int, length: int, digest: str) -> bool:
        """Store ``length`` bytes at ``offset`` of the open file ``source_fd`` as the replica
        of ``block``, copied by the kernel from file to file (``copy_file_range``: no copy
        through this process), then checked against ``digest`` as the replica file reads.
        False if they do not match or the source is shorter (it changed: nothing is left
        behind); ``CopyUnsupported`` where the kernel cannot copy between these files, or
        the disk is paced (the caller writes the bytes itself); OSError from the disk as it is."""
        if self.pacer.rate or length <= 0 or not hasattr(os, "copy_file_range"):
            raise CopyUnsupported()

        def fill(f) -> bool:
            copied = 0
            while copied < length:
                try:
                    n = os.copy_file_range(source_fd, f.fileno(), length - copied, offset + copied)
                except OSError as exc:
                    if exc.errno in _DISK_FULL:
                        raise
                    raise CopyUnsupported() from exc  # the caller reads and writes, and names the fault
                if n == 0:
                    return False  # the source ends sooner: it changed
                copied += n
            with mmap.mmap(f.fileno(), length, access=mmap.ACCESS_READ) as written:
                return checksum(written) == digest

        return self._write_with(block, length, digest, fill, mode="w+b")

    def _write_with(self, block: int, length: int, digest: str, fill, mode: str = "wb") -> bool:
        """Write a replica through ``fill(file)`` into a temporary file, then record its
        length and checksum and give it its name; if ``fill`` says False or anything fails,
        nothing is left behind."""
        path = self._data_path(block)
        tag = f"{os.getpid()}-{threading.get_ident()}"
        tmp, meta_tmp = f"{path}.{tag}.tmp", f"{path}.meta.{tag}.tmp"
        kept = False
        try:
            with open(tmp, mode) as f:
                if not fill(f):
                    return False
                recorded = self.xattrs and _set_recorded(f.fileno(), length, digest)
            if recorded:
                os.replace(tmp, path)
                kept = True
                return True
            self.xattrs = False
            with open(meta_tmp, "w") as f:
                f.write(f"{length} {digest}\n")
            os.replace(tmp, path)
            os.replace(meta_tmp, path + ".meta")
            kept = True
            return True
        finally:
            if not kept:
                for leftover in (tmp, meta_tmp):
                    try:
                        os.remove(leftover)
                    except OSError:
                        pass

    def _recorded(self, block: int, expected: str | None) -> str:
        """The checksum the replica must match: the caller's, else the one stored beside it."""
        path = self._data_path(block)
        try:
            _, digest = read_recorded(path)
        except FileNotFoundError:
            raise FileNotFoundError(f"block {block} not on this node") from None
        except ValueError:
            raise ChecksumMismatch(f"block {block}: unreadable checksum") from None
        if expected is not None and digest != expected:
            raise ChecksumMismatch(f"block {block}: the replica on disk is not the expected version")
        return digest

    def _read_paced(self, block: int, count: bool) -> bytes:
        """The replica's bytes, paced to the disk bandwidth."""
        parts = []
        try:
            f = open(self._data_path(block), "rb")
        except FileNotFoundError:
            raise FileNotFoundError(f"block {block} not on this node") from None
        with f:
            while True:
                chunk = f.read(_CHUNK if self.pacer.rate else -1)
                if not chunk:
                    break
                self.pacer.consume(len(chunk))
                if count:
                    self.on_read(len(chunk))
                parts.append(chunk)
        return b"".join(parts)

    def read(self, block: int, expected: str | None = None) -> bytes:
        """The replica's bytes, paced to the disk bandwidth and verified against ``expected``
        (the coordinator's checksum) or, when None, the checksum recorded with it."""
        digest = self._recorded(block, expected)
        data = self._read_paced(block, count=True)
        if checksum(data) != digest:
            raise ChecksumMismatch(f"block {block}: checksum mismatch")
        return data

    @contextmanager
    def mapped(self, block: int, expected: str | None = None):
        """The replica's bytes, verified, for a task that only searches them: a memory map
        of the file (no copy) when the disk is unthrottled, else the paced read. The map is
        copy-on-write, so that the C library's search can be given its address; nothing
        writes to it, and a write would never reach the file."""
        if self.pacer.rate:
            yield self.read(block, expected)
            return
        digest = self._recorded(block, expected)
        try:
            with open(self._data_path(block), "rb") as f:
                view = _map(f.fileno()) if os.fstat(f.fileno()).st_size else b""
        except FileNotFoundError:
            raise FileNotFoundError(f"block {block} not on this node") from None
        try:
            self.on_read(len(view))
            if checksum(view) != digest:
                raise ChecksumMismatch(f"block {block}: checksum mismatch")
            yield view
        finally:
            if isinstance(view, mmap.mmap):
                view.close()

    def verify(self, block: int) -> str:
        """Read a replica through the pacer and check it, for the background scanner: "ok",
        "corrupt" or "missing". Scanner reads are not counted as task or copy reads."""
        try:
            digest = self._recorded(block, None)
            data = self._read_paced(block, count=False)
        except ChecksumMismatch:
            return "corrupt"
        except (OSError, ValueError):
            return "missing"
        return "ok" if checksum(data) == digest else "corrupt"

    def delete(self, block: int) -> None:
        path = self._data_path(block)
        for p in (path + ".meta", path):
            try:
                os.remove(p)
            except FileNotFoundError:
                pass


def _map(fd: int) -> mmap.mmap:
    """The whole file, mapped copy-on-write; read-only where the system will not reserve
    memory for a private map (strict overcommit): the search then runs in Python."""
    try:
        return mmap.mmap(fd, 0, access=mmap.ACCESS_COPY)
    except OSError as exc:
        if exc.errno != errno.ENOMEM:
            raise
        return mmap.mmap(fd, 0, access=mmap.ACCESS_READ)


def corrupt_replica_file(folder: str, block: int, seed: int = 0) -> bool:
    """Flip one byte of a replica on disk (fault injection). False if the file is absent."""
    path = os.path.join(folder, f"blk_{block}")
    try:
        with open(path, "r+b") as f:
            size = os.fstat(f.fileno()).st_size
            if size == 0:
                return False
            pos = (seed * 2654435761) % size
            f.seek(pos)
            byte = f.read(1)
            f.seek(pos)
            f.write(bytes([byte[0] ^ 0x20 if byte[0] != 0x20 else 0x21]))
        return True
    except FileNotFoundError:
        return False
