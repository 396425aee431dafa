"""Issue 15, the data side: the JSON feed's versioned `help` section, from the feed to the database."""
import copy
import datetime as dt
import json
import re

import pytest

from sync.config import Config, Source
from sync.errors import SourceInvalid
from sync.offer.model import HELP_ICONS, LINK_SCHEMES, HelpOffer, HouseOffer, Texts, VolunteerRole
from sync.schedule import bounded, expand, jsonfeed, limits
from sync.schedule.poller import SchedulePoller
from sync.store import CachedFeed, Store
from tests.conftest import ROOT

NOW = dt.datetime(2024, 3, 13, 9, 0, tzinfo=dt.timezone.utc)
START = dt.datetime(2024, 3, 12, tzinfo=dt.timezone.utc)
END = dt.datetime(2024, 4, 30, tzinfo=dt.timezone.utc)

HELP = {
    "version": 1,
    "offers": [
        {"who": {"nl": "Papierwinkel", "en": "Paper shop"}, "what": {"nl": "Hulp bij brieven en formulieren"},
         "when": {"nl": "Dinsdag 10:00 - 12:00"}, "where": {"nl": "Ontmoetingskerk, spreekkamer"},
         "link": "https://example.org/papierwinkel", "icon": "form"},
    ],
    "volunteering": {
        "page": "https://example.org/vrijwilligers",
        "roles": [{"title": {"nl": "Gastvrouw of gastheer bij de inloop"}, "asks": {"nl": "2 uur per week"},
                   "gives": {"nl": "Nieuwe mensen leren kennen"}}],
    },
}

PAPIERWINKEL = HelpOffer(
    who=Texts("Papierwinkel", (("en", "Paper shop"),)), what=Texts("Hulp bij brieven en formulieren"),
    when=Texts("Dinsdag 10:00 - 12:00"), where=Texts("Ontmoetingskerk, spreekkamer"),
    link="https://example.org/papierwinkel", icon="form", source="wijk")
GASTVROUW = VolunteerRole(title=Texts("Gastvrouw of gastheer bij de inloop"), asks=Texts("2 uur per week"),
                          gives=Texts("Nieuwe mensen leren kennen"), source="wijk")
EXPECTED = HouseOffer(help=(PAPIERWINKEL,), roles=(GASTVROUW,), volunteer_page="https://example.org/vrijwilligers")


def feed(help=HELP, **fields) -> bytes:
    doc = {"version": 1, "activities": [
        {"id": "koffie", "title": {"nl": "Koffieochtend"}, "start": "2024-03-13T10:00", "end": "2024-03-13T12:00",
         "rrule": "FREQ=WEEKLY"}], **fields}
    if help is not None:
        doc["help"] = help
    return json.dumps(doc).encode()


def changed(change) -> dict:
    section = copy.deepcopy(HELP)
    change(section)
    return section


def offer_of(body: bytes, source: str = "wijk") -> HouseOffer:
    """The house offer of a JSON body, expanded as the child does (in this process: quicker)."""
    return expand.expand_body("json", body, START, END, "Europe/Amsterdam", source).offer


# -- the schema ------------------------------------------------------------------------------------

def test_the_example_becomes_a_house_offer_named_after_its_source():
    assert offer_of(feed()) == EXPECTED
    assert offer_of(feed(), "stad").help[0].source == "stad"


def test_the_feed_without_help_and_an_ics_feed_have_no_offer():
    assert offer_of(feed(help=None)) == HouseOffer()
    ics = (ROOT / "assets" / "demo" / "ontmoetingskerk-sterrenburg.ics").read_bytes()
    assert expand.expand_body("ics", ics, START, END, "Europe/Amsterdam", "demo").offer == HouseOffer()


def test_the_documented_help_example_is_a_valid_feed():
    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    section = text.split("## The `help` section", 1)[1]
    example = section.split("```json\n", 1)[1].split("```", 1)[0]
    assert offer_of(example.encode()) == EXPECTED


@pytest.mark.parametrize("change, where, words", [
    (lambda s: s["offers"][0].pop("who"), "help/offers/0", "'who' is a required property"),
    (lambda s: s["offers"][0]["what"].pop("nl"), "help/offers/0/what", "'nl' is a required property"),
    (lambda s: s["offers"][0].update(icon="rocket"), "help/offers/0/icon", "'rocket'"),
    (lambda s: s["offers"][0].update(link="ftp://example.org/x"), "help/offers/0/link", "ftp://"),
    (lambda s: s["offers"][0].update(link="javascript:alert(1)"), "help/offers/0/link", "javascript"),
    (lambda s: s["offers"][0].update(colour="red"), "help/offers/0", "'colour' was unexpected"),
    (lambda s: s["volunteering"]["roles"][0].pop("title"), "help/volunteering/roles/0", "'title'"),
    (lambda s: s["volunteering"].update(page="tel:+31781234567"), "help/volunteering/page", "tel:"),
    (lambda s: s.pop("version"), "help", "'version' is a required property"),
    (lambda s: s.update(version=2), "help/version", "version 2 is not supported (expected 1)"),
    (lambda s: s.update(version="1"), "help/version", "'1'"),
])
def test_a_help_section_that_does_not_match_fails_in_one_line_naming_where(change, where, words):
    with pytest.raises(SourceInvalid) as caught:
        jsonfeed.parse(feed(changed(change)))
    message = str(caught.value)
    assert f"at {where}:" in message or message.startswith(f"{where}:"), message
    assert words in message and len(message) <= 200 and "\n" not in message, message


def test_the_schema_names_exactly_the_models_icons_and_link_schemes():
    schema = json.loads((ROOT / "docs" / "feed.schema.json").read_text(encoding="utf-8"))
    offer = schema["$defs"]["helpOffer"]["properties"]
    assert tuple(offer["icon"]["enum"]) == HELP_ICONS
    pattern = re.compile(offer["link"]["pattern"])
    assert all(pattern.search(scheme + "x") for scheme in LINK_SCHEMES)
    assert not any(pattern.search(link) for link in ("ftp://x", "javascript:x", "file:///etc", "HTTPS//x", " https://x"))


# -- limits and cleaning ---------------------------------------------------------------------------

def many(offers: int = 1, roles: int = 1) -> dict:
    return changed(lambda s: (s.update(offers=s["offers"] * offers),
                              s["volunteering"].update(roles=s["volunteering"]["roles"] * roles)))


def test_at_most_the_limit_of_offers_and_roles():
    found = offer_of(feed(many(limits.MAX_HELP_OFFERS, limits.MAX_VOLUNTEER_ROLES)))
    assert (len(found.help), len(found.roles)) == (40, 20)


def test_one_offer_past_the_limit_fails_the_source_in_one_line_through_the_child():
    with pytest.raises(SourceInvalid) as caught:
        bounded.expand_body("json", feed(many(offers=41)), START, END, "Europe/Amsterdam", "wijk")
    assert str(caught.value) == "help/offers: the help section has 41 offers; at most 40 are allowed"


def test_one_role_past_the_limit_fails_the_source():
    with pytest.raises(SourceInvalid, match=r"^help/volunteering/roles: .*21 volunteer roles; at most 20 are allowed$"):
        jsonfeed.parse(feed(many(roles=21)))


def test_texts_are_cleaned_and_cut_to_their_limits():
    section = changed(lambda s: (
        s["offers"][0].update(who={"nl": "Papier\ud800winkel\u202e " + "x" * 200, "en": "E" * 81},
                              what={"nl": "W" * 1000}, when={"nl": "Dinsdag\n10:00\x07"},
                              where={"nl": "P" * 500}),
        s["volunteering"]["roles"][0].update(title={"nl": "T" * 500}, asks={"nl": "A" * 500}, gives={"nl": "G" * 500})))
    found = offer_of(feed(section))
    offer, role = found.help[0], found.roles[0]
    assert offer.who.nl.startswith("Papierwinkel xx") and len(offer.who.nl) == 80 and offer.who.nl.endswith("…")
    assert offer.who.in_("en") == "E" * 79 + "…"
    assert (len(offer.what.nl), len(offer.where.nl)) == (300, 120)
    assert offer.when.nl == "Dinsdag 10:00"
    assert (len(role.title.nl), len(role.asks.nl), len(role.gives.nl)) == (120, 200, 200)
    assert (limits.TEXT_LIMITS["help.who"], limits.TEXT_LIMITS["help.what"]) == (80, 300)


def test_a_lone_surrogate_escaped_in_the_json_is_removed():
    body = feed().replace(b"Papierwinkel", b"Papier\\ud800winkel")
    assert b"\\ud800" in body
    assert offer_of(body).help[0].who.nl == "Papierwinkel"


