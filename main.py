"""Wijkkiosk: start the kiosk, or run one of its commands.

    python main.py [--windowed] [--size WxH] [--config PATH] [--feed PATH] [--db PATH] [--date YYYY-MM-DD --time HH:MM]
    python main.py programme --feed PATH|URL --date YYYY-MM-DD

Kivy's environment is set here, before anything imports Kivy.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path

from sync import config as kiosk_config


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
    parser.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    parser.add_argument("--size", type=_size, metavar="WxH", help="window size, e.g. 800x480")
    parser.add_argument("--feed", metavar="PATH|URL", help="follow this iCalendar feed instead of the configured sources")
    parser.add_argument("--config", metavar="PATH", help="a TOML configuration file ([callback], [delivery])")
    parser.add_argument("--db", metavar="PATH", help=f"database file (default {kiosk_config.default_db_path()})")
    parser.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="show another day (previews and demos)")
    parser.add_argument("--time", type=_time, metavar="HH:MM", help="show another time of day (with or without --date)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    programme = commands.add_parser("programme", help="print one day's occurrences of a feed as JSON")
    programme.add_argument("--feed", dest="programme_feed", required=True, metavar="PATH|URL")
    programme.add_argument("--date", dest="programme_date", type=_date, required=True, metavar="YYYY-MM-DD")
    return parser


def cmd_programme(args) -> int:
    """Print the day's occurrences of a feed as JSON; a clear one-line error and exit 2 on failure."""
    from sync import feeds, ical
    from sync.errors import SourceError
    from sync.today import day_bounds

    try:
        cal = ical.parse(feeds.read(args.programme_feed))
        tz = ical.feed_zone(cal)
        start, end = day_bounds(args.programme_date, tz)
        occurrences = ical.expand(cal, start, end, tz, source="feed")
    except SourceError as exc:
        print(f"wijkkiosk: cannot use feed {args.programme_feed}: {exc}", file=sys.stderr)
        return 2
    json.dump([o.as_json() for o in occurrences], sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


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
        "KCFG_INPUT_MOUSE": "mouse,disable_multitouch",  # no red multitouch dots on right click
        "KCFG_GRAPHICS_RESIZABLE": "0",
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


def _load_config(path: str | None) -> kiosk_config.Config:
    """The default configuration, with the sections given in the TOML file at `path`."""
    import dataclasses
    import tomllib

    from sync.callback_config import SECTIONS

    config = kiosk_config.Config()
    if path is None:
        return config
    with open(path, "rb") as fp:
        table = tomllib.load(fp)
    fields = {name: parse(table[name]) for name, parse in SECTIONS.items() if name in table}
    return dataclasses.replace(config, **fields)


def cmd_run(args) -> int:
    from sync.clock import KioskClock

    try:
        config = _load_config(args.config)
    except (OSError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError
        print(f"wijkkiosk: cannot use configuration {args.config}: {exc}", file=sys.stderr)
        return 2
    if args.feed:
        config = kiosk_config.with_feed(config, args.feed)
    clock = KioskClock(config.timezone)
    if args.date or args.time:
        real = clock.now()
        moment = dt.datetime.combine(args.date or real.date(), args.time or real.time().replace(microsecond=0))
        clock = KioskClock.shifted_to(config.timezone, moment)
    db_path = args.db or str(kiosk_config.default_db_path())

    _kivy_environment(args)
    from kiosk.app import KioskApp

    KioskApp(config, db_path, clock).run()
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    if args.command == "programme":
        return cmd_programme(args)
    return cmd_run(args)


if __name__ == "__main__":
    sys.exit(main())
