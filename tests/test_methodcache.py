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


def test_a_second_start_compiles_nothing_and_its_classes_behave_the_same(tmp_path):
    kept = tmp_path / "methods.marshal"
    first = run(kept)
    assert first >= 6 and kept.exists()  # Place: __init__, __repr__, __eq__, __hash__, __setattr__, __delattr__
    assert run(kept) == 0


def test_a_changed_class_compiles_only_its_new_methods_and_the_old_ones_are_not_kept(tmp_path):
    kept = tmp_path / "methods.marshal"
    run(kept)
    _magic, before = marshal.loads(kept.read_bytes())
    changed = CLASSES.replace("    seats: int = 20\n", "    seats: int = 20\n    floor: int = 0\n").replace(
        "Place(name='Grote zaal', seats=20, tags=())", "Place(name='Grote zaal', seats=20, floor=0, tags=())")
    compiled = run(kept, changed)
    _magic, after = marshal.loads(kept.read_bytes())
    assert 0 < compiled < len(before)  # Counter's methods were kept; Place's are new
    assert len(after) == len(before) and set(after) != set(before)
    # at the start (no pruning) what was kept stays, with what this process compiled
    run(kept, CLASSES, "merge")
    _magic, merged = marshal.loads(kept.read_bytes())
    assert set(merged) == set(after) | set(before)


def test_a_damaged_or_foreign_file_means_compiling_as_before(tmp_path):
    kept = tmp_path / "methods.marshal"
    first = run(kept)
    kept.write_bytes(b"\x00not marshal")
    assert run(kept) == first
    _magic, methods = marshal.loads(kept.read_bytes())
    kept.write_bytes(marshal.dumps((b"\x00\x00\r\n", methods)))  # another Python's magic number
    assert run(kept) == first
