"""Shared fixtures: seeded corpora, clusters that are always stopped, process checks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)
for path in (ROOT, TESTS):
    if path not in sys.path:
        sys.path.insert(0, path)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The command line speaks the locale's language; the suite reads its English, whatever the
# machine's locale (tests of the Chinese command line set their own environment).
for _variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"

from engine.cluster import LocalCluster  # noqa: E402
from engine.config import ClusterConfig  # noqa: E402
from engine.corpus import write_corpus  # noqa: E402
from support import FAST, wait_gone  # noqa: E402


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("corpus")


@pytest.fixture(scope="session")
def small_corpus(corpus_dir) -> str:
    """2 MiB of seeded text: 8 blocks of 256 KiB."""
    path = str(corpus_dir / "small.txt")
    write_corpus(path, 2 * 1024 * 1024, seed=7)
    return path


@pytest.fixture(scope="session")
def unicode_corpus(corpus_dir) -> str:
    path = str(corpus_dir / "unicode.txt")
    lines = [
        "Straße straße STRASSE strasse café Café CAFÉ naïve",
        "数据 集群 数据,数据。data_1 data data-data data_data",
        "Ωmega ωmega ΩMEGA résumé resume RÉSUMÉ ǅemal",
        "  the there other the_the the1 1the the.",
    ]
    text = ("\n".join(lines) + "\n") * 3000
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


@pytest.fixture
def make_cluster():
    """Start clusters that are stopped after the test; and check no node process outlives it."""
    clusters: list[LocalCluster] = []
    pids: set[int] = set()

    def make(**overrides) -> LocalCluster:
        config = ClusterConfig(**{**FAST, **overrides})
        cluster = LocalCluster(config).start()
        clusters.append(cluster)
        return cluster

    yield make
    drifted = []
    for cluster in clusters:
        with cluster._state_lock:  # the block index, kept step by step, against a full rebuild
            if cluster.core.rebuild_index() or cluster.core.index_drifts:
                drifted.append(cluster.core.index_drifts)
    for cluster in clusters:
        pids.update(cluster.node_pids().values())
        for link in cluster._links.values():
            pids.add(link.pid)
        cluster.stop()
    assert wait_gone(sorted(pids), 5.0) == [], "node processes outlived their cluster"
    assert drifted == [], "the block index drifted from the block map"


@pytest.fixture
def small_disk(tmp_path):
    """``small_disk(size, options="")``: a tmpfs of ``size`` mounted in ``tmp_path`` (a disk
    that fills up, or with "ro" one that cannot be written even by root), unmounted after
    the test. Skips the test where mounting is not allowed."""
    mounted = []

    def mount(size, options=""):
        path = tmp_path / f"disk{len(mounted)}"
        os.makedirs(path, exist_ok=True)
        opts = f"size={size}" + (f",{options}" if options else "")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
        mounted.append(path)
        return path
    yield mount
    for path in mounted:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)
