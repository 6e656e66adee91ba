"""The one interface through which every front end (the desktop app, the command line,
experiments, benchmarks) drives a cluster, and the registry that opens one by name.

A backend runs a cluster somewhere (``LocalCluster``: node processes on this machine) and
speaks only the typed vocabulary of ``engine.model`` plus the event stream of
``engine.events``. Front ends get one from ``open_backend(name, config)`` and never import
what is behind it.
"""

from __future__ import annotations

import importlib
from typing import Callable, ClassVar, Protocol, runtime_checkable

from .config import ClusterConfig
from .errors import UsageError
from .events import Event
from .model import Health, JobResult, JobSpec, Snapshot, StoredFile
from .settle import Settlement

Condition = Callable[[Snapshot], bool]


@runtime_checkable
class ClusterBackend(Protocol):
    """A running (or startable) cluster. Every method may be called from any thread and
    none blocks for long unless it says it waits. Bad input raises ``UsageError``, a cluster
    that cannot do what was asked ``ClusterError`` (``ClusterFailedError`` if its engine
    failed); both carry one line for the user."""

    name: ClassVar[str]  # the backend's registry name
    config: ClusterConfig
    t0: float  # time.monotonic() at start; every event's t is seconds after it

    # -- lifecycle and the event stream -------------------------------------------------
    def start(self, timeout: float = 30.0) -> "ClusterBackend": ...
    def stop(self, timeout: float = 3.0) -> None: ...
    def __enter__(self) -> "ClusterBackend": ...  # started if it was not
    def __exit__(self, *exc) -> None: ...  # stopped
    def subscribe(self, callback: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``callback`` with every event from now on; returns the unsubscribe function."""

    # -- storage and jobs ---------------------------------------------------------------
    def put(self, path: str, name: str | None = None, timeout: float = 600.0) -> StoredFile: ...
    def delete_file(self, name: str) -> None: ...
    def files(self) -> dict[str, tuple[int, ...]]: ...
    def submit(self, spec: JobSpec) -> int: ...
    def wait_job(self, job_id: int, timeout: float = 600.0) -> JobResult: ...
    def run_job(self, spec: JobSpec, timeout: float = 600.0) -> JobResult: ...

    # -- faults and membership ----------------------------------------------------------
    def kill_node(self, node_id: int) -> int: ...
    def pause_node(self, node_id: int) -> None: ...
    def resume_node(self, node_id: int) -> None: ...
    def restart_node(self, node_id: int) -> int: ...
    def add_node(self) -> int: ...
    def corrupt_replica(self, node_id: int, block_id: int | None = None) -> int: ...
    def set_disk_speed(self, node_id: int, mbps: float | None) -> None: ...
    def freeze(self) -> None: ...
    def thaw(self) -> None: ...

    # -- queries and waiting ------------------------------------------------------------
    def snapshot(self) -> Snapshot: ...
    def health(self) -> Health: ...
    def node_pids(self) -> dict[int, int]: ...
    def settlement(self) -> Settlement: ...
    def wait_for(self, condition: Condition | type | tuple, timeout: float) -> Snapshot | Event | None:
        """Wait for a state or an event: ``condition`` is a predicate of a ``Snapshot`` (the
        first snapshot, taken after an engine step, for which it holds), an event class, or
        ``(event class, predicate)`` (the first such event published from now on). None on
        timeout."""
    def wait_settled(self, timeout: float) -> Settlement:
        """Wait until nothing more can be done; the last settlement (``settled`` False on
        timeout, saying what it still waited for)."""


BackendFactory = Callable[[ClusterConfig], ClusterBackend]

# name -> "module:attribute" of its factory (imported when first opened) or the factory
_REGISTRY: dict[str, str | BackendFactory] = {"local": "engine.cluster:LocalCluster",
                                               "dask": "engine.dask_cluster:DaskCluster"}


def register_backend(name: str, factory: str | BackendFactory) -> None:
    _REGISTRY[name] = factory


def backend_names() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))


def backend_factory(name: str) -> BackendFactory:
    entry = _REGISTRY.get(name)
    if entry is None:
        raise UsageError(f"unknown backend {name!r} (backends: {', '.join(backend_names())})")
    if isinstance(entry, str):
        module, _, attribute = entry.partition(":")
        entry = getattr(importlib.import_module(module), attribute)
        _REGISTRY[name] = entry
    return entry


def open_backend(name: str | None = None, config: ClusterConfig | None = None) -> ClusterBackend:
    """A cluster of the named backend (None: the one ``config.backend`` names) for
    ``config``, not started yet."""
    config = config or ClusterConfig()
    return backend_factory(name or config.backend)(config)
