"""Issue 17, transport and settings (rows 13-19, 21): hostile servers, files and settings give one short line.

Each row runs the real command (`python main.py ...`) where the row is about a command, against servers on
loopback only, and asserts the exit code, a single `wijkkiosk: ...` line of at most 200 characters, no
traceback, and a time bound where the code enforces a limit.
"""
from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from sync import backoff
from sync.callback.channels import Email, Webhook
from sync.callback.config import EmailConfig, WebhookConfig, parse_delivery
from sync.callback.outbox import CallbackRequest
from sync.config import Config, Source
from sync.errors import DeliveryUnavailable, SourceUnavailable
from sync.schedule import feeds
from sync.schedule.poller import SchedulePoller
from sync.store import Store
from sync.tables import ConfigError
from tests.conftest import PYTHON, ROOT

NOW = dt.datetime(2024, 3, 13, 9, 0, tzinfo=dt.timezone.utc)
DAY = 24 * 3600


# -- helpers -------------------------------------------------------------------------------------


def run_main(tmp_path: Path, *args: str, stdin: str = "", timeout: float = 120) -> tuple[int, str, str, float]:
    """`python main.py *args` with a private home; (exit code, stdout, stderr, seconds)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "KIVY_NO_CONSOLELOG": "1", "SDL_VIDEODRIVER": "dummy"}
    started = time.monotonic()
    result = subprocess.run([PYTHON, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                            input=stdin, timeout=timeout, env=env, cwd=tmp_path)
    return result.returncode, result.stdout, result.stderr, time.monotonic() - started


def one_line(stderr: str) -> str:
    """The single line a failure prints: `wijkkiosk: ...`, short, no traceback."""
    assert "Traceback" not in stderr, stderr[-2000:]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    [line] = lines
    assert line.startswith("wijkkiosk: ") and len(line) <= 200, line
    return line


def write_config(tmp_path: Path, text: str, name: str = "kiosk.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def source_config(tmp_path: Path, location: str, sync: str = "timeout_seconds = 2\n") -> str:
    return write_config(tmp_path, f'[[sources]]\nname = "wijk"\nlocation = "{location}"\n[sync]\n{sync}')


HEADERS = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000
TLS_HANDSHAKE = b"\x16\x03\x03\x40\x00" + b"\x02" * 100_000  # a 16 KB handshake record's header, then bytes


class TrickleServer:
    """Loopback TCP: reads a request (unless it `speaks_first`), then answers `answer` one byte every `pause`
    seconds, for 20 s at most (so that a client without a deadline fails the test instead of hanging it)."""

    def __init__(self, pause: float = 0.5, answer: bytes = HEADERS, speaks_first: bool = False):
        self.pause, self.answer, self.speaks_first = pause, answer, speaks_first
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/agenda.ics"
        self.open = 0  # connections still being fed
        self._acceptor = threading.Thread(target=self._serve, daemon=True)
        self._acceptor.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        self.open += 1
        try:
            if not self.speaks_first:  # SMTP's server greets first
                conn.recv(65536)
            until = time.monotonic() + 20
            for byte in self.answer:
                conn.sendall(bytes([byte]))
                time.sleep(self.pause)
                if time.monotonic() > until:
                    break
        except OSError:  # the client gave up: what we want
            pass
        finally:
            conn.close()
            self.open -= 1

    def close(self) -> None:
        """Stop accepting: shutdown() wakes the thread blocked in accept(), which close() alone does not
        (left blocked, such threads made later loopback tests in the same process hang in accept)."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._acceptor.join(5)
        self.sock.close()


@pytest.fixture
def trickle():
    server = TrickleServer()
    yield server
    server.close()


# -- row 13: one deadline over headers and body ---------------------------------------------------


def test_row13_headers_one_byte_at_a_time_end_at_the_timeout(trickle):
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match="no answer within 2 seconds"):
        feeds.read(trickle.url, timeout=2)
    assert time.monotonic() - started < 4
    time.sleep(1)
    assert trickle.open == 0, "the connection is closed, not left trickling"


def test_row13_a_tls_handshake_one_byte_at_a_time_ends_at_the_timeout():
    server = TrickleServer(answer=TLS_HANDSHAKE)
    try:
        started = time.monotonic()
        with pytest.raises(SourceUnavailable, match="no answer within 2 seconds"):
            feeds.read(server.url.replace("http://", "https://"), timeout=2)
        assert time.monotonic() - started < 4
    finally:
        server.close()


