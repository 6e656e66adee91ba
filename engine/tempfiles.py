"""Temporary folders that never outlive their process, not even a SIGKILL of it.

A process that makes temporary folders through ``temp_folder`` gets one small janitor
process (forked on first use, holding nothing but a pipe from its parent). The parent tells
it each folder it makes and each it removes; when the pipe closes, because the parent exited
or was killed, the janitor removes what is left (after the parent's node processes, which die
with it, have had a moment to go) and exits at once. A clean exit removes every folder itself
first, so the janitor then finds nothing to do.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time

from .processes import set_process_name

_lock = threading.Lock()
_janitor: dict = {}  # pid of the process it serves -> (write fd, janitor pid)


def _janitor_main(read_fd: int) -> None:
    """The janitor: collect folder names until the pipe closes, then remove those left."""
    os.closerange(0, read_fd)
    os.closerange(read_fd + 1, 4096)
    pending: set[str] = set()
    buffer = b""
    while True:
        try:
            chunk = os.read(read_fd, 65536)
        except InterruptedError:
            continue
        except OSError:
            break
        if not chunk:
            break
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            op, _, path = line.decode("utf-8", "surrogateescape").partition(" ")
            if op == "+":
                pending.add(path)
            elif op == "-":
                pending.discard(path)
    deadline = time.monotonic() + 3.0
    while pending and time.monotonic() < deadline:
        for path in list(pending):
            shutil.rmtree(path, ignore_errors=True)
            if not os.path.lexists(path):
                pending.discard(path)
        if pending:
            time.sleep(0.05)  # a dying node may still be writing into it
    os._exit(0)


def _tell(op: str, path: str) -> None:
    with _lock:
        entry = _janitor.get(os.getpid())
        if entry is None:
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # the janitor
                try:
                    os.close(write_fd)
                    # Only the pipe ends it: Ctrl-C, a hang-up or a stop of the terminal's
                    # process group must not (it continues if left stopped in an orphaned group).
                    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGTSTP,
                                signal.SIGTTIN, signal.SIGTTOU, signal.SIGQUIT):
                        signal.signal(sig, signal.SIG_IGN)
                    set_process_name("cs-janitor")
                    _janitor_main(read_fd)
                finally:
                    os._exit(0)
            os.close(read_fd)
            os.set_inheritable(write_fd, False)
            entry = _janitor[os.getpid()] = (write_fd, pid)
            threading.Thread(target=_reap, args=(pid,), name="tempfiles-janitor", daemon=True).start()
        try:
            os.write(entry[0], f"{op} {path}\n".encode("utf-8", "surrogateescape"))
        except OSError:
            pass


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def make_temp_folder(prefix: str) -> str:
    """A new private folder under the system's temporary folder, removed by the janitor if
    this process dies before ``remove_temp_folder``."""
    path = tempfile.mkdtemp(prefix=prefix)
    _tell("+", path)
    return path


def remove_temp_folder(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)
    _tell("-", path)


@contextlib.contextmanager
def temp_folder(prefix: str):
    path = make_temp_folder(prefix)
    try:
        yield path
    finally:
        remove_temp_folder(path)
