"""One virtual device: QEMU boots the rig's image and the tests drive it only from outside.

- the screen: QMP `screendump` of the virtio-gpu scanout (DRM/KMS in the guest), as PNG;
- commands: the QEMU guest agent (`guest-exec`) over a virtio serial port;
- the project: a read-only 9p share of this checkout, mounted at /mnt/project in the guest;
- touch: tests/device/guest/touchscreen.py in the guest, a uinput multitouch panel (type B);
- no network card at all: every server a scenario needs runs on the guest's own loopback.

Each Guest boots a copy-on-write overlay of the cached image, so scenarios never change it.
"""
from __future__ import annotations

import base64
import json
import os
import shlex
import socket
import subprocess
import time
from pathlib import Path

from tests.device import image as rig_image

ROOT = rig_image.ROOT
WIDTH, HEIGHT = 800, 480  # the official 7-inch panel
TOUCH_FIFO = "/run/rig-touch"


class GuestError(RuntimeError):
    pass


class Guest:
    def __init__(self, workdir: Path, *, gpu: bool = True, rtc_base: str | None = None, log=print):
        self.workdir = workdir
        self.gpu = gpu
        self.rtc_base = rtc_base
        self.log = log
        self.image = rig_image.image_dir()
        self.overlay = workdir / "overlay.qcow2"
        self.qmp_path = workdir / "qmp.sock"
        self.qga_path = workdir / "qga.sock"
        self.serial = workdir / "serial.log"
        self.process: subprocess.Popen | None = None
        self._qmp: socket.socket | None = None
        self._qmp_file = None
        self.boot_seconds: float | None = None

    # -- the machine -----------------------------------------------------------------------------

    def command(self) -> list[str]:
        rtc = f"base={self.rtc_base},clock=host" if self.rtc_base else "base=utc,clock=host"
        args = [
            "qemu-system-x86_64", "-machine", "q35", "-cpu", "max", "-smp", "2", "-m", "2048",
            "-accel", "tcg,thread=multi", "-rtc", rtc,
            "-kernel", str(self.image / "vmlinuz"), "-initrd", str(self.image / "initrd.img"),
            "-append", "root=/dev/vda rw console=ttyS0 quiet loglevel=3 consoleblank=0 systemd.show_status=0",
            "-drive", f"file={self.overlay},if=virtio,format=qcow2,cache=unsafe",
            "-vga", "none", "-display", "none", "-nic", "none",
            "-virtfs", f"local,path={ROOT},mount_tag=project,security_model=none,readonly=on",
            "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
            "-chardev", f"socket,path={self.qga_path},server=on,wait=off,id=qga0",
            "-device", "virtio-serial", "-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0",
            "-serial", f"file:{self.serial}",
        ]
        if self.gpu:
            args += ["-device", f"virtio-gpu-pci,xres={WIDTH},yres={HEIGHT}"]
        return args

    def start(self, timeout: float = 240) -> None:
        """Boot and wait until the guest agent answers (systemd is up)."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        if not self.overlay.exists():
            subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b",
                            str(self.image / "rootfs.img"), str(self.overlay)], check=True)
        started = time.monotonic()
        self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                        stdout=(self.workdir / "qemu.log").open("w"), stderr=subprocess.STDOUT)
        self.wait_agent(timeout)
        self.boot_seconds = time.monotonic() - started

    def wait_agent(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise GuestError(f"QEMU ended: {(self.workdir / 'qemu.log').read_text()[-2000:]}")
            try:
                self._agent({"execute": "guest-ping"}, timeout=5)
                return
            except (OSError, GuestError, TimeoutError, json.JSONDecodeError):
                time.sleep(1)
        raise GuestError(f"the guest agent did not answer within {timeout:.0f} s; serial console:\n"
                         f"{self.serial.read_text(errors='replace')[-3000:]}")

    def reboot(self, timeout: float = 240) -> float:
        """`systemctl reboot` in the guest, as a power cut would not; the overlay keeps what was written."""
        started = time.monotonic()
        boot = self.boot_id()
        self.run("systemctl reboot", check=False, wait=False)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:  # the old boot's agent may answer for a while yet
            time.sleep(2)
            self.wait_agent(max(1.0, deadline - time.monotonic()))
            try:
                if self.boot_id() != boot:
                    return time.monotonic() - started
            except (OSError, GuestError, TimeoutError):
                continue
        raise GuestError(f"the guest did not come back from a reboot within {timeout:.0f} s")

    def boot_id(self) -> str:
        return self.run("cat /proc/sys/kernel/random/boot_id")[1].strip()

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            self.qmp("quit")
        except (OSError, GuestError):
            pass
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self._qmp is not None:
            self._qmp.close()
        self.process = None

    # -- QMP: the screen -------------------------------------------------------------------------

    def qmp(self, command: str, **arguments) -> dict:
        if self._qmp is None:
            self._qmp = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self._qmp.settimeout(60)
            self._qmp.connect(str(self.qmp_path))
            self._qmp_file = self._qmp.makefile("rwb")
            json.loads(self._qmp_file.readline())  # the greeting
            self._qmp_send("qmp_capabilities")
        return self._qmp_send(command, **arguments)

    def _qmp_send(self, command: str, **arguments) -> dict:
        message = {"execute": command, **({"arguments": arguments} if arguments else {})}
        self._qmp_file.write(json.dumps(message).encode() + b"\n")
        self._qmp_file.flush()
        while True:
            reply = json.loads(self._qmp_file.readline())
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise GuestError(f"QMP {command}: {reply['error']}")
            # an asynchronous event: skip

    def screenshot(self, path: Path) -> Path:
        """The panel as the guest's KMS scanout shows it, as PNG."""
        ppm = path.with_suffix(".ppm")
        self.qmp("screendump", filename=str(ppm))
        subprocess.run(["convert", str(ppm), str(path)], check=True, timeout=60)
        ppm.unlink()
        return path

    # -- the guest agent: commands ---------------------------------------------------------------

    def _agent(self, message: dict, timeout: float = 30) -> dict:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(self.qga_path))
            stream = sock.makefile("rwb")
            token = int(time.monotonic() * 1000) % 2**31
            # a guest-sync first, so that replies left over from an earlier connection are skipped
            stream.write(json.dumps({"execute": "guest-sync", "arguments": {"id": token}}).encode() + b"\n")
            stream.write(json.dumps(message).encode() + b"\n")
            stream.flush()
            synced = False
            while True:
                line = stream.readline()
                if not line:
                    raise GuestError("the guest agent closed the connection")
                line = line.strip(b"\xff\n ")
                if not line:
                    continue
                reply = json.loads(line)
                if not synced:
                    synced = reply.get("return") == token
                    continue
                if "error" in reply:
                    raise GuestError(f"guest agent: {reply['error']}")
                return reply.get("return")

    def run(self, command: str, *, check: bool = True, timeout: float = 120, wait: bool = True,
            stdin: str | None = None) -> tuple[int, str]:
        """Run a shell command as root in the guest; (exit code, stdout + stderr)."""
        arguments = {"path": "/bin/sh", "arg": ["-c", command], "capture-output": True}
        if stdin is not None:
            arguments["input-data"] = base64.b64encode(stdin.encode()).decode()
        pid = self._agent({"execute": "guest-exec", "arguments": arguments})["pid"]
        if not wait:
            return 0, ""
        deadline = time.monotonic() + timeout
        while True:
            status = self._agent({"execute": "guest-exec-status", "arguments": {"pid": pid}})
            if status.get("exited"):
                break
            if time.monotonic() > deadline:
                raise GuestError(f"guest command did not end within {timeout:.0f} s: {command}")
            time.sleep(0.3)
        output = "".join(base64.b64decode(status.get(key, "")).decode(errors="replace")
                         for key in ("out-data", "err-data"))
        code = status.get("exitcode", -1)
        if check and code != 0:
            raise GuestError(f"guest command failed ({code}): {command}\n{output[-3000:]}")
        return code, output

    def write(self, path: str, text: str, mode: str = "0644") -> None:
        self.run(f"mkdir -p {shlex.quote(os.path.dirname(path))} && cat > {shlex.quote(path)} && "
                 f"chmod {mode} {shlex.quote(path)}", stdin=text)

    def journal(self, unit: str = "wijkkiosk", since_boot: bool = True) -> str:
        return self.run(f"journalctl --no-pager -o cat {'-b ' if since_boot else ''}-u {unit}", check=False)[1]

    def tap(self, x: int, y: int, hold: float = 0.08) -> None:
        """A finger on the panel at screen pixel (x, y), through the guest's uinput touchscreen."""
        self.run(f"echo 'tap {int(x)} {int(y)} {hold}' > {TOUCH_FIFO}")
