"""Reading sources: charset rule, files, and the CLI against a loopback server."""
import json
import subprocess

import pytest

from sync.schedule import feeds
from sync.errors import SourceInvalid, SourceUnavailable
from tests.conftest import DEMO_FEED, FIXTURES, PYTHON, ROOT
from tests.feedserver import FeedServer


def test_utf8_is_kept_and_a_bom_dropped():
    assert feeds.to_utf8("Coördinator".encode()) == "Coördinator".encode()
    assert feeds.to_utf8(b"\xef\xbb\xbfBEGIN") == b"BEGIN"


def test_windows_1252_and_a_declared_charset_become_utf8():
    assert feeds.to_utf8("Coördinator – café".encode("cp1252")) == "Coördinator – café".encode()
    assert feeds.to_utf8("Zoë".encode("iso-8859-15"), "iso-8859-15") == "Zoë".encode()


def test_a_body_in_no_known_charset_is_refused():
    with pytest.raises(SourceInvalid, match="not text in UTF-8"):
        feeds.to_utf8(b"BEGIN:VCALENDAR\x81\x8d")


def test_files_missing_too_large_or_fine(tmp_path):
    with pytest.raises(SourceUnavailable, match="file not found"):
        feeds.read(str(tmp_path / "nope.ics"))
    with pytest.raises(SourceInvalid, match="too large"):
        feeds.read(str(DEMO_FEED), max_bytes=100)
    assert feeds.fetch(str(DEMO_FEED)).body == DEMO_FEED.read_bytes()


def test_conditional_get_gives_not_modified():
    server = FeedServer()
    try:
        server.body, server.etag = DEMO_FEED.read_bytes(), '"abc"'
        first = feeds.fetch(server.url)
        assert first.body == server.body and first.etag == '"abc"'
        second = feeds.fetch(server.url, etag=first.etag)
        assert second.not_modified
        server.fault, server.fault_arg = ("status", (429, {"Retry-After": "90"}))
        with pytest.raises(SourceUnavailable) as caught:
            feeds.fetch(server.url)
        assert caught.value.retry_after == 90 and "HTTP 429" in str(caught.value)
    finally:
        server.close()


def test_connection_refused_is_unavailable():
    server = FeedServer()
    url = server.url
    server.close()
    with pytest.raises(SourceUnavailable, match="cannot reach the server"):
        feeds.fetch(url, timeout=2)


def programme(*args):
    return subprocess.run([PYTHON, str(ROOT / "main.py"), "programme", *args],
                          capture_output=True, text=True, timeout=60)


def test_programme_reads_a_url_and_a_json_feed():
    server = FeedServer()
    try:
        server.body = DEMO_FEED.read_bytes()
        result = programme("--feed", server.url, "--date", "2024-03-28")
        assert result.returncode == 0, result.stderr
        kookhuis = [i for i in json.loads(result.stdout) if i["title"].startswith("Kookhuis")]
        assert [k["status"] for k in kookhuis] == ["cancelled"]

        server.body, server.content_type = (FIXTURES / "city-feed.json").read_bytes(), "application/json"
        result = programme("--feed", server.url.replace(".ics", ".json"), "--date", "2024-03-13")
        assert result.returncode == 0, result.stderr
        assert [(i["title"], i["start"]) for i in json.loads(result.stdout)] == [
            ("Open huis met spreker", "2024-03-13T10:00:00+01:00")]

        server.fault, server.fault_arg = ("status", (500, {}))
        result = programme("--feed", server.url, "--date", "2024-03-28")
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.strip().splitlines() == [
            f"wijkkiosk: cannot use feed {server.url}: the server answered HTTP 500"]
    finally:
        server.close()


def test_sync_once_fills_the_database_and_reports_each_failed_source(tmp_path):
    server = FeedServer()
    try:
        server.body = DEMO_FEED.read_bytes()
        config = tmp_path / "kiosk.toml"
        config.write_text(f'[[sources]]\nname = "kerk"\nlocation = "{server.url}"\n'
                          f'[[sources]]\nname = "stad"\nkind = "json"\nlocation = "{server.url}x"\n')
        db = tmp_path / "k.db"
        command = [PYTHON, str(ROOT / "main.py"), "--config", str(config), "sync", "--once", "--db", str(db)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert result.returncode == 1
        assert result.stderr.splitlines() == ["wijkkiosk: source stad: not a JSON file: Expecting value: line 1 column 1 (char 0)"]
        assert "source kerk: ok" in result.stdout
        assert db.exists()

        config.write_text(f'[[sources]]\nname = "kerk"\nlocation = "{server.url}"\n')
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
    finally:
        server.close()
