"""ClusterScope entry point: ``python main.py`` or ``clusterscope`` (the desktop app), or a
headless subcommand (``count``, ``wordcount``, ``generate-corpus``, ``demo``).

Ctrl-C, SIGTERM and SIGHUP are handled from the first line on, before the second or so of
imports: each ends the command with one line and exit status 130, whenever it comes.
"""

import os
import signal
import sys

EXIT_INTERRUPTED = 130

_armed = False  # main() is running and catches KeyboardInterrupt
_pending = False  # a signal came before that


def _interrupt(signum, frame):
    global _pending
    if not _armed:
        _pending = True  # raised as soon as main() can catch it
        return
    raise KeyboardInterrupt


def _install_handlers(handler) -> None:
    """``handler`` for SIGINT, SIGTERM and SIGHUP, except where the signal is ignored (as
    ``nohup`` ignores SIGHUP, or a shell ignores SIGINT for a background job)."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) is not signal.SIG_IGN:
            signal.signal(sig, handler)


_install_handlers(_interrupt)  # first of all: the imports below take a moment


def _say_interrupted() -> None:
    language = sys.modules.get("cli.language")  # in the command line's language once it is chosen
    text = "clusterscope: interrupted" if language is None else language.translate("cli", "clusterscope: interrupted")
    try:
        os.write(2, (text + "\n").encode("utf-8", "replace"))
    except OSError:
        pass


def _interrupted() -> int:
    """Say so once; a further signal while leaving only ends the process sooner."""
    _install_handlers(lambda signum, frame: os._exit(EXIT_INTERRUPTED))
    _say_interrupted()
    return EXIT_INTERRUPTED


def _interrupted_while_leaving(signum, frame):
    """A signal after the command is done, while Python waits for its threads to end."""
    _install_handlers(lambda signum, frame: os._exit(EXIT_INTERRUPTED))
    _say_interrupted()
    os._exit(EXIT_INTERRUPTED)


def main() -> int:
    global _armed
    try:
        _armed = True
        if _pending:
            raise KeyboardInterrupt
        from cli.commands import main as cli_main
        status = cli_main(sys.argv[1:])
        _install_handlers(_interrupted_while_leaving)
    except KeyboardInterrupt:
        return _interrupted()
    return status


if __name__ == "__main__":
    sys.exit(main())
