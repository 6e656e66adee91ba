"""Standard output that fails the way the command line promises.

A full disk or a failing device behind standard output (``> /dev/full``) is one line on
stderr and exit status 3, found at the first write or at the final flush, never a traceback
at exit. A reader that went away (``| head -1`` after head has read its line) ends the
command quietly with exit status 141, as a command killed by SIGPIPE ends in a shell.
Either way standard output is then pointed at /dev/null, so that nothing left in its buffer
fails again when Python exits.
"""

from __future__ import annotations

import errno
import os
import sys

from engine.errors import OutputError

EXIT_PIPE = 141  # 128 + SIGPIPE


class OutputClosed(Exception):
    """The reader of standard output went away: the command ends quietly (exit 141)."""


class CheckedOutput:
    """A text stream (``sys.stdout``) whose write and flush raise OutputClosed or
    OutputError instead of OSError; everything else is the stream's own."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            self._failed(exc)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            self._failed(exc)

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def _failed(self, exc: OSError):
        _discard(self._stream)
        if exc.errno == errno.EPIPE:
            raise OutputClosed() from None
        raise OutputError(f"cannot write to standard output ({exc.strerror or exc})") from None


def _discard(stream) -> None:
    """Point ``stream``'s file descriptor at /dev/null (when it has one)."""
    try:
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is both
        return
    try:
        os.dup2(null, fd)
    except OSError:
        pass
    finally:
        os.close(null)


def say(line: str) -> None:
    """``line`` on stderr; if stderr itself cannot be written, there is nowhere to say it."""
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass
