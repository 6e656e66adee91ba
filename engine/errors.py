"""Errors the engine raises for bad input, reported as one line by every front end."""


class ClusterScopeError(Exception):
    """Base class for errors that a front end reports as one clear line."""


class UsageError(ClusterScopeError):
    """Bad input from the user: a file, a size, a word, a node id, an option."""


class ClusterError(ClusterScopeError):
    """The cluster could not do what was asked (not started, stopped, timed out)."""


class ClusterFailedError(ClusterError):
    """The cluster's engine itself failed (a bug, not the user's input): exit status 3."""


class StorageError(ClusterError):
    """The cluster's disks could not store what was asked (full, read-only, failing)."""


class TimedOut(ClusterError):
    """A wait ended at its timeout before the cluster got there."""


class OutputError(ClusterScopeError):
    """A result could not be written where it was asked for (standard output, a report
    folder, a generated file): the disk filled or the device failed. Exit status 3."""
