"""The cyclic garbage collector and the GUI thread.

A full collection walks every container object the process holds, on the thread that
happens to allocate when it is due: here, mostly the GUI thread. With the window up and a
100-node cluster stored, that is about 170,000 objects, and a full pass stalled a frame by
50 to 100 ms. Most of them (modules, classes, functions, the widgets and plots themselves)
live as long as the process, so once the first window is built they are moved out of the
collector's reach (``gc.freeze``): full passes then walk only what was made since. Objects
that die are still freed by reference counting; only a cycle among the frozen ones would
never be collected, and those are the process's own lifetime objects.
"""

from __future__ import annotations

import gc


def keep_startup_objects_out_of_full_collections() -> bool:
    """Collect once, then freeze everything alive; once per process (True if it did)."""
    if gc.get_freeze_count():
        return False
    gc.collect()
    gc.freeze()
    return True