@pytest.mark.parametrize("link, kept", [
    ("https://example.org/" + "a" * 480, "https://example.org/" + "a" * 480),  # 500 characters: a QR code
    ("https://example.org/" + "a" * 481, ""),
    ("https://example.org/a b", ""),
    ("tel:+31 78 123 45 67", "tel:+31781234567"),
    ("mailto:hulp@example.org", "mailto:hulp@example.org"),
])
def test_a_link_too_long_for_a_qr_code_or_with_a_space_is_dropped(link, kept):
    found = offer_of(feed(changed(lambda s: (s["offers"][0].update(link=link),
                                             s["volunteering"].update(page=link if link.startswith("http") else "https://x.example/v")))))
    assert found.help[0].link == kept
    if link.startswith("http"):
        assert found.volunteer_page == kept


def test_languages_keep_dutch_first_and_at_most_the_limit():
    codes = [f"x{letter}" for letter in "abcdefghijklmnopqrst"]
    texts = {"de": ""} | {code: f"tekst {code}" for code in codes} | {"nl": "Papierwinkel"}
    found = offer_of(feed(changed(lambda s: s["offers"][0].update(who=texts))))
    who = found.help[0].who
    assert who.nl == "Papierwinkel"  # listed last, kept first
    assert dict(who.other) == {code: f"tekst {code}" for code in codes[:limits.MAX_LANGUAGES - 2]}
    assert who.in_("de") == "Papierwinkel"  # an empty text is not a translation


def test_an_offer_or_role_that_is_empty_after_cleaning_is_left_out():
    found = offer_of(feed(changed(lambda s: (
        s["offers"].append({"who": {"nl": "\u202e\x00"}, "what": {"nl": "Niets"}}),
        s["volunteering"]["roles"].append({"title": {"nl": "  "}})))))
    assert found == EXPECTED


def test_an_offer_without_icon_gets_the_default_and_optional_texts_stay_empty():
    found = offer_of(feed({"version": 1, "offers": [{"who": {"nl": "Buurtkamer"}, "what": {"nl": "Koffie"}}]}))
    assert found == HouseOffer(help=(HelpOffer(Texts("Buurtkamer"), Texts("Koffie"), source="wijk"),))


# -- the store -------------------------------------------------------------------------------------

def cached(source: str, body: bytes = b"{}") -> CachedFeed:
    return CachedFeed(source, body, "Europe/Amsterdam", NOW, expanded_for="w", count=0)


def renamed(offer: HouseOffer, source: str) -> HouseOffer:
    import dataclasses

    return HouseOffer(help=tuple(dataclasses.replace(o, source=source) for o in offer.help),
                      roles=tuple(dataclasses.replace(r, source=source) for r in offer.roles),
                      volunteer_page=offer.volunteer_page)


def test_the_store_keeps_the_offer_with_the_programme_and_reads_it_back(tmp_path):
    store = Store(tmp_path / "k.db")
    assert store.feed_offer() == HouseOffer()
    store.replace_programme("wijk", [], cached("wijk"), EXPECTED)
    assert Store(tmp_path / "k.db").feed_offer() == EXPECTED


def test_the_sources_offers_are_merged_in_the_order_of_their_names(tmp_path):
    store = Store(tmp_path / "k.db")
    zuid = renamed(EXPECTED, "zuid")
    noord = HouseOffer(roles=(VolunteerRole(Texts("Kok"), source="noord"),), volunteer_page="https://noord.example/v")
    store.replace_programme("zuid", [], cached("zuid"), zuid)
    store.replace_programme("noord", [], cached("noord"), noord)
    store.replace_programme("midden", [], cached("midden"))  # an ICS source: nothing stored
    merged = store.feed_offer()
    assert merged == noord.merged(zuid)
    assert [r.source for r in merged.roles] == ["noord", "zuid"] and merged.volunteer_page == "https://noord.example/v"


def test_a_programme_without_help_clears_the_sources_offer(tmp_path):
    store = Store(tmp_path / "k.db")
    store.replace_programme("wijk", [], cached("wijk"), EXPECTED)
    store.replace_programme("stad", [], cached("stad"), renamed(EXPECTED, "stad"))
    store.replace_programme("wijk", [], cached("wijk"))
    assert store.feed_offer() == renamed(EXPECTED, "stad")


def test_a_forgotten_source_takes_its_offer_along(tmp_path):
    store = Store(tmp_path / "k.db")
    store.replace_programme("wijk", [], cached("wijk"), EXPECTED)
    store.replace_programme("stad", [], cached("stad"), renamed(EXPECTED, "stad"))
    store.forget_sources_except(["stad"])
    assert store.feed_offer() == renamed(EXPECTED, "stad")
    store.forget_sources_except([])
    assert store.feed_offer() == HouseOffer()


