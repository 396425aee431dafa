"""`python main.py programme`: the JSON contract for scripts and checks."""
import json
import subprocess

from tests.conftest import DEMO_FEED, PYTHON, ROOT


def programme(*args):
    return subprocess.run([PYTHON, str(ROOT / "main.py"), "programme", *args],
                          capture_output=True, text=True, timeout=60)


def test_prints_the_day_as_json_sorted_by_start():
    result = programme("--feed", str(DEMO_FEED), "--date", "2024-03-13")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert {"title", "start", "end", "location", "status"} <= set(items[0])
    assert [i["start"] for i in items] == sorted(i["start"] for i in items)
    open_house = [i for i in items if i["title"] == "Open huis met spreker"]
    assert open_house == [open_house[0]]
    assert open_house[0]["start"] == "2024-03-13T10:00:00+01:00"
    assert open_house[0]["end"] == "2024-03-13T12:00:00+01:00"
    assert open_house[0]["location"] == "Grote zaal"
    assert open_house[0]["status"] == "confirmed"


def test_not_on_the_third_wednesday():
    items = json.loads(programme("--feed", str(DEMO_FEED), "--date", "2024-03-20").stdout)
    assert items and "Open huis met spreker" not in [i["title"] for i in items]


def test_summer_time_offset_after_the_change():
    items = json.loads(programme("--feed", str(DEMO_FEED), "--date", "2024-03-27").stdout)
    open_house = [i for i in items if i["title"] == "Open huis met spreker"]
    assert open_house[0]["start"] == "2024-03-27T10:00:00+01:00"
    items = json.loads(programme("--feed", str(DEMO_FEED), "--date", "2024-04-10").stdout)
    open_house = [i for i in items if i["title"] == "Open huis met spreker"]
    assert open_house[0]["start"] == "2024-04-10T10:00:00+02:00"


def test_cancelled_instance_is_listed_as_cancelled():
    items = json.loads(programme("--feed", str(DEMO_FEED), "--date", "2024-03-28").stdout)
    kookhuis = [i for i in items if i["title"].startswith("Kookhuis")]
    assert [k["status"] for k in kookhuis] == ["cancelled"]


def test_missing_feed_is_one_clear_line_and_exit_2(tmp_path):
    result = programme("--feed", str(tmp_path / "nope.ics"), "--date", "2024-03-13")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "nope.ics" in lines[0] and "not found" in lines[0]


def test_garbage_feed_is_one_clear_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.ics"
    bad.write_bytes(b"<html>this is not a calendar</html>")
    result = programme("--feed", str(bad), "--date", "2024-03-13")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_broken_calendar_is_one_clear_line_and_exit_2(tmp_path):
    bad = tmp_path / "broken.ics"
    bad.write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:notadate\r\nRRULE:FREQ=NEVER\r\nEND:VEVENT\r\n")
    result = programme("--feed", str(bad), "--date", "2024-03-13")
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_date_is_a_usage_error():
    result = programme("--feed", str(DEMO_FEED), "--date", "13-03-2024")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr
