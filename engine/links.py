"""``NodeLink``: the parent's end of one node process (its process, its pipe, its sender)."""

from __future__ import annotations

import queue
import threading


class NodeLink:
    """The parent's end of one node: its process, its pipe, and a sender thread.

    The engine thread reads the pipe; the sender thread writes it. The connection is closed
    only once both have let go of it (``close`` on the engine's side, the end of the send
    loop on the other), so a descriptor is never closed under a thread still using it and
    never reused for another node's pipe while bytes are still being written to it.
    """

    def __init__(self, node_id: int, process, conn):
        self.node = node_id
        self.process = process
        self.conn = conn
        self.open = True  # the engine still reads this pipe
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._holders = 2  # the engine thread and the sender thread
        self._engine_released = False
        self._holders_lock = threading.Lock()
        self._thread = threading.Thread(target=self._send_loop, name=f"send-node-{node_id}", daemon=True)
        self._thread.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def send(self, msg) -> None:
        if self.open:
            self._outbox.put(msg)

    def discard_pending(self) -> int:
        """Drop every message still waiting to be sent (its node was declared dead: what it
        needs on return is decided from its block report). Returns how many were dropped."""
        dropped = 0
        while True:
            try:
                msg = self._outbox.get_nowait()
            except queue.Empty:
                return dropped
            if msg is None:  # keep the sender's stop signal
                self._outbox.put(None)
                return dropped
            dropped += 1

    def _send_loop(self) -> None:
        try:
            while True:
                msg = self._outbox.get()
                if msg is None:
                    return
                try:
                    self.conn.send(msg)
                except (OSError, EOFError, ValueError):
                    return
        finally:
            self._release()

    def close(self) -> None:
        """The engine's side lets go: no more reads or sends; the pipe closes when the sender
        thread is done with it too."""
        if self._engine_released:
            return
        self._engine_released = True
        self.open = False
        self._outbox.put(None)
        self._release()

    def _release(self) -> None:
        with self._holders_lock:
            self._holders -= 1
            last = self._holders == 0
        if last:
            try:
                self.conn.close()
            except OSError:
                pass
