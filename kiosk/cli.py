"""The command line: start the kiosk, or run one of its commands (main.py hands over to `main`).

    python main.py [--config PATH] [--windowed] [--size WxH] [--feed PATH|URL] [--db PATH] [--date YYYY-MM-DD --time HH:MM]
    python main.py programme --feed PATH|URL --date YYYY-MM-DD
    python main.py [--config PATH] [--db PATH] sync --once
    python main.py [--db PATH] report --from YYYY-MM-DD --to YYYY-MM-DD

Kivy's environment is set here, before anything imports Kivy; the commands beside the kiosk itself never
import Kivy. A module rather than the script itself: Python keeps a module's bytecode, and compiling
these lines at every start took 5 ms before the first frame (docs/benchmarks.md).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import logging
import os
import sqlite3
import sys
from pathlib import Path

from sync import config as kiosk_config
from sync.errors import DatabaseUnusable, shown_location

EXIT_NO_DISPLAY = 3  # no window could be opened; the unit starts the kiosk again later


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, e.g. 800x480, not {text!r}") from None
    if width < 200 or height < 200:
        raise argparse.ArgumentTypeError(f"the window must be at least 200x200, not {text}")
    return width, height


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {text!r}") from None


def _time(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a time as HH:MM, not {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wijkkiosk", description="Touchscreen kiosk for a Huis van de wijk.")
    parser.add_argument("--config", metavar="PATH", help="configuration file (TOML; default: the demo programme)")
    parser.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    parser.add_argument("--size", type=_size, metavar="WxH", help="window size, e.g. 800x480")
    parser.add_argument("--feed", metavar="PATH|URL", help="follow this iCalendar feed instead of the configured sources")
    parser.add_argument("--db", metavar="PATH", help=f"database file (default {kiosk_config.default_db_path()})")
    parser.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="show another day (previews and demos)")
    parser.add_argument("--time", type=_time, metavar="HH:MM", help="show another time of day (with or without --date)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    programme = commands.add_parser("programme", help="print one day's occurrences of a feed as JSON")
    programme.add_argument("--feed", dest="programme_feed", required=True, metavar="PATH|URL")
    programme.add_argument("--date", dest="programme_date", type=_date, required=True, metavar="YYYY-MM-DD")
    set_pin = commands.add_parser("set-pin", help="set the admin PIN (4 to 8 digits; asked twice, or read from stdin)")
    set_pin.add_argument("--db", dest="pin_db", metavar="PATH", help="database file (default: as the kiosk)")
    check = commands.add_parser("check", help="check the configuration: read every source, reach every channel")
    check.add_argument("--config", default=argparse.SUPPRESS, metavar="PATH", help="configuration file")
    sync = commands.add_parser("sync", help="fetch the configured sources into the database")
    sync.add_argument("--once", action="store_true", required=True, help="one round, then exit")
    sync.add_argument("--config", default=argparse.SUPPRESS, metavar="PATH", help="configuration file")
    sync.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH", help="database file")
    report = commands.add_parser("report", help="print the anonymous daily figures as CSV (docs/fleet.md)")
    report.add_argument("--from", dest="report_from", type=_date, required=True, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="report_to", type=_date, required=True, metavar="YYYY-MM-DD")
    report.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH", help="database file")
    return parser


def load_config(args) -> kiosk_config.Config:
    """The configuration from --config (or the demo one), with --feed applied; ConfigError if wrong."""
    if args.config:
        config = kiosk_config.load(args.config)
    elif getattr(args, "feed", None):
        config = kiosk_config.Config()
    else:  # the demo: its programme, and its help and roles (example data)
        from sync.offer.config import demo_offer
        config = kiosk_config.Config(offer=demo_offer())
    if getattr(args, "feed", None):
        config = kiosk_config.with_feed(config, args.feed)
    return config


def cmd_sync(args, config: kiosk_config.Config) -> int:
    """One sync round of every source; one line on stderr per failed source, exit 1 if any failed."""
    from sync.device.clock import KioskClock
    from sync.worker import SyncWorker

    logging.getLogger("sync").setLevel(logging.ERROR)  # the summary below says it once per source
    db_path = args.db or str(kiosk_config.default_db_path())
    worker = SyncWorker(config, db_path, KioskClock(config.timezone).now)
    status = worker.run_once(worker.now(), force=True)
    worker.store.close()
    for source in status.sources:
        if source.failures:
            print(f"wijkkiosk: source {source.name}: {source.last_error}", file=sys.stderr)
        else:
            print(f"source {source.name}: ok" + (f"; {source.skipped}" if source.skipped else ""))
    return 1 if status.failing else 0


def cmd_check(config: kiosk_config.Config) -> int:
    """One line per source and channel, OK or FAIL with the reason; exit 1 if anything fails."""
    import datetime

    from sync import check

    findings = check.run(config, datetime.datetime.now(datetime.timezone.utc))
    for finding in findings:
        print(finding.line())
    failed = [f for f in findings if not f.ok]
    print("All is well." if not failed else f"{len(failed)} problem(s) found.")
    return 1 if failed else 0


def cmd_report(args) -> int:
    """The daily figures from --from to --to (both included) as CSV on stdout."""
    import sqlite3

    from sync.monitoring import figures

    if args.report_to < args.report_from:
        print("wijkkiosk: --to is before --from", file=sys.stderr)
        return 2
    path = Path(args.db or kiosk_config.default_db_path())
    if not path.is_file():
        print(f"wijkkiosk: no database at {path}", file=sys.stderr)
        return 2
    try:  # read only: a report never changes the kiosk's database
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            found = figures.rows(conn, args.report_from, args.report_to)
    except sqlite3.Error as exc:
        print(f"wijkkiosk: cannot read the figures in {path}: {exc}", file=sys.stderr)
        return 2
    figures.write_csv(found, sys.stdout)
    return 0


def cmd_set_pin(args) -> int:
    """Store the admin PIN as a salted scrypt hash; there is no default PIN."""
    import getpass

    from sync.device import pin
    from sync.store import Store

    if sys.stdin.isatty():
        first = getpass.getpass("New admin PIN (4-8 digits): ")
        if getpass.getpass("Once more: ") != first:
            print("wijkkiosk: the two PINs differ; nothing changed", file=sys.stderr)
            return 2
    else:
        first = sys.stdin.readline().strip()
    if not pin.valid_pin(first):
        print(f"wijkkiosk: the PIN must be {pin.MIN_DIGITS} to {pin.MAX_DIGITS} digits; nothing changed",
              file=sys.stderr)
        return 2
    path = args.pin_db or args.db or str(kiosk_config.default_db_path())
    store = Store(path)
    pin.set_pin(store, first)
    store.close()
    print(f"Admin PIN set in {path}.")
    return 0


def cmd_programme(args) -> int:
    """Print the day's occurrences of a feed as JSON; a clear one-line error and exit 2 on failure."""
    from sync.errors import SourceError
    from sync.schedule import bounded, feeds, limits

    try:
        body = feeds.read(args.programme_feed)
        expansion = bounded.expand_day(bounded.guess_kind(body), body, args.programme_date, kiosk_config.Config().timezone, "feed")
    except SourceError as exc:
        print(f"wijkkiosk: cannot use feed {shown_location(args.programme_feed)}: {exc}", file=sys.stderr)
        return 2
    json.dump([o.as_json() for o in expansion.occurrences], sys.stdout, ensure_ascii=False, indent=2)
    print()
    if expansion.skipped:
        print(f"wijkkiosk: feed {args.programme_feed}: "
              f"{limits.skip_summary(expansion.skipped, expansion.first_skipped)}", file=sys.stderr)
    return 0