def test_a_programme_that_cannot_be_written_keeps_the_old_offer(tmp_path, monkeypatch):
    from tests.conftest import local
    from sync.schedule.model import Occurrence

    store = Store(tmp_path / "k.db")
    store.replace_programme("wijk", [], cached("wijk"), EXPECTED)
    new = Occurrence("wijk", "u", "Nieuw", local(2024, 3, 13, 9), local(2024, 3, 13, 10))

    def fail(feed):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "save_feed", fail)  # the last write of the three
    with pytest.raises(RuntimeError):
        store.replace_programme("wijk", [new], cached("wijk", b"new"), HouseOffer())
    assert store.feed_offer() == EXPECTED and store.cached_feed("wijk").body == b"{}"
    assert store.occurrences_between(local(2024, 3, 13), local(2024, 3, 14)) == []


def test_an_offer_that_cannot_be_written_keeps_the_old_programme(tmp_path, monkeypatch):
    from tests.conftest import local
    from sync.schedule.model import Occurrence

    store = Store(tmp_path / "k.db")
    old = Occurrence("wijk", "u", "Oud", local(2024, 3, 13, 9), local(2024, 3, 13, 10))
    store.replace_programme("wijk", [old], cached("wijk"), EXPECTED)
    new = Occurrence("wijk", "u", "Nieuw", local(2024, 3, 13, 9), local(2024, 3, 13, 10))

    def fail(offer):
        raise RuntimeError("disk full")

    monkeypatch.setattr("sync.offer.section.to_section", fail)
    with pytest.raises(RuntimeError):
        store.replace_programme("wijk", [new], cached("wijk", b"new"), renamed(EXPECTED, "wijk"))
    assert [o.title for o in store.occurrences_between(local(2024, 3, 13), local(2024, 3, 14))] == ["Oud"]
    assert store.cached_feed("wijk").body == b"{}" and store.feed_offer() == EXPECTED


def test_a_version_2_database_gets_the_offers_table(tmp_path):
    store = Store(tmp_path / "k.db")
    store.db.execute("DROP TABLE offers")
    store.db.execute("UPDATE meta SET value = '2' WHERE name = 'schema_version'")
    store.conn.commit()
    store.close()
    store = Store(tmp_path / "k.db")
    assert store.feed_offer() == HouseOffer()
    assert store.get_meta("schema_version") == "3"


# -- from the feed to the database -----------------------------------------------------------------

def poll(tmp_path, path, now, force=False):
    config = Config(sources=(Source("wijk", str(path), "json"),))
    store = Store(tmp_path / "k.db")
    try:
        SchedulePoller(config).poll(store, now, force)
        return store.feed_offer()
    finally:
        store.close()


def test_a_json_file_source_brings_its_offer_and_a_feed_without_help_clears_it(tmp_path):
    path = tmp_path / "wijk.json"
    path.write_bytes(feed())
    assert poll(tmp_path, path, NOW) == EXPECTED
    path.write_bytes(feed(help=None))
    assert poll(tmp_path, path, NOW + dt.timedelta(hours=1), force=True) == HouseOffer()


def test_a_help_section_past_its_limit_keeps_the_last_good_offer(tmp_path):
    path = tmp_path / "wijk.json"
    path.write_bytes(feed())
    poll(tmp_path, path, NOW)
    path.write_bytes(feed(many(offers=41)))
    config = Config(sources=(Source("wijk", str(path), "json"),))
    store = Store(tmp_path / "k.db")
    poller = SchedulePoller(config)
    poller.poll(store, NOW + dt.timedelta(hours=1), force=True)
    assert "at most 40 are allowed" in poller.statuses[0].last_error
    assert store.feed_offer() == EXPECTED


def test_the_offer_is_derived_again_when_the_window_rolls_without_a_network(tmp_path):
    path = tmp_path / "wijk.json"
    path.write_bytes(feed())
    assert poll(tmp_path, path, NOW) == EXPECTED
    path.unlink()  # the next day: the file is gone, the cached body is expanded for the new window
    assert poll(tmp_path, path, NOW + dt.timedelta(days=1)) == EXPECTED
    store = Store(tmp_path / "k.db")
    assert store.cached_feed("wijk").expanded_for.startswith("2024-03-13")  # it was re-expanded (yesterday..)


def test_check_says_how_much_help_a_json_source_holds(tmp_path):
    from sync import check

    path = tmp_path / "wijk.json"
    path.write_bytes(feed())
    [finding] = check.check_sources(Config(sources=(Source("wijk", str(path), "json"),)), NOW)
    assert finding.ok and finding.detail.endswith("; 1 help offer, 1 volunteer role"), finding.detail
