"""Multisampling only where a GPU draws (kiosk/cli.py): on the CPU it cost 60 ms of the start and half of
every frame."""
import subprocess

from kiosk.cli import gpu_draws
from tests.conftest import PYTHON, ROOT


def render_node(drm, dev, name: str, driver: str | None) -> None:
    (drm / name / "device").mkdir(parents=True)
    if driver:
        (drm / "drivers" / driver).mkdir(parents=True, exist_ok=True)
        (drm / name / "device" / "driver").symlink_to(drm / "drivers" / driver)
    dev.mkdir(exist_ok=True)
    (dev / name).touch()


def test_a_gpus_render_node_means_a_gpu_unless_software_is_asked_for(tmp_path, monkeypatch):
    monkeypatch.delenv("LIBGL_ALWAYS_SOFTWARE", raising=False)
    monkeypatch.delenv("GALLIUM_DRIVER", raising=False)
    drm, dev = tmp_path / "drm", tmp_path / "dri"
    assert not gpu_draws(drm, dev)
    (drm / "card0").mkdir(parents=True)  # a display without a render node: llvmpipe draws
    assert not gpu_draws(drm, dev)
    render_node(drm, dev, "renderD128", "virtio_gpu")  # the device rig's virtual machine: still llvmpipe
    render_node(drm, dev, "renderD130", None)  # no driver to be seen
    assert not gpu_draws(drm, dev)
    render_node(drm, dev, "renderD129", "v3d")  # a Raspberry Pi 4 or 5
    assert gpu_draws(drm, dev)
    monkeypatch.setenv("LIBGL_ALWAYS_SOFTWARE", "no")  # Mesa's word for false
    assert gpu_draws(drm, dev)
    for variable, value in (("LIBGL_ALWAYS_SOFTWARE", "true"), ("GALLIUM_DRIVER", "llvmpipe")):
        with monkeypatch.context() as patch:
            patch.setenv(variable, value)
            assert not gpu_draws(drm, dev)
    (dev / "renderD129").unlink()  # not there for this user (as a node it may not open): Mesa falls back
    assert not gpu_draws(drm, dev)


def read_multisamples(env: dict) -> str:
    code = ("import argparse, os\nfrom kiosk import cli\n"
            "cli._kivy_environment(argparse.Namespace(size=None, windowed=True))\n"
            "print(os.environ['KCFG_GRAPHICS_MULTISAMPLES'])\n")
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_kiosk_draws_without_multisampling_on_the_cpu_and_an_operator_may_choose(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path), "LIBGL_ALWAYS_SOFTWARE": "1"}
    assert read_multisamples(env) == "0"
    assert read_multisamples({**env, "KCFG_GRAPHICS_MULTISAMPLES": "4"}) == "4"