VIRTUAL_DRM = {"virtio_gpu", "vgem", "vkms"}  # render nodes with no GPU of their own behind them (a VM's)


def gpu_draws(drm: Path = Path("/sys/class/drm"), dev: Path = Path("/dev/dri")) -> bool:
    """Whether a GPU will draw the window rather than Mesa's llvmpipe on the CPU, guessed before it opens:
    a real GPU's DRM render node (the Pi's V3D or VC4, a PC's graphics) that this user may open (else
    Mesa falls back to llvmpipe: the kiosk user belongs in the `render` group), and Mesa not told to
    draw in software (LIBGL_ALWAYS_SOFTWARE, GALLIUM_DRIVER)."""
    if os.environ.get("LIBGL_ALWAYS_SOFTWARE", "").strip().lower() in ("1", "true", "y", "yes"):  # as Mesa reads it
        return False
    if os.environ.get("GALLIUM_DRIVER", "") in ("llvmpipe", "softpipe", "swr"):
        return False
    for node in drm.glob("renderD*"):
        driver = node / "device" / "driver"
        if (driver.exists() and driver.resolve().name not in VIRTUAL_DRM
                and os.access(dev / node.name, os.R_OK | os.W_OK)):
            return True
    return False


def _kivy_environment(args) -> None:
    """Kivy reads its arguments and config at import: set everything before the first import."""
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "wijkkiosk"
    env = {
        "KIVY_NO_ARGS": "1",
        "KIVY_HOME": str(state / "kivy"),
        "KIVY_NO_CONSOLELOG": "0",
        "KCFG_KIVY_LOG_ENABLE": "0",  # no log files: logs go to stdout/journald
        "KCFG_KIVY_LOG_LEVEL": "info",
        "KCFG_KIVY_EXIT_ON_ESCAPE": "0",
        # SDL would turn SIGTERM into a close request, which the kiosk refuses (kiosk/platform/lockdown.py), so that
        # `systemctl stop` waited for its timeout; the app handles SIGTERM itself (KioskApp.on_start)
        "SDL_NO_SIGNAL_HANDLERS": "1",
        "KCFG_GRAPHICS_RESIZABLE": "0",
        # multisampling smooths the edges of shapes (the keys' corners, the icons' curves; not text): a GPU
        # does it for next to nothing, but drawn on the CPU (Mesa's llvmpipe) it took 60 ms of opening the
        # window and half of every frame (docs/benchmarks.md)
        "KCFG_GRAPHICS_MULTISAMPLES": "2" if gpu_draws() else "0",
        "KCFG_GRAPHICS_POSITION": "custom",
        "KCFG_GRAPHICS_LEFT": "0",
        "KCFG_GRAPHICS_TOP": "0",
    }
    if args.size:
        env["KCFG_GRAPHICS_WIDTH"], env["KCFG_GRAPHICS_HEIGHT"] = (str(v) for v in args.size)
    if args.windowed:
        env["KCFG_GRAPHICS_FULLSCREEN"] = "0"
        env["KCFG_GRAPHICS_BORDERLESS"] = "1" if args.size else "0"
    else:
        env["KCFG_GRAPHICS_FULLSCREEN"] = "auto"
        env["KCFG_GRAPHICS_SHOW_CURSOR"] = "0"
    for key, value in env.items():
        os.environ.setdefault(key, value)
    (state / "kivy").mkdir(parents=True, exist_ok=True)


