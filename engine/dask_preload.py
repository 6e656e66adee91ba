"""Loaded into every Dask worker that ClusterScope starts (``dask worker --preload
engine.dask_preload``): the worker exits as soon as the process that started it is gone,
killed or not, as the local engine's nodes do, so no worker outlives its cluster. On the
way out it removes the cluster's temporary folder (the parent's janitor may have removed it
already, before a worker still starting made its scratch folder there again)."""

from __future__ import annotations

import os
import shutil
import threading
import time

CHECK_S = 0.2


def dask_setup(worker) -> None:
    # the parent as it was when it started this worker (it may have died while the worker
    # was still importing Dask, and the worker been handed to another parent since)
    parent = int(os.environ.get("CLUSTERSCOPE_PARENT_PID") or os.getppid())
    folder = os.environ.get("CLUSTERSCOPE_FOLDER", "")

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(CHECK_S)
        if folder and os.path.basename(folder).startswith("clusterscope-dask-"):
            shutil.rmtree(folder, ignore_errors=True)
        os._exit(0)

    threading.Thread(target=watch, name="clusterscope-parent-watch", daemon=True).start()
