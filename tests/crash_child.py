"""The processes that the crash test kills: each submits callback requests and sign-ups (in turn) and
delivers them, forever.

    python -m tests.crash_child        (a zygote: imports once, then forks one child per stdin line)

stdin line `DB URL SEED OUT [drain]` -> the zygote forks a child and prints its pid; `reap PID` -> it
waits for that child and prints its exit status. A child writes to OUT: `ready` once started,
`submit KIND` / `deliver` before each phase, and `ack <uuid> KIND PEOPLE` only after the submit's commit
has returned (the moment the kiosk would show its confirmation); KIND is `callback` or `signup`. With `drain` it submits nothing and delivers
until the outbox is empty. Forking from a zygote keeps each restart at a few milliseconds.
"""
import datetime as dt
import os
import random
import sys

from sync.callback import outbox
from sync.callback.config import DeliveryConfig, WebhookConfig
from sync.callback.channels import Webhook
from sync.callback.delivery import Deliverer
from sync.schedule.model import Occurrence, Signup
from sync.store import Store

START = dt.datetime(2099, 4, 3, 16, tzinfo=dt.timezone.utc)  # far ahead: its tombstones stay for the checks
KOOKHUIS = Occurrence("crash", "kookhuis", "Kookhuis", START, START + dt.timedelta(hours=2), signup=Signup(20))


def child(db: str, url: str, seed: int, out: str, drain: bool) -> int:
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def say(*words):
        os.write(fd, (" ".join(words) + "\n").encode())  # unbuffered: what is written survives the kill

    rng = random.Random(seed)
    store = Store(db)
    outbox.migrate(store)
    config = DeliveryConfig(webhook=WebhookConfig(url=url, timeout=5), retry_base=0.001, retry_max=0.01)
    deliverer = Deliverer(config, [Webhook(config.webhook)], "Crash test", dt.timezone.utc, 14, rng)
    say("ready")
    turn = seed  # callback and sign-up in turn, starting differently per child
    while True:
        now = dt.datetime.now(dt.timezone.utc)
        if drain:
            if outbox.counts(store).pending == 0:
                return 0
        else:
            turn += 1
            phone = f"+3161{rng.randrange(10**7):07d}"
            if turn % 2:
                request = outbox.signup_request(KOOKHUIS, rng.randint(1, outbox.MAX_PEOPLE), "Test",
                                                phone if rng.random() < 0.5 else "")
            else:
                request = outbox.CallbackRequest(topic="Voedselbank", phone=phone, name="Test", moment="any")
            say("submit", request.kind)
            say("ack", outbox.submit(store, request, now), request.kind, str(request.people))
        say("deliver")
        deliverer.run(store, now)


def zygote() -> int:
    for line in sys.stdin:
        words = line.split()
        if words[0] == "reap":
            _pid, status = os.waitpid(int(words[1]), 0)
            print(os.waitstatus_to_exitcode(status), flush=True)
            continue
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = child(words[0], words[1], int(words[2]), words[3], "drain" in words[4:])
            finally:
                os._exit(code)
        print(pid, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(zygote())
