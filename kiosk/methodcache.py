"""The methods Python writes for dataclasses, compiled once and kept for the next start (issue 17).

Python 3.11 writes each dataclass's methods (`__init__`, `__repr__`, `__eq__`, `__hash__`, a frozen
class's `__setattr__` and `__delattr__`) as source text and compiles each one at every start: about
0.5 ms a class, 15-25 ms for the 25 classes of the settings, the store and the home screen before the
first frame (docs/benchmarks.md). The dataclasses module runs that text with `exec`; `install()` gives the
module an `exec` that compiles only text it has not seen (as that `exec` would: no `__future__` flags of
this module), and `keep()` writes them to `__pycache__`, as Python keeps bytecode: the app after its
first frame when it compiled any (so a start after an update keeps what the next one needs), and at
rest only what it used. The whole text is the key: a changed class compiles
its new methods, and what no class uses any more is not kept. A file that cannot be read, or that another
Python wrote, only means compiling as before. main.py installs it for the kiosk and its commands (only
the kiosk writes the file); nothing else of Python's is changed.
"""
from __future__ import annotations

import builtins
import dataclasses
import importlib.util
import marshal
import sys
import types
from pathlib import Path

from kiosk.cachefiles import keep as keep_file

PATH = Path(__file__).with_name("__pycache__") / f"dataclass-methods.{sys.implementation.cache_tag}.marshal"
# before the marshalled methods, as in a .pyc: Python's bytecode magic, then this file's own format
HEADER = importlib.util.MAGIC_NUMBER + b"wk2\n"

_path: Path | None = None  # set by install()
_kept: dict[str, types.CodeType] = {}  # read from the file
_used: dict[str, types.CodeType] = {}  # what this process ran, kept or compiled
compiled = 0  # texts this process compiled (the tests read it)
_kept_compiled = 0  # compiled when the file was last written


def install(path: Path = PATH) -> None:
    """Look up the dataclasses module's method texts in the kept file from now on."""
    global _path
    _path = path
    _kept.update(_read(path))
    dataclasses.exec = _exec  # a module's own name comes before the builtin of the same name


def keep(prune: bool = False) -> None:
    """Write the kept methods and those this process compiled, when it compiled any; with `prune` (at
    rest after the start, the other screens imported) only those this process used."""
    global _kept, _kept_compiled
    if _path is None:
        return
    methods = dict(_used) if prune else {**_kept, **_used}
    if compiled == _kept_compiled and methods.keys() == _kept.keys():
        return
    keep_file(_path, HEADER + marshal.dumps(methods))
    _kept, _kept_compiled = methods, compiled


def _exec(source, globals=None, locals=None):  # noqa: A002  (exec's own parameter names)
    global compiled
    if isinstance(source, str):
        code = _used.get(source) or _kept.get(source)
        if code is None:
            code = compile(source, "<string>", "exec", dont_inherit=True)
            compiled += 1
        _used[source] = code
        source = code
    if globals is None:  # the dataclasses module's own, as its `exec` would use (it always passes both)
        globals = vars(dataclasses)  # noqa: A001
    builtins.exec(source, globals, locals)


def _read(path: Path) -> dict[str, types.CodeType]:
    try:
        data = path.read_bytes()
        if not data.startswith(HEADER):  # another Python's, or an older format: not unmarshalled at all
            return {}
        methods = marshal.loads(data[len(HEADER):])
    except Exception:  # unreadable or damaged (a bad length makes marshal raise MemoryError): compile
        return {}
    if not isinstance(methods, dict):
        return {}
    return {text: code for text, code in methods.items()
            if isinstance(text, str) and isinstance(code, types.CodeType)}
