"""Files the kiosk makes once and keeps beside their source, for the next start (compiled catalogues,
the day names, parsed kv rules): written whole or not at all."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path


def keep(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (another process may read it at the same time); on a
    read-only install nothing is kept, and the caller makes it again at the next start."""
    partial = path.with_name(f"{path.name}.{os.getpid()}")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):  # a read-only file system refuses even this
            partial.unlink(missing_ok=True)
