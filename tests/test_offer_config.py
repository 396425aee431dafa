"""The configuration's [[help]] and [volunteer] tables (sync.offer.config): errors name the key."""
import tomllib

import pytest

from sync import config
from sync.offer.config import demo_offer
from sync.offer.model import VOLUNTEER_TOPIC, Texts
from sync.tables import ConfigError

GOOD = '''
[[help]]
who = {nl = "Wijkteam", ar = "فريق الحي"}
what = "Hulp bij geld en zorg"
link = "tel:+31781234567"
icon = "house"

[volunteer]
page = "https://huis.example/vrijwilligers"
[[volunteer.roles]]
title = "Kok bij het Kookhuis"
asks = "Eén avond per maand"
'''


def parsed(text: str):
    return config.parse(tomllib.loads(text))


def test_help_and_roles_are_read_with_their_languages():
    offer = parsed(GOOD).offer
    [wijkteam] = offer.help
    assert (wijkteam.who.in_("ar"), wijkteam.who.in_("tr"), wijkteam.topic) == ("فريق الحي", "Wijkteam", "Wijkteam")
    assert (wijkteam.link, wijkteam.icon, wijkteam.when) == ("tel:+31781234567", "house", Texts(""))
    assert [r.title.nl for r in offer.roles] == ["Kok bij het Kookhuis"] and offer.roles[0].asks.nl
    assert offer.volunteer_page == "https://huis.example/vrijwilligers" and not offer.example
    assert parsed("").offer.help == () and parsed("").offer.roles == ()


@pytest.mark.parametrize("text, key", [
    ('[[help]]\nwhat = "x"', "help[0].who: missing"),
    ('[[help]]\nwho = "a"\nwhat = "b"\nlink = "ftp://x"', "help[0].link"),
    ('[[help]]\nwho = "a"\nwhat = "b"\nicon = "rocket"', "help[0].icon"),
    ('[[help]]\nwho = "a"\nwhat = "b"\nphone = "1"', "help[0].phone: unknown setting"),
    ('[[help]]\nwho = {en = "a"}\nwhat = "b"', "help[0].who: the Dutch text (nl)"),
    ('[[help]]\nwho = {nl = "a", fr = "b"}\nwhat = "b"', "help[0].who.fr: not one of the kiosk's languages"),
    ('[[help]]\nwho = "' + "a" * 81 + '"\nwhat = "b"', "help[0].who.nl: at most 80 characters"),
    ('[[help]]\nwho = "a"\nwhat = "b"\nlink = "https://' + "a" * 500 + '"', "help[0].link: at most 500"),
    ('help = "x"', "help: expected [[help]] tables"),
    ('[volunteer]\npage = "tel:123"', "volunteer.page: expected a web address"),
    ('[volunteer]\n[[volunteer.roles]]\nasks = "2 uur"', "volunteer.roles[0].title: missing"),
    ('[volunteer]\nroles = "kok"', "volunteer.roles: expected [[volunteer.roles]] tables"),
])
def test_mistakes_name_the_key(text, key):
    with pytest.raises(ConfigError) as error:
        parsed(text)
    assert str(error.value).startswith(key), str(error.value)


def test_too_many_organisations():
    text = "".join(f'[[help]]\nwho = "o{i}"\nwhat = "w"\n' for i in range(41))
    with pytest.raises(ConfigError, match="help: at most 40 organisations, got 41"):
        parsed(text)


def test_the_demo_lists_the_reports_organisations_as_examples():
    offer = demo_offer()
    assert offer.example
    names = [o.who.nl for o in offer.help]
    for name in ("Papierwinkel", "Niemand Alleen", "Stichting Helpende Handen", "Lab Positieve Gezondheid Sterrenburg"):
        assert name in names
    # the report gives no hours or addresses: no link but the two the report names
    assert {o.link for o in offer.help} == {"", "https://samendordt.nl/niemandalleen/over-ons/",
                                            "https://stichtinghelpendehanden.nl/over-ons/"}
    assert len(offer.roles) == 3 and all(r.title.in_(lang) != r.title.nl for r in offer.roles for lang in ("en", "ar"))
    assert VOLUNTEER_TOPIC == "Vrijwilliger worden"
