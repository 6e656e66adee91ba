"""Can a window be opened here? Answered before Qt is imported, because when Qt's platform
plugin cannot load (missing system libraries) or ``DISPLAY`` names no reachable X server,
``QApplication()`` aborts the whole process (SIGABRT) instead of raising.

Checked without Qt: the platform asked for, the display variables, the X server's socket,
and the system libraries the xcb plugin links against (``ldd``), each missing one named with
the Debian/Ubuntu package that provides it.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys

HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb")

# The libraries Qt's xcb plugin needs that a minimal Debian or Ubuntu may lack, and their packages.
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}


def xcb_plugin_path() -> str | None:
    """Qt's xcb platform plugin inside the installed PySide6 (found without importing Qt)."""
    import importlib.util
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(list(spec.submodule_search_locations)[0], "Qt", "plugins", "platforms", "libqxcb.so")
    return path if os.path.exists(path) else None


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` printed as "not found", each once, in order."""
    out = []
    for name in re.findall(r"^\s*(\S+)\s+=>\s+not found", ldd_output, flags=re.M):
        if name not in out:
            out.append(name)
    return out


def install_hint(libraries) -> str:
    packages = [DEBIAN_PACKAGES[lib] for lib in libraries if lib in DEBIAN_PACKAGES]
    unknown = [lib for lib in libraries if lib not in DEBIAN_PACKAGES]
    hint = f"sudo apt-get install {' '.join(packages)}" if packages else ""
    if unknown:
        hint += ("; and the packages providing " if hint else "install the packages providing ") + ", ".join(unknown)
    return hint


def xcb_missing_libraries() -> list[str]:
    plugin = xcb_plugin_path()
    ldd = shutil.which("ldd")
    if plugin is None or ldd is None:
        return []
    try:
        out = subprocess.run([ldd, plugin], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return missing_libraries(out)


def x_server_answers(display: str, timeout: float = 1.0) -> bool:
    """Whether an X server accepts connections at ``display`` (":0", "host:0.0", "unix:1")."""
    match = re.fullmatch(r"(?:(?P<host>[^:]*):)?(?P<number>\d+)(?:\.\d+)?", display.strip())
    if match is None:
        return False
    host, number = match.group("host") or "", int(match.group("number"))
    if host in ("", "unix"):
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(timeout)
                s.connect(f"/tmp/.X11-unix/X{number}")
            return True
        except OSError:
            if host == "unix":
                return False
        host = "localhost"  # no local socket: a server may still listen on TCP
    try:
        with socket.create_connection((host, 6000 + number), timeout=timeout):
            return True
    except OSError:
        return False


def display_problem(environ=None, platform: str | None = None) -> str | None:
    """Why Qt could not open a window here (one sentence), or None if it can."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    qpa = env.get("QT_QPA_PLATFORM", "").split(":")[0]
    if qpa in HEADLESS_PLATFORMS:
        return None
    if not platform.startswith("linux"):
        return None
    if qpa == "wayland" or (not qpa and env.get("WAYLAND_DISPLAY")):
        return None
    display = env.get("DISPLAY")
    if not display:
        return "neither DISPLAY nor WAYLAND_DISPLAY is set"
    missing = xcb_missing_libraries()
    if missing:
        return (f"Qt's xcb platform plugin cannot load: the system lacks {', '.join(missing)}; "
                f"{install_hint(missing)}")
    if not x_server_answers(display):
        return f"no X server answers at DISPLAY={display}"
    return None
