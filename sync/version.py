"""The kiosk's version (shown on the admin screen)."""
from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("wijkkiosk")
except PackageNotFoundError:  # run from a checkout without installing
    VERSION = "0.1.0"
