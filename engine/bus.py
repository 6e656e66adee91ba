"""Fan-out of engine events to any number of subscribers (GUI bridge, CLI, tests, recorder)."""

from __future__ import annotations

import logging
import threading
from typing import Callable, Iterable

from .events import Event

log = logging.getLogger("clusterscope.engine")

Subscriber = Callable[[Event], None]


class EventBus:
    """Subscribers are called on the engine's thread, in order, one event at a time; a
    subscriber that needs another thread (a GUI) hands the event over itself."""

    def __init__(self):
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def publish(self, events: Iterable[Event]) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for event in events:
            for callback in subscribers:
                try:
                    callback(event)
                except Exception:
                    log.exception("event subscriber %r failed on %s", callback, event.kind)


class EventLog:
    """A subscriber that keeps every event and lets a thread wait for one (tests, CLI)."""

    def __init__(self, bus: EventBus | None = None):
        self.events: list[Event] = []
        self._cond = threading.Condition()
        self._unsubscribe = bus.subscribe(self) if bus is not None else None

    def __call__(self, event: Event) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def of_kind(self, kind: str) -> list[Event]:
        with self._cond:
            return [e for e in self.events if e.kind == kind]

    def wait_for(self, kind: str, predicate=lambda e: True, timeout: float = 10.0, start: int = 0) -> Event:
        """The first event of ``kind`` (from index ``start``) matching ``predicate``; raises
        TimeoutError if none arrives within ``timeout`` seconds."""
        with self._cond:
            index = start
            ok = self._cond.wait_for(lambda: self._find(kind, predicate, index) is not None, timeout)
            if not ok:
                raise TimeoutError(f"no {kind} event within {timeout} s")
            return self._find(kind, predicate, index)

    def _find(self, kind, predicate, start):
        for e in self.events[start:]:
            if e.kind == kind and predicate(e):
                return e
        return None

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
