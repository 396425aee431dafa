"""The device rig's guest image: Debian Bookworm with systemd, KMS, Mesa and the project's venv.

    python -m tests.device.image            # build once (cached), print the cache folder
    python -m tests.device.image --rebuild  # build again

The image stands in for Raspberry Pi OS Lite (64-bit, Bookworm): the same Debian release, systemd as
PID 1, no desktop, the kiosk drawing through DRM/KMS (here virtio-gpu; on the Pi vc4-kms-v3d). It is
made with mmdebstrap (Debian's packages), turned into an ext4 file with `mke2fs -d` (no loop device,
no mount), and booted by tests/device/guest.py with the kernel and initrd taken out of it.

The project's virtual environment is made in the chroot, on the host, as `pip install` of the
project's dependencies (pyproject.toml): the guest never downloads anything. The project's own code
is not in the image: each scenario installs it from a read-only 9p share, as the install guide says.
The cache key is a hash of the recipe (packages, the project's dependencies from pyproject.toml, the
customisation), so a new dependency rebuilds the image and a change of the project's code does not.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUITE = "bookworm"
MIRRORS = [
    "deb http://deb.debian.org/debian bookworm main",
    "deb http://deb.debian.org/debian bookworm-updates main",
    "deb http://deb.debian.org/debian-security bookworm-security main",
]
# What Raspberry Pi OS Lite has, or the install guide installs (python3-venv, libgl1, libegl1,
# libmtdev1, espeak-ng), plus the rig's own helpers in the guest: the guest agent (commands from the
# host) and python3-evdev (the virtual touchscreen, tests/device/guest/touchscreen.py).
PACKAGES = [
    "systemd", "systemd-sysv", "systemd-timesyncd", "udev", "dbus", "kmod", "procps", "iproute2",
    "linux-image-amd64", "initramfs-tools", "ca-certificates",
    "python3", "python3-venv", "libgl1", "libegl1", "libgl1-mesa-dri", "libgbm1", "libmtdev1", "espeak-ng",
    "qemu-guest-agent", "python3-evdev",
]
IMAGE_SIZE = "4G"
HOME = "/home/kiosk/wijkkiosk"


def cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wijkkiosk-rig"


def dependencies() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return list(project["dependencies"])


def cache_key() -> str:
    """A hash of everything that goes into the image (not of the project's code: that comes over 9p)."""
    recipe = [SUITE, MIRRORS, PACKAGES, IMAGE_SIZE, dependencies(), _customize_hooks(Path("/wheels"))]
    return hashlib.sha256(json.dumps(recipe).encode()).hexdigest()[:16]


def image_dir() -> Path:
    return cache_root() / cache_key()


def missing_programs() -> list[str]:
    return [p for p in ("mmdebstrap", "mke2fs", "qemu-system-x86_64", "qemu-img") if shutil.which(p) is None]


def download_wheels(folder: Path) -> None:
    """The project's dependencies as wheels, fetched by the host's pip (the guest has no network)."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                    "--only-binary=:all:", "--dest", str(folder), *dependencies()], check=True)


def _customize_hooks(wheels: Path) -> list[str]:
    """Shell run by mmdebstrap with the new root as $1, after the packages are in."""
    deps = " ".join(f"'{d}'" for d in dependencies())
    fstab = ("/dev/vda / ext4 defaults,noatime 0 1\n"
             "project /mnt/project 9p trans=virtio,version=9p2000.L,ro,msize=262144,nofail 0 0\n")
    return [
        'echo wijkkiosk-rig > "$1/etc/hostname"',
        f"printf '{fstab}' > \"$1/etc/fstab\"",
        'mkdir -p "$1/mnt/project"',
        # the user of the install guide, in the groups it names
        'chroot "$1" useradd --create-home --shell /bin/bash --groups video,render,input,audio kiosk',
        'chroot "$1" passwd --delete root',
        # the install guide's venv, made here (on the host) so the guest needs no network
        f'chroot "$1" runuser -u kiosk -- python3 -m venv {HOME}/.venv',
        'mkdir -p "$1/tmp/wheels"',
        f'sync-in {wheels} /tmp/wheels',
        f'chroot "$1" runuser -u kiosk -- {HOME}/.venv/bin/pip install --no-cache-dir -q '
        f'--disable-pip-version-check --no-index --find-links /tmp/wheels {deps}',
        'rm -rf "$1/tmp/wheels"',
        # nothing that wakes up on its own to compete with the scenarios for the two cores
        'chroot "$1" systemctl mask apt-daily.timer apt-daily-upgrade.timer man-db.timer '
        'e2scrub_all.timer fstrim.timer dpkg-db-backup.timer systemd-tmpfiles-clean.timer',
        'chroot "$1" systemctl set-default multi-user.target',
    ]


def _unmount_below(folder: Path) -> None:
    mounts = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
    for mount in sorted((m for m in mounts if m.startswith(f"{folder}/")), key=len, reverse=True):
        subprocess.run(["umount", "--lazy", mount], check=False)


def build(force: bool = False, log=print) -> Path:
    """Build the image unless a current one is cached; return its folder (rootfs.img, vmlinuz, initrd.img)."""
    target = image_dir()
    if (target / "rootfs.img").exists() and not force:
        return target
    missing = missing_programs()
    if missing:
        raise RuntimeError(f"the device rig needs {', '.join(missing)} (apt-get install mmdebstrap qemu-system-x86 "
                           "qemu-utils e2fsprogs)")
    work = target.with_name(target.name + ".building")
    _unmount_below(work)  # a build that was killed can leave the chroot's /proc, /sys and /dev mounted
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    rootfs = work / "rootfs"
    started = time.monotonic()
    download_wheels(work / "wheels")
    command = ["mmdebstrap", "--mode=root", "--variant=apt", "--quiet",
               f"--include={','.join(PACKAGES)}",
               "--aptopt=Acquire::Retries \"3\"", "--dpkgopt=path-exclude=/usr/share/doc/*",
               "--dpkgopt=path-exclude=/usr/share/man/*", "--dpkgopt=path-exclude=/usr/share/locale/*",
               *(f"--customize-hook={hook}" for hook in _customize_hooks(work / "wheels")),
               SUITE, str(rootfs), *MIRRORS]
    log(f"rig: building the guest image in {work} (mmdebstrap, pip in the chroot)")
    subprocess.run(command, check=True)
    for name in ("vmlinuz", "initrd.img"):
        shutil.copy(max((rootfs / "boot").glob(f"{name}-*")), work / name)
    built = time.monotonic()
    subprocess.run(["mke2fs", "-q", "-t", "ext4", "-L", "root", "-d", str(rootfs), str(work / "rootfs.img"),
                    IMAGE_SIZE], check=True)
    shutil.rmtree(rootfs)
    shutil.rmtree(work / "wheels")
    (work / "timings.txt").write_text(f"mmdebstrap+pip {built - started:.0f} s, "
                                      f"mke2fs {time.monotonic() - built:.0f} s\n")
    shutil.rmtree(target, ignore_errors=True)
    work.rename(target)
    for old in cache_root().iterdir():  # images of older dependency sets
        if old != target and not old.name.endswith(".building"):
            shutil.rmtree(old, ignore_errors=True)
    log(f"rig: guest image ready in {time.monotonic() - started:.0f} s")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.device.image", description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build even when a current image is cached")
    args = parser.parse_args(argv)
    print(build(force=args.rebuild))
    return 0


if __name__ == "__main__":
    sys.exit(main())
