"""The kiosk's kv rules, parsed once and kept for the next start (issue 17).

Kivy parses a kv file every time it is loaded and compiles each of its expressions: home.kv alone took
13 ms before the first frame, the four files the home screen needs 20 ms (docs/benchmarks.md). What
Kivy's parser makes of a file (its rules, their compiled expressions) is kept in `__pycache__` beside it,
as Python keeps its bytecode, with the file's path and whole text (compared, not hashed: hashlib would
load OpenSSL before the first frame) and under Kivy's and Python's versions; reading it back takes a
sixth of the time. The directives (`#:import`, `#:set`) still run at every load, as in
Kivy's own parsing. A kept file that cannot be written or read (a read-only install, a damaged or older
file) only means that the kv file is parsed as before; nothing but Kivy's parser classes is unpickled.
"""
from __future__ import annotations

import contextlib
import io
import marshal
import os
import pickle
import sys
import types
from pathlib import Path

import kivy
from kivy.lang import Builder
from kivy.lang import builder as kivy_builder
from kivy.lang.parser import Parser

from kiosk.cachefiles import keep

TAG = f"kivy-{kivy.__version__}.{sys.implementation.cache_tag}"


def load_beside(module_file: str) -> None:
    """Load the kv rules in the .kv file beside a module (its `__file__`)."""
    load(Path(module_file).with_suffix(".kv"))


def load(path: Path) -> None:
    """`Builder.load_file(path)`, its parsing kept for the next start."""
    filename = str(path)
    text = path.read_text(encoding="utf-8")
    parser = parsed(text, filename)

    def made(**kwargs):  # Builder.load_string makes its Parser here; this file's is made already
        return parser if kwargs.get("filename") == filename else Parser(**kwargs)

    kivy_builder.Parser = made
    try:
        Builder.load_string(text, filename=filename)
    finally:
        kivy_builder.Parser = Parser


def kept_path(filename: str) -> Path:
    path = Path(filename)
    return path.parent / "__pycache__" / f"{path.name}.{TAG}.pickle"


def parsed(text: str, filename: str) -> Parser:
    """Kivy's Parser of `text`: the kept one while it was made of this file name, text and versions."""
    kept = kept_path(filename)
    key = os.fsencode(filename) + b"\0" + text.encode("utf-8") + b"\0"
    with contextlib.suppress(OSError):
        data = kept.read_bytes()
        if data.startswith(key):
            try:
                parser = _Unpickler(io.BytesIO(data[len(key):])).load()
            except Exception:  # noqa: BLE001  (damaged or foreign: unpickling raises many kinds; parse again)
                pass
            else:
                if isinstance(parser, Parser):
                    parser.execute_directives()  # as Parser() does: kv's imports and #:set, at every load
                    return parser
    parser = Parser(content=text, filename=filename)
    if os.access(kept.parent if kept.parent.is_dir() else kept.parent.parent, os.W_OK):  # else read-only
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(parser)
        with contextlib.suppress(OSError):
            kept.parent.mkdir(exist_ok=True)
        keep(kept, key + buffer.getvalue())
    return parser


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        if type(obj) is types.CodeType:  # the compiled expressions: pickle does not take code, marshal does
            return marshal.loads, (marshal.dumps(obj),)
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    """Only what a parsed kv file holds: Kivy's parser classes, ordered dicts and marshalled code."""

    def find_class(self, module, name):
        if (module == "kivy.lang.parser" and name.startswith("Parser")) or (module, name) in (
                ("collections", "OrderedDict"), ("marshal", "loads")):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"not in a parsed kv file: {module}.{name}")
