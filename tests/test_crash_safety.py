"""kill -9 at random points during submit and delivery: every acknowledged request arrives exactly once.

A child process submits requests and delivers them to a loopback receiver that records each
Idempotency-Key (and sometimes answers 503). The parent kills it with SIGKILL after a random delay,
restarts it, and so on; a last child drains the outbox. Then: every UUID the child acknowledged
(printed after commit, when the kiosk would show its confirmation) was received, dedup by key leaves
each exactly once, the database passes `PRAGMA integrity_check`, and no personal data remains.
"""
import os
import random
import signal
import sqlite3
import subprocess
import time

from tests.conftest import PYTHON, ROOT
from tests.receivers import WebhookReceiver

KILLS = 120


class FlakyReceiver(WebhookReceiver):
    def __init__(self, rng):
        super().__init__()
        self.rng = rng

    def next_reply(self):
        return (503, {}) if self.rng.random() < 0.1 else (200, {})


class Zygote:
    """tests.crash_child in zygote mode: forks children on request, so restarts cost milliseconds."""

    def __init__(self):
        self.process = subprocess.Popen([PYTHON, "-m", "tests.crash_child"], cwd=ROOT, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def ask(self, line: str) -> int:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait(10)


def wait_for(path, word: str, count: int = 1, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().split().count(word) >= count:
            return
        time.sleep(0.0005)
    raise AssertionError(f"{word!r} x{count} not in {path} within {timeout}s")


def integrity(db) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def test_every_acknowledged_request_arrives_exactly_once(tmp_path):
    rng = random.Random(20240313)
    db = tmp_path / "k.db"
    acked, phases = set(), {"start": 0, "submit": 0, "ack": 0, "deliver": 0}
    started = time.monotonic()
    zygote = Zygote()
    with FlakyReceiver(random.Random(7)) as hook:
        for kill in range(KILLS):
            out = tmp_path / f"child-{kill}.out"
            pid = zygote.ask(f"{db} {hook.url} {kill} {out}")
            wait_for(out, "ready")
            if kill % 2:  # anywhere
                time.sleep(rng.uniform(0, 0.05))
            else:  # aim at a submit: a moment after the child announced one
                wait_for(out, "submit", rng.randint(1, 4))
                time.sleep(rng.uniform(0, 0.002))
            os.kill(pid, signal.SIGKILL)
            assert zygote.ask(f"reap {pid}") == -signal.SIGKILL, "the child must still be running when killed"
            words = out.read_text().split()
            acked.update(words[i + 1] for i, word in enumerate(words) if word == "ack")
            last = next((w for w in reversed(words) if w in ("submit", "ack", "deliver")), "start")
            phases[last] += 1
            assert integrity(db) == "ok"
        out = tmp_path / "drain.out"
        pid = zygote.ask(f"{db} {hook.url} {KILLS} {out} drain")
        assert zygote.ask(f"reap {pid}") == 0, out.read_text()
        zygote.close()
        with hook.lock:
            sent = hook.keys()
    elapsed = time.monotonic() - started
    duplicates = len(sent) - len(set(sent))
    print(f"\n{KILLS} kills ({phases['start']} before the first submit, {phases['submit']} during a submit, "
          f"{phases['ack']} just after one, "
          f"{phases['deliver']} during delivery), "
          f"{len(acked)} acknowledged, {len(set(sent))} received, {duplicates} duplicate sends, {elapsed:.1f} s")
    # a submit's commit lasts about a millisecond: 60 aimed kills met one 9 to 18 times (measured, 7 runs)
    assert phases["submit"] >= 5 and phases["deliver"] >= 10
    assert acked and acked <= set(sent)  # nothing acknowledged is lost
    with sqlite3.connect(db) as conn:
        stored = {row[0] for row in conn.execute("SELECT id FROM callback_requests")}
        assert set(sent) <= stored  # nothing is received that the kiosk did not store
        assert conn.execute("SELECT COUNT(*) FROM callback_requests WHERE status != 'delivered'"
                            " OR phone != '' OR name != ''").fetchone()[0] == 0
    assert integrity(db) == "ok"
