"""No screen to draw on: one plain line, no traceback, and a growing wait under systemd."""
import subprocess

from tests.conftest import PYTHON, ROOT


def test_retry_delay_grows_to_five_minutes():
    from kiosk.platform.nodisplay import retry_delay

    assert [retry_delay(n) for n in (1, 2, 3, 4, 5, 6, 7, 20)] == [10, 20, 40, 80, 160, 300, 300, 300]


def test_failures_are_counted_in_the_runtime_directory_and_forgotten(tmp_path):
    from kiosk.platform.nodisplay import count_failure, forget_failures

    env = {"RUNTIME_DIRECTORY": str(tmp_path)}
    assert [count_failure(env) for _ in range(3)] == [1, 2, 3]
    forget_failures(env)
    assert count_failure(env) == 1
    assert count_failure({}) is None  # not under the unit: no count, no wait


def test_the_wait_extends_systemds_start_timeout(tmp_path, monkeypatch):
    import socket

    from kiosk.platform.nodisplay import wait_before_exit

    path = tmp_path / "notify.sock"
    slept = []
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(str(path))
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        wait_before_exit(70, "sdl2: kmsdrm not available", sleep=slept.append)
        messages = [server.recv(200).decode() for _ in range(4)]
    assert slept == [30, 30, 10]
    assert messages[0] == "STATUS=No screen (sdl2: kmsdrm not available); next try in 70 s"
    assert messages[1:] == ["EXTEND_TIMEOUT_USEC=60000000"] * 2 + ["EXTEND_TIMEOUT_USEC=40000000"]


def test_main_without_a_screen_says_so_in_one_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"),
           "SDL_VIDEODRIVER": "kmsdrm", "KIVY_WINDOW": "sdl2", "SDL_AUDIODRIVER": "dummy"}
    result = subprocess.run([PYTHON, str(ROOT / "main.py"), "--db", str(tmp_path / "k.db")], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 3, output
    errors = [line for line in output.splitlines() if " ERROR " in line or "CRITICAL" in line]
    assert len(errors) == 1 and "no screen to draw on (sdl2: kmsdrm not available)" in errors[0], output
    assert "Traceback" not in output and 'File "' not in output, output
    assert "Next try" not in output  # not under the unit: no wait
