"""Layering rules that a machine checks: the engine never imports Qt or the GUI."""

import ast
import os
import subprocess
import sys

from support import ROOT

FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "pyqtgraph", "gui", "cli", "shiboken6")


def _imports(path):
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_engine_sources_import_no_qt_gui_or_cli():
    engine = os.path.join(ROOT, "engine")
    offenders = []
    for name in sorted(os.listdir(engine)):
        if name.endswith(".py"):
            for module in _imports(os.path.join(engine, name)):
                if module.split(".")[0] in FORBIDDEN:
                    offenders.append(f"engine/{name} imports {module}")
    assert offenders == []


def test_engine_runs_with_qt_unimportable(tmp_path, small_corpus):
    # A cluster round trip in a fresh interpreter where importing Qt fails.
    script = f"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {FORBIDDEN!r}:
            raise ImportError('blocked ' + name)
sys.meta_path.insert(0, Block())
sys.path.insert(0, {ROOT!r})
from engine.cluster import LocalCluster
from engine.config import ClusterConfig
from engine.jobs import JobSpec
with LocalCluster(ClusterConfig(nodes=2, replication=1)).start() as c:
    c.put({small_corpus!r}, name='s')
    print(c.run_job(JobSpec('count', 's', word='the')).status)
assert not any(m.split('.')[0] in ('PySide6', 'pyqtgraph') for m in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
