"""Wijkkiosk: start the kiosk, or run one of its commands (kiosk/cli.py; `python main.py --help`)."""
import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main())