def cmd_run(args, config: kiosk_config.Config) -> int:
    from sync.device.clock import KioskClock

    clock = KioskClock(config.timezone)
    if args.date or args.time:
        real = clock.now()
        moment = dt.datetime.combine(args.date or real.date(), args.time or real.time().replace(microsecond=0))
        clock = KioskClock.shifted_to(config.timezone, moment)
    db_path = args.db or str(kiosk_config.default_db_path())
    from sync.store import Store

    Store(db_path).close()  # a folder or a damaged file: one line now, not a traceback after the window opens
    _kivy_environment(args)
    from kiosk.platform import nodisplay

    try:
        nodisplay.open_window()
    except nodisplay.NoDisplay as exc:
        count = nodisplay.count_failure()
        delay = nodisplay.retry_delay(count) if count else 0
        logging.getLogger("wijkkiosk").error(
            "no screen to draw on (%s). Is the display connected and switched on, and is no other program "
            "using it?%s", exc, f" Next try in {delay} s." if delay else "")
        if delay:
            nodisplay.wait_before_exit(delay, str(exc))
        return EXIT_NO_DISPLAY
    nodisplay.forget_failures()
    from kiosk.platform import touchinput

    touchinput.install(touchinput.current_video_driver(fallback=os.environ.get("SDL_VIDEODRIVER", "")))
    from kiosk.app import KioskApp

    KioskApp(config, db_path, clock, config_path=args.config, demo=not args.config and not args.feed).run()
    return 0  # "Afsluiten" on the admin screen, or SIGTERM: the unit does not restart it


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    if args.command:
        gc.enable()  # main.py keeps it off for the kiosk's start only
    try:
        return _command(args)
    except kiosk_config.ConfigError as exc:
        print(f"wijkkiosk: configuration: {exc}", file=sys.stderr)
        return 2
    except DatabaseUnusable as exc:
        print(f"wijkkiosk: database: {exc}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as exc:  # damage that only shows when a damaged page is read
        path = getattr(args, "pin_db", None) or args.db or kiosk_config.default_db_path()
        print(f"wijkkiosk: database: {shown_location(str(path))}: damaged or unreadable ({str(exc)[:60]}); "
              "restore a backup, or move it away", file=sys.stderr)
        return 2


def _command(args) -> int:
    if args.command == "programme":
        return cmd_programme(args)
    if args.command == "set-pin":
        return cmd_set_pin(args)
    if args.command == "report":
        return cmd_report(args)
    config = load_config(args)
    if args.command == "sync":
        return cmd_sync(args, config)
    if args.command == "check":
        return cmd_check(config)
    return cmd_run(args, config)