def test_row13_sync_and_check_end_at_the_timeout(trickle, tmp_path):
    config = source_config(tmp_path, trickle.url)
    code, _out, err, seconds = run_main(tmp_path, "--config", config, "--db", str(tmp_path / "k.db"), "sync", "--once")
    assert code == 1 and seconds < 15
    assert one_line(err) == "wijkkiosk: source wijk: no answer within 2 seconds"
    code, out, err, seconds = run_main(tmp_path, "check", "--config", config)
    assert code == 1 and seconds < 15 and "Traceback" not in err
    assert "FAIL  source wijk" in out and "no answer within 2 seconds" in out


def test_row13_body_one_byte_at_a_time_ends_at_the_timeout(server):
    server.fault, server.fault_arg = ("trickle", 0.2)
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match="within 2 seconds"):
        feeds.read(server.url, timeout=2)
    assert time.monotonic() - started < 4


def test_row13_the_webhook_post_ends_at_its_timeout(trickle):
    hook = Webhook(WebhookConfig(url=trickle.url, token="t", timeout=2))
    request = CallbackRequest("Voedselbank", "+31612345678", name="Anna", id="7c1e0c3a-0000-4000-8000-000000000001",
                              created=NOW)
    started = time.monotonic()
    with pytest.raises(DeliveryUnavailable, match="no answer within 2 s"):
        hook.send(request, "Wijkhuis", dt.timezone.utc)
    with pytest.raises(DeliveryUnavailable, match="no answer within 2 s"):
        hook.check()
    assert time.monotonic() - started < 8


def test_row13_an_smtp_server_that_greets_a_byte_at_a_time_is_cut_off():
    server = TrickleServer(pause=0.3, answer=b"220-" + b"x" * 100_000, speaks_first=True)
    port = int(server.url.split(":")[2].split("/")[0])
    mail = Email(EmailConfig(host="127.0.0.1", to=("a@example.org",), sender="k@example.org", port=port, timeout=1))
    request = CallbackRequest("Voedselbank", "+31612345678", id="7c1e0c3a-0000-4000-8000-000000000002", created=NOW)
    try:
        started = time.monotonic()
        with pytest.raises(DeliveryUnavailable, match="mail server: no answer within 3 s"):
            mail.send(request, "Wijkhuis", dt.timezone.utc)
        assert time.monotonic() - started < 5
    finally:
        server.close()


# -- rows 14 and 15: Retry-After read strictly and capped ------------------------------------------


@pytest.mark.parametrize("header, expected", [
    ("²", None), ("٣", None), ("1.5", None), ("-5", None), ("soon", None), ("Wed, 99 Foo", None),
    ("99999999999999999999", DAY), ("9" * 5000, DAY), ("31536000", DAY),
    ("Fri, 31 Dec 9999 23:59:59 GMT", DAY), ("120", 120), ("Wed, 13 Mar 2024 09:30:00 GMT", 1800),
])
def test_row14_15_retry_after_is_strict_and_at_most_a_day(header, expected):
    assert backoff.retry_after(header, NOW) == expected


