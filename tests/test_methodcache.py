"""kiosk/methodcache.py: the dataclasses' methods compiled once, kept, and the same as Python's own."""
import marshal
import subprocess
import sys

from tests.conftest import ROOT

CLASSES = '''
import dataclasses, sys
from kiosk import methodcache
methodcache.install(__import__("pathlib").Path(sys.argv[1]))

@dataclasses.dataclass(frozen=True)
class Place:
    name: str
    seats: int = 20
    tags: tuple = dataclasses.field(default_factory=tuple)

@dataclasses.dataclass
class Counter:
    count: int = 0

a, b = Place("Grote zaal"), Place("Grote zaal", seats=20, tags=())
assert a == b and hash(a) == hash(b) and a != Place("Keuken")
assert repr(a) == "Place(name='Grote zaal', seats=20, tags=())", repr(a)
try:
    a.seats = 3
except dataclasses.FrozenInstanceError:
    pass
else:
    raise AssertionError("a frozen class took a new value")
c = Counter(); c.count += 1
assert c == Counter(1) and dataclasses.replace(a, seats=5).seats == 5
methodcache.keep(prune=sys.argv[2:] != ['merge'])
print(methodcache.compiled)
'''


def run(path, source=CLASSES, *how):
    result = subprocess.run([sys.executable, "-c", source, str(path), *how], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return int(result.stdout)


def kept_methods(path):
    from kiosk.methodcache import HEADER

    data = path.read_bytes()
    assert data.startswith(HEADER)
    return marshal.loads(data[len(HEADER):])


def test_a_second_start_compiles_nothing_and_its_classes_behave_the_same(tmp_path):
    kept = tmp_path / "methods.marshal"
    first = run(kept)
    assert first >= 6 and kept.exists()  # Place: __init__, __repr__, __eq__, __hash__, __setattr__, __delattr__
    assert run(kept) == 0


def test_a_changed_class_compiles_only_its_new_methods_and_the_old_ones_are_not_kept(tmp_path):
    kept = tmp_path / "methods.marshal"
    run(kept)
    before = kept_methods(kept)
    changed = CLASSES.replace("    seats: int = 20\n", "    seats: int = 20\n    floor: int = 0\n").replace(
        "Place(name='Grote zaal', seats=20, tags=())", "Place(name='Grote zaal', seats=20, floor=0, tags=())")
    compiled = run(kept, changed)
    after = kept_methods(kept)
    assert 0 < compiled < len(before)  # Counter's methods were kept; Place's are new
    assert len(after) == len(before) and set(after) != set(before)
    # at the start (no pruning) what was kept stays, with what this process compiled
    run(kept, CLASSES, "merge")
    merged = kept_methods(kept)
    assert set(merged) == set(after) | set(before)


def test_a_damaged_or_foreign_file_means_compiling_as_before(tmp_path):
    from kiosk import methodcache

    kept = tmp_path / "methods.marshal"
    first = run(kept)
    methods = kept.read_bytes()[len(methodcache.HEADER):]
    for damaged in (b"\x00not marshal", methodcache.HEADER + b"[\xff\xff\xff\x7f",  # a length marshal cannot meet
                    b"\x00\x00\r\n" + methodcache.HEADER[4:] + methods):  # another Python's magic number
        kept.write_bytes(damaged)
        assert run(kept) == first


def test_the_kept_code_is_the_code_python_makes():
    # compiled without this module's `from __future__ import annotations`: the same flags and annotations
    code = ("import dataclasses, sys, tempfile, pathlib\n"
            "if sys.argv[1] == 'kept':\n"
            "    from kiosk import methodcache\n"
            "    methodcache.install(pathlib.Path(tempfile.mkdtemp()) / 'm')\n"
            "@dataclasses.dataclass(frozen=True)\nclass A:\n    x: int = 0\n"
            "print(A.__init__.__code__.co_flags, A.__init__.__annotations__, A.__hash__.__code__.co_flags)")
    made = [subprocess.run([sys.executable, "-c", code, how], cwd=ROOT, capture_output=True, text=True,
                           timeout=60).stdout for how in ("python", "kept")]
    assert made[0] and made[0] == made[1]
