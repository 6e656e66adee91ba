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


# What a front end may use of the engine: the backend interface, its typed vocabulary, the
# event stream and the pure helpers around it. Everything behind the interface is internal.
ENGINE_PUBLIC = {"backend", "model", "events", "bus", "config", "errors", "sizes", "values", "text", "recording",
                 "blocks", "corpus", "verdict", "view", "settle", "tempfiles", "processes", "palette",
                 "run", "faults", "measures", "scenario"}
ENGINE_INTERNAL = {"cluster", "coordinator", "membership", "blockmap", "transfers", "telemetry", "jobs",
                   "node", "storage", "messages", "placement", "logs", "datadir",
                   "toml_reader", "toml_lines", "fault_plan", "links", "engine_loop", "spawning",
                   "dask_cluster", "dask_tasks", "dask_preload", "memsearch", "task_board"}
FRONT_ENDS = ("cli", "gui", "experiments", "bench")


def _sources(folder):
    base = os.path.join(ROOT, folder)
    for name in sorted(os.listdir(base)):
        if name.endswith(".py"):
            yield f"{folder}/{name}", os.path.join(base, name)


def test_every_engine_module_is_either_public_or_internal():
    modules = {name[:-3] for name in os.listdir(os.path.join(ROOT, "engine"))
               if name.endswith(".py") and name != "__init__.py"}
    assert modules == ENGINE_PUBLIC | ENGINE_INTERNAL, modules ^ (ENGINE_PUBLIC | ENGINE_INTERNAL)
    assert not ENGINE_PUBLIC & ENGINE_INTERNAL


def test_front_ends_talk_to_a_cluster_only_through_the_interface():
    offenders = []
    files = [f for folder in FRONT_ENDS for f in _sources(folder)] + [("main.py", os.path.join(ROOT, "main.py"))]
    for label, path in files:
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] == "engine" and len(parts) > 1 and parts[1] not in ENGINE_PUBLIC:
                offenders.append(f"{label} imports {module}")
    assert offenders == []


def test_nothing_below_imports_the_front_ends():
    offenders = []
    for label, path in _sources("engine"):
        for module in _imports(path):
            if module.split(".")[0] in FRONT_ENDS:
                offenders.append(f"{label} imports {module}")
    for label, path in _sources("experiments"):
        for module in _imports(path):
            if module.split(".")[0] in ("gui", "cli", "bench"):
                offenders.append(f"{label} imports {module}")
    assert offenders == []


_BOUNDARY_OBJECTS = ("backend", "cluster", "bridge", "core", "state")


def test_front_ends_use_no_private_member_of_a_cluster_a_bridge_or_a_state():
    """``bridge._run``, ``core._next_sample``, ``cluster._links``: what a front end needs is
    on the interface (engine.backend), the run layer (engine.run) or the bridge's methods."""
    offenders = []
    files = [f for folder in FRONT_ENDS for f in _sources(folder)]
    for label, path in files:
        tree = ast.parse(open(path, encoding="utf-8").read(), path)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")):
                continue
            owner = node.value
            name = owner.attr if isinstance(owner, ast.Attribute) else owner.id if isinstance(owner, ast.Name) else ""
            if name.lstrip("_").endswith(_BOUNDARY_OBJECTS):
                offenders.append(f"{label}:{node.lineno} uses {ast.unparse(node)}")
    assert offenders == []


# -- the gui's own modules ------------------------------------------------------------------

def _gui_imports(path, modules):
    """The gui modules that ``path`` imports, at the top or inside functions: ``from .x
    import``, ``from . import x``, ``from gui.x import``, ``from gui import x``, ``import gui.x``."""
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "gui" and len(parts) > 1:
                    found.add(parts[1])
        elif isinstance(node, ast.ImportFrom):
            if node.level == 1 or (node.level == 0 and node.module and node.module.split(".")[0] == "gui"):
                parts = (node.module or "").split(".")
                if node.level == 0:
                    parts = parts[1:]
                if parts and parts[0]:
                    found.add(parts[0])
                else:  # from . import x, from gui import x
                    found.update(alias.name for alias in node.names)
    return found & modules


def _gui_graph():
    modules = {name[:-3] for name in os.listdir(os.path.join(ROOT, "gui")) if name.endswith(".py")}
    return {m: _gui_imports(os.path.join(ROOT, "gui", f"{m}.py"), modules) - {m} for m in modules}


def _cycle(graph):
    """One import cycle of ``graph`` as a list of modules (first == last), or None."""
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == "open":
                return stack[stack.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = "done"
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def _reachable(graph, start):
    """module -> the import path from ``start`` to it, for every module ``start`` imports
    directly or through others."""
    paths, todo = {start: [start]}, [start]
    while todo:
        m = todo.pop()
        for n in sorted(graph[m]):
            if n not in paths:
                paths[n] = paths[m] + [n]
                todo.append(n)
    return paths


def test_the_cycle_finder_finds_cycles():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_gui_modules_import_each_other_without_cycles():
    cycle = _cycle(_gui_graph())
    assert cycle is None, "import cycle among gui modules: " + " -> ".join(cycle)


def test_the_replay_bridge_is_below_the_app_and_the_main_window():
    paths = _reachable(_gui_graph(), "replay")
    offenders = [" -> ".join(paths[m]) for m in ("app", "main_window") if m in paths]
    assert offenders == []