@pytest.mark.parametrize("header", ["²", "99999999999999999999", "31536000", "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_row14_15_a_hostile_retry_after_parks_a_source_a_day_at_most(server, header):
    server.fault, server.fault_arg = ("status", (503, {"Retry-After": header}))
    poller = SchedulePoller(Config(sources=(Source("wijk", server.url),), sync_timeout=2))
    store = Store(":memory:")
    poller.poll(store, NOW)
    [status] = poller.statuses
    assert status.failures == 1 and status.last_error.startswith("the server answered HTTP 503")
    wait = (poller.next_due(NOW) - NOW).total_seconds()
    assert 0 < wait <= DAY
    if header != "²":  # a long wait is said, not silent
        assert "asks to wait 86400 s" in status.last_error


def test_row14_sync_with_a_garbage_retry_after_gives_one_line(server, tmp_path):
    server.fault, server.fault_arg = ("status", (503, {"Retry-After": "²"}))
    code, _out, err, _seconds = run_main(tmp_path, "--config", source_config(tmp_path, server.url),
                                         "--db", str(tmp_path / "k.db"), "sync", "--once")
    assert code == 1 and one_line(err) == "wijkkiosk: source wijk: the server answered HTTP 503"


# -- row 16: files are regular files, read to the cap -----------------------------------------------


def fifo(tmp_path: Path) -> str:
    path = tmp_path / "feed.ics"
    os.mkfifo(path)
    return str(path)


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo", "folder"])
def test_row16_a_device_a_fifo_or_a_folder_is_refused_at_once(kind, tmp_path):
    location = {"/dev/zero": "/dev/zero", "fifo": fifo(tmp_path) if kind == "fifo" else "",
                "folder": str(tmp_path)}[kind]
    code, _out, err, seconds = run_main(tmp_path, "--config", source_config(tmp_path, location),
                                        "--db", str(tmp_path / "k.db"), "sync", "--once", timeout=60)
    line = one_line(err)
    assert code == 1 and seconds < 15
    assert ("folder" if kind == "folder" else "not a regular file") in line
    code, out, err, seconds = run_main(tmp_path, "programme", "--feed", location, "--date", "2024-03-13", timeout=60)
    assert code == 2 and out == "" and seconds < 15
    one_line(err)


def test_row16_a_file_is_read_to_the_cap_not_by_its_stated_size(tmp_path):
    big = tmp_path / "big.ics"
    with open(big, "wb") as fp:  # sparse: 3 GB stated, nothing on disk
        fp.truncate(3 * 1024**3)
    started = time.monotonic()
    with pytest.raises(Exception, match="too large"):
        feeds.read(str(big), max_bytes=1024 * 1024)
    assert time.monotonic() - started < 2


# -- row 17: credentials in URLs are never shown ----------------------------------------------------


def test_row17_credentials_never_reach_a_line_or_the_status(tmp_path):
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    url = f"http://volunteer:s3cr3t-pw@127.0.0.1:{port}/agenda.ics"
    config = source_config(tmp_path, url)
    outputs = []
    code, out, err, _ = run_main(tmp_path, "check", "--config", config)
    assert code == 1 and "FAIL  source wijk (http://***@127.0.0.1:" in out
    outputs += [out, err]
    code, out, err, _ = run_main(tmp_path, "programme", "--feed", url, "--date", "2024-03-13")
    assert code == 2 and one_line(err).startswith("wijkkiosk: cannot use feed http://***@127.0.0.1:")
    outputs += [out, err]
    code, out, err, _ = run_main(tmp_path, "--config", config, "--db", str(tmp_path / "k.db"), "sync", "--once")
    assert code == 1
    outputs += [out, err, one_line(err)]
    code, out, err, _ = run_main(tmp_path, "--config", source_config(tmp_path, "ftp://volunteer:s3cr3t-pw@host/x"),
                                 "--db", str(tmp_path / "k.db"), "sync", "--once")
    assert code == 2 and "sources[0].location" in one_line(err)
    outputs += [out, err]
    poller = SchedulePoller(Config(sources=(Source("wijk", url),), sync_timeout=2))
    poller.poll(Store(":memory:"), NOW)  # the status the admin screen shows
    outputs.append(poller.statuses[0].last_error)
    for text in outputs:
        assert "s3cr3t" not in text and "volunteer" not in text, text


# -- row 18: configuration numbers finite and in range; the file UTF-8 -------------------------------


@pytest.mark.parametrize("setting, key", [
    ("[sync]\nmax_feed_megabytes = nan\n", "sync.max_feed_megabytes"),
    ("[sync]\nmax_feed_megabytes = inf\n", "sync.max_feed_megabytes"),
    ("[sync]\ntimeout_seconds = nan\n", "sync.timeout_seconds"),
    ("[sync]\ntimeout_seconds = inf\n", "sync.timeout_seconds"),
    ("[sync]\ninterval_minutes = 1000000000000\n", "sync.interval_minutes"),
    ("[sync]\nwindow_days = 1000000000\n", "sync.window_days"),
    ("[sync]\nwindow_days = 100000\n", "sync.window_days"),
    ("inactivity_seconds = 99999999999999999999\n", "inactivity_seconds"),
    ("[screen]\ndpi = nan\n", "screen.dpi"),
    ("[screen]\ndpi = " + "9" * 400 + "\n", "screen.dpi"),
    ("[callback]\nretention_days = 100000\n", "callback.retention_days"),
    ('[delivery.webhook]\nurl = "https://x.example"\ntimeout = inf\n', "delivery.webhook.timeout"),
    ('[delivery.email]\nhost = "h"\nsender = "k@x"\nto = "a@x"\nport = 70000\n', "delivery.email.port"),
    ("[delivery]\nretry_base = nan\n", "delivery.retry_base"),
    ("[delivery]\nretry_max = 1e300\n", "delivery.retry_max"),
])
def test_row18_a_number_out_of_range_names_its_key(setting, key, tmp_path):
    config = write_config(tmp_path, setting)
    code, _out, err, _ = run_main(tmp_path, "--config", config, "--db", str(tmp_path / "k.db"), "sync", "--once")
    assert code == 2
    assert one_line(err).startswith(f"wijkkiosk: configuration: {key}: ")


def test_row18_a_config_file_that_is_not_utf8_is_named_at_start(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_bytes('house_name = "Buurthuis De Brücke"\n'.encode("latin-1"))
    for command in (["sync", "--once"], ["check"], []):  # [] is the kiosk itself
        code, _out, err, _ = run_main(tmp_path, "--config", str(config), "--db", str(tmp_path / "k.db"), *command)
        assert code == 2
        assert one_line(err) == f"wijkkiosk: configuration: {config}: not UTF-8 text (byte 30); save it as UTF-8"


def test_row18_the_documented_limits_are_accepted(tmp_path):
    from sync.config import load

    config = load(write_config(tmp_path, "inactivity_seconds = 3600\n[sync]\ninterval_minutes = 1440\n"
                                         "window_days = 366\ntimeout_seconds = 300\nmax_feed_megabytes = 50\n"))
    assert (config.sync_interval, config.window_days, config.sync_timeout) == (1440 * 60, 366, 300.0)
    assert config.max_feed_bytes == 50 * 2**20


# -- row 19: a damaged database or a folder as --db ---------------------------------------------------


def damaged_database(tmp_path: Path) -> Path:
    """A real kiosk database whose last pages (the occurrences' rows) are overwritten: it opens, and breaks
    when those rows are read."""
    path = tmp_path / "damaged.db"
    store = Store(path)
    store.db["occurrences"].insert_all({"key": f"k{i}", "source": "old", "title": "x" * 200} for i in range(400))
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    with open(path, "r+b") as fp:
        fp.seek(-8 * 4096, os.SEEK_END)
        fp.write(b"\xa5" * 8 * 4096)
    return path


WHY = {"garbage": "not a SQLite database, or damaged", "folder": "this is a folder, not a database file",
       "damaged": "damaged or unreadable (database disk image is malformed)"}


# damage past the first pages shows when they are read: `sync` reads them; the kiosk after its window opens
@pytest.mark.parametrize("kind, command", [(kind, command) for kind in ("garbage", "folder")
                                           for command in ("sync", "set-pin", "kiosk")] + [("damaged", "sync")])
def test_row19_a_bad_database_gives_one_line(kind, command, tmp_path):
    if kind == "garbage":
        db = tmp_path / "kiosk.db"
        db.write_bytes(os.urandom(20000))
    elif kind == "folder":
        db = tmp_path / "folder"
        db.mkdir()
    else:
        db = damaged_database(tmp_path)
    mode = db.stat().st_mode
    args = {"sync": ["--db", str(db), "sync", "--once"], "set-pin": ["set-pin", "--db", str(db)],
            "kiosk": ["--db", str(db), "--windowed"]}[command]
    code, _out, err, _ = run_main(tmp_path, *args, stdin="123456\n", timeout=60)
    assert code == 2
    line = one_line(err)
    assert line.startswith("wijkkiosk: database: /") and WHY[kind] in line
    if kind == "folder":
        assert db.stat().st_mode == mode, "a folder given as --db keeps its permissions"


def test_row19_the_store_names_the_problem(tmp_path):
    from sync.errors import DatabaseUnusable

    with pytest.raises(DatabaseUnusable, match="this is a folder"):
        Store(tmp_path)
    (tmp_path / "x.db").write_bytes(b"SQLite format 2\x00" + b"\x00" * 5000)
    with pytest.raises(DatabaseUnusable, match="not a SQLite database, or damaged"):
        Store(tmp_path / "x.db")


# -- row 21: the webhook only over https (or to this machine) ---------------------------------------


@pytest.mark.parametrize("url", ["http://hooks.example.org/callback", "http://192.168.1.10/cb", "http://[fe80::1]/x",
                                 "http://127.0.0.1.nip.io/x", "ftp://hooks.example.org/x", "https://", "http://[::1"])
def test_row21_a_webhook_over_plain_http_to_another_host_is_refused(url, tmp_path):
    with pytest.raises(ConfigError, match=r"^delivery\.webhook\.url: "):
        parse_delivery({"webhook": {"url": url}})
    config = write_config(tmp_path, f'[delivery.webhook]\nurl = "{url}"\ntoken = "t"\n')
    code, _out, err, _ = run_main(tmp_path, "--config", config, "--db", str(tmp_path / "k.db"), "sync", "--once")
    assert code == 2 and one_line(err).startswith("wijkkiosk: configuration: delivery.webhook.url: ")


@pytest.mark.parametrize("url", ["https://hooks.example.org/callback", "http://127.0.0.1:8080/cb",
                                 "http://127.5.6.7/cb", "http://[::1]:9000/cb", "http://localhost/cb",
                                 "http://LOCALHOST:81/cb"])
def test_row21_https_and_this_machine_are_accepted(url):
    assert parse_delivery({"webhook": {"url": url}}).webhook.url == url


def test_row13_the_heartbeat_ends_at_its_timeout(trickle):
    from sync.monitoring.heartbeat import Heartbeat, PingFailed

    began = time.monotonic()
    with pytest.raises(PingFailed, match="no answer within 2 s"):
        Heartbeat(trickle.url, timeout=2).send("")
    assert time.monotonic() - began < 5
