"""The admin PIN: salted slow hash, no default, lockout after 5 wrong tries that survives a restart."""
import datetime as dt

import pytest

from sync.device import pin
from sync.store import Store

NOW = dt.datetime(2027, 1, 5, 10, 0, tzinfo=dt.timezone.utc)


def test_hash_is_salted_and_verifies():
    a, b = pin.hash_pin("2468"), pin.hash_pin("2468")
    assert a != b and a.startswith("scrypt$32768$8$1$")
    assert "2468" not in a
    assert pin.verify_pin("2468", a) and not pin.verify_pin("2469", a)
    assert not pin.verify_pin("2468", "md5$whatever")


@pytest.mark.parametrize("bad", ["123", "123456789", "12a4", "", "١٢٣٤"])
def test_only_4_to_8_digits(bad, tmp_path):
    with pytest.raises(ValueError):
        pin.set_pin(Store(tmp_path / "k.db"), bad)


def test_no_default_pin(tmp_path):
    assert pin.check_pin(Store(tmp_path / "k.db"), "0000", NOW).reason == "no_pin"


def test_lockout_after_five_wrong_tries_survives_restart(tmp_path):
    path = tmp_path / "k.db"
    store = Store(path)
    pin.set_pin(store, "2468")
    results = [pin.check_pin(store, "1111", NOW) for _ in range(4)]
    assert [r.tries_left for r in results] == [4, 3, 2, 1]
    fifth = pin.check_pin(store, "1111", NOW)
    assert fifth.reason == "locked" and fifth.locked_until == NOW + pin.LOCKOUT
    store.close()

    again = Store(path)  # a restart
    assert pin.check_pin(again, "2468", NOW + dt.timedelta(minutes=1)).reason == "locked"
    assert pin.check_pin(again, "2468", NOW + pin.LOCKOUT + dt.timedelta(seconds=1)).ok


def test_a_right_pin_resets_the_count(tmp_path):
    store = Store(tmp_path / "k.db")
    pin.set_pin(store, "2468")
    for _ in range(4):
        pin.check_pin(store, "1111", NOW)
    assert pin.check_pin(store, "2468", NOW).ok
    assert pin.check_pin(store, "1111", NOW).tries_left == 4


def test_set_pin_command(tmp_path):
    import subprocess

    from tests.conftest import PYTHON, ROOT

    db = tmp_path / "k.db"
    run = lambda text: subprocess.run([PYTHON, str(ROOT / "main.py"), "set-pin", "--db", str(db)],  # noqa: E731
                                      input=text, capture_output=True, text=True, timeout=60)
    bad = run("12\n")
    assert bad.returncode == 2 and "4 to 8 digits" in bad.stderr
    good = run("97531\n")
    assert good.returncode == 0, good.stderr
    assert "97531" not in good.stdout
    assert pin.check_pin(Store(db), "97531", NOW).ok
