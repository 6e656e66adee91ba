"""The engine's own words shown in the window (a job's status, a verdict, a task's phase, a
node's process state, who found a corrupt replica, an operation's name), translated in the
``words`` context. The engine speaks in stable English keys; the window says them in the
user's language. An unknown key is shown as it is, never dropped."""

from __future__ import annotations

from .i18n import translate


def _lookup(table: dict, key) -> str:
    text = table.get(str(key))
    return text() if text is not None else str(key)


def status(key) -> str:
    """A job's status: ok, incomplete, failed, running."""
    return _lookup({"ok": lambda: translate("words", "ok"), "incomplete": lambda: translate("words", "incomplete"),
                    "failed": lambda: translate("words", "failed"), "running": lambda: translate("words", "running")},
                   key)


def verdict(key) -> str:
    """A verdict against the single-process reference: exact, incomplete, wrong, failed."""
    return _lookup({"exact": lambda: translate("words", "exact"), "incomplete": lambda: translate("words", "incomplete"),
                    "wrong": lambda: translate("words", "wrong"), "failed": lambda: translate("words", "failed")}, key)


def phase(key) -> str:
    return _lookup({"map": lambda: translate("words", "map"), "reduce": lambda: translate("words", "reduce"),
                    "shuffle": lambda: translate("words", "shuffle")}, key)


def process(key) -> str:
    return _lookup({"running": lambda: translate("words", "running"), "paused": lambda: translate("words", "paused"),
                    "killed": lambda: translate("words", "killed")}, key)


def detected_by(key) -> str:
    return _lookup({"scanner": lambda: translate("words", "the block scanner"),
                    "task": lambda: translate("words", "a task reading it"),
                    "replication": lambda: translate("words", "a re-replication copy")}, key)


def operation(key) -> str:
    """The name of what the window asked the cluster to do (in '{0} failed: {1}')."""
    table = {"start": lambda: translate("words", "Starting the cluster"), "put": lambda: translate("words", "Store"),
             "count": lambda: translate("words", "Count"), "wordcount": lambda: translate("words", "Wordcount"),
             "kill": lambda: translate("words", "Kill"), "pause": lambda: translate("words", "Pause"),
             "resume": lambda: translate("words", "Resume"), "restart": lambda: translate("words", "Restart"),
             "corrupt": lambda: translate("words", "Corrupt a replica"),
             "freeze": lambda: translate("words", "Pause cluster"), "thaw": lambda: translate("words", "Resume cluster"),
             "add node": lambda: translate("words", "Add node"), "scenario": lambda: translate("words", "Scenario")}
    key = str(key)
    if key.startswith("tour-"):
        return translate("words", "Tour step")
    if key.startswith("demo-"):
        return translate("words", "Demo")
    return _lookup(table, key)
