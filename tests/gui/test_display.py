"""A display that cannot be opened is one line naming why, then the headless fallback; never
Qt's abort (SIGABRT inside QApplication)."""

import os
import socket
import subprocess
import sys

from support import ROOT

from gui import display


LDD = """\tlinux-vdso.so.1 (0x00007ffd)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibQt6Gui.so.6 => /x/libQt6Gui.so.6 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibweird.so.9 => not found
"""


def test_missing_libraries_are_named_with_their_debian_packages():
    missing = display.missing_libraries(LDD)
    assert missing == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libweird.so.9"]
    hint = display.install_hint(missing)
    assert hint.startswith("sudo apt-get install libxcb-icccm4 libxcb-keysyms1")
    assert "libweird.so.9" in hint
    assert display.install_hint(["libxcb-cursor.so.0"]) == "sudo apt-get install libxcb-cursor0"


def test_headless_platforms_and_wayland_need_no_x_server():
    assert display.display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display.display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display.display_problem({}, "darwin") is None
    assert "neither DISPLAY" in display.display_problem({}, "linux")


def test_an_x_server_is_found_by_its_socket(tmp_path, monkeypatch):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    try:
        if port >= 6000:
            assert display.x_server_answers(f"127.0.0.1:{port - 6000}")
        free = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        free.bind(("127.0.0.1", 0))
        unused = free.getsockname()[1]
        free.close()
        if unused >= 6000:
            assert not display.x_server_answers(f"127.0.0.1:{unused - 6000}")
    finally:
        server.close()
    assert not display.x_server_answers("not a display")
    assert not display.x_server_answers("unix:987")


def test_a_display_that_answers_nothing_is_one_line_and_the_headless_demo():
    # DISPLAY names a server that does not exist: Qt would abort inside QApplication().
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["DISPLAY"] = ":987"
    out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py")], capture_output=True, text=True,
                         timeout=120, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr  # not -6 (SIGABRT): the headless demo ran instead
    lines = [line for line in out.stderr.splitlines() if "no display available" in line]
    assert len(lines) == 1 and "Traceback" not in out.stderr and "Aborted" not in out.stderr
    assert ("no X server answers at DISPLAY=:987" in lines[0]
            or ("cannot load" in lines[0] and "apt-get install" in lines[0])), lines[0]
    assert "status: ok, exact" in out.stdout
