"""Wijkkiosk: start the kiosk, or run one of its commands (kiosk/cli.py; `python main.py --help`)."""
import gc
import sys

if __name__ == "__main__":
    # No garbage collection while the kiosk starts: what it makes before its first frame lives as long as
    # the kiosk, and the collector's passes over it took 15-20 ms of that start (docs/benchmarks.md).
    # kiosk/app.py turns it on after the first frame, kiosk/cli.py at once for the commands.
    # Under the guard: a multiprocessing child (sync/isolated.py) runs this file too, and collects as usual.
    gc.disable()
    from kiosk import methodcache

    methodcache.install()  # the dataclasses' methods, compiled once (before the first dataclass is made)
    from kiosk.cli import main

    sys.exit(main())
