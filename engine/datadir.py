"""A cluster's data folder: checked before use, locked while in use, and holding only its own
cluster's replicas.

As HDFS's data directories hold ``in_use.lock`` (a second data node on the same folder is
refused) and a ``VERSION`` naming the cluster, a ClusterScope data folder holds:

```
DIR/in_use.lock                  locked (flock) by the running cluster: pid and cluster id
DIR/node-N/<cluster id>/VERSION  the cluster and node this pool of replicas belongs to
DIR/node-N/<cluster id>/blk_<id> (its checksum an attribute of the file, or blk_<id>.meta)
```

Every cluster has a fresh id, and block ids are unique within it. A node reads, reports and
deletes only its own cluster's replicas, so a folder kept from an earlier run (``--data-dir``)
is never mistaken for this run's data and never deleted by it.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import uuid
from dataclasses import dataclass

from .errors import UsageError
from .storage import remove_partial_writes

LOCK_NAME = "in_use.lock"
VERSION_NAME = "VERSION"


def new_cluster_id() -> str:
    return "CS-" + uuid.uuid4().hex[:12]


def node_folder(data_dir: str, node_id: int) -> str:
    return os.path.join(data_dir, f"node-{node_id}")


def pool_folder(data_dir: str, node_id: int, cluster_id: str) -> str:
    """Where node ``node_id`` keeps this cluster's replicas."""
    return os.path.join(node_folder(data_dir, node_id), cluster_id)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


@dataclass
class DataDirLock:
    """An exclusive lock on a data folder for the life of one cluster."""
    path: str
    cluster_id: str
    fd: int | None = None

    def acquire(self, label: str) -> None:
        lock_path = os.path.join(self.path, LOCK_NAME)
        try:
            # Never through a symbolic link: the lock file is truncated and written.
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise UsageError(f"{label} {self.path}: {LOCK_NAME} is a symbolic link; remove it") from None
            raise UsageError(f"{label} {self.path}: cannot create {LOCK_NAME} ({_reason(exc)})") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise UsageError(f"{label} {self.path}: {LOCK_NAME} is not a regular file; remove it")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _read_small(fd)
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                who = f" ({holder})" if holder else ""
                raise UsageError(f"{label} {self.path}: in use by another running cluster{who}; "
                                 "give each cluster its own folder") from None
            raise UsageError(f"{label} {self.path}: cannot lock {LOCK_NAME} ({_reason(exc)})") from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}, cluster {self.cluster_id}\n".encode(), 0)
        except OSError:
            pass  # the lock itself is what matters
        self.fd = fd

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)
        except OSError:
            pass
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)
            self.fd = None


def _read_small(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""


def in_use_above(data_dir: str) -> str | None:
    """The folder above ``data_dir`` that a running cluster has locked, if any: a cluster's
    folder must not hold another's (a temporary one is removed whole when its cluster stops)."""
    here = os.path.dirname(os.path.abspath(data_dir))
    while True:
        lock_path = os.path.join(here, LOCK_NAME)
        if os.path.isfile(lock_path) and not os.path.islink(lock_path):
            try:
                fd = os.open(lock_path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
            except OSError:
                fd = None
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                    fcntl.flock(fd, fcntl.LOCK_UN)
                except OSError:
                    return here
                finally:
                    os.close(fd)
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _not_a_folder(path: str) -> str | None:
    if os.path.islink(path) and not os.path.exists(path):
        return "is a broken symbolic link"
    if os.path.lexists(path) and not os.path.isdir(path):
        return "is a file, not a folder"
    return None


def prepare(data_dir: str, nodes: int, label: str = "--data-dir") -> None:
    """Create the folder and check it can hold replicas: one line naming what is wrong
    (UsageError) for a file where a folder belongs, a broken link, a read-only or unwritable
    folder, or a folder inside another running cluster's."""
    problem = _not_a_folder(data_dir)
    if problem:
        raise UsageError(f"{label} {data_dir}: {problem}")
    owner = in_use_above(data_dir)
    if owner is not None:
        raise UsageError(f"{label} {data_dir}: inside {owner}, the folder of another running cluster; "
                         "give each cluster its own folder")
    try:
        os.makedirs(data_dir, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{label} {data_dir}: cannot create ({_reason(exc)})") from None
    probe = os.path.join(data_dir, f".probe-{os.getpid()}-{uuid.uuid4().hex[:6]}")
    try:
        with open(probe, "wb") as f:
            f.write(b"x")
    except OSError as exc:
        raise UsageError(f"{label} {data_dir}: cannot write there ({_reason(exc)})") from None
    finally:
        try:
            os.remove(probe)
        except OSError:
            pass
    for node_id in range(nodes):
        check_node_folder(data_dir, node_id, label)


def check_node_folder(data_dir: str, node_id: int, label: str = "--data-dir") -> None:
    problem = _not_a_folder(node_folder(data_dir, node_id))
    if problem:
        raise UsageError(f"{label} {data_dir}: node-{node_id} {problem}")


def remove_leftovers(data_dir: str) -> int:
    """Half-written replicas (``*.tmp``) that killed runs left in any pool of the folder. Only
    called while this cluster holds the folder's lock, so no other cluster is writing there.
    Returns how many were removed."""
    removed = 0
    try:
        nodes = [e for e in os.scandir(data_dir) if e.is_dir(follow_symlinks=False) and e.name.startswith("node-")]
    except OSError:
        return 0
    for node in nodes:
        try:
            pools = [e for e in os.scandir(node.path) if e.is_dir(follow_symlinks=False)]
        except OSError:
            continue
        for pool in pools:
            try:
                removed += remove_partial_writes(pool.path)
            except OSError:
                continue
    return removed


def pools_of(data_dir: str, cluster_id: str) -> list[str]:
    """Every node's pool of ``cluster_id`` in the folder (nodes added or removed included)."""
    try:
        nodes = [e for e in os.scandir(data_dir) if e.is_dir(follow_symlinks=False) and e.name.startswith("node-")]
    except OSError:
        return []
    pools = [os.path.join(n.path, cluster_id) for n in nodes]
    return sorted(p for p in pools if os.path.isdir(p) and not os.path.islink(p))


def remove_unfiled_replicas(pool: str, keep: set[int]) -> int:
    """Delete from one node's pool every replica whose block belongs to no stored file (a write
    acknowledged after its put failed, or finished while the cluster was stopping), and every
    half-done write. Only called once the pool's node has exited. Returns how many replicas."""
    removed = 0
    try:
        remove_partial_writes(pool)
        names = os.listdir(pool)
    except OSError:
        return 0
    for name in names:
        if not name.startswith("blk_") or name.endswith(".meta"):
            continue
        try:
            block = int(name[4:])
        except ValueError:
            continue
        if block in keep:
            continue
        for path in (os.path.join(pool, name), os.path.join(pool, name + ".meta")):
            try:
                os.remove(path)
            except OSError:
                pass
        removed += 1
    return removed


def free_bytes(path: str) -> int | None:
    try:
        st = os.statvfs(path)
    except OSError:
        return None
    return st.f_bavail * st.f_frsize
