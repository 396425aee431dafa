""""Hulp in de wijk" and "Word vrijwilliger": who else helps in the neighbourhood, and what the house
needs of volunteers (sync.offer: the configuration's [[help]] and [volunteer], and the feeds' `help`).

Three screens: the help tiles (`help`), one organisation with its QR code (`help_detail`), and the
roles the house needs (`volunteer`). "Bel mij terug" on the last two starts the callback flow with that
help, or "Vrijwilliger worden", as the topic (`callback_context`).
"""
from __future__ import annotations

from kivy.properties import NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from sync.offer.model import VOLUNTEER_TOPIC, HelpOffer, HouseOffer, VolunteerRole
from sync.texts import N_
from kiosk import kvcache
from kiosk.i18n.catalogues import t

# what the QR code under a link does, by the link's kind
LINK_CAPTIONS = {
    "tel:": N_("Scan with your phone's camera to call them."),
    "mailto:": N_("Scan with your phone's camera to send them an e-mail."),
    "http": N_("Scan with your phone's camera for more information."),
}


def link_caption(link: str, lang: str) -> str:
    for prefix, message in LINK_CAPTIONS.items():
        if link.startswith(prefix):
            return t(message, lang)
    return ""


def when_text(offer: HelpOffer, lang: str) -> str:
    """When the help is there: as the house wrote it, else "by appointment"."""
    return offer.when.in_(lang) if offer.when else t("By appointment", lang)


class Tile(ButtonBehavior, BoxLayout):
    needed = NumericProperty(0)  # the height its words need
    even = NumericProperty(0)  # the need of the tallest tile in its row: the row is even (HelpScreen)


class HelpTile(Tile):
    offer = ObjectProperty(None, allownone=True)  # a HelpOffer


class VolunteerTile(Tile):
    roles = ObjectProperty(())  # the roles, named on the tile


class RoleCard(BoxLayout):
    role = ObjectProperty(None, allownone=True)  # a VolunteerRole


class HelpScreen(Screen):
    """The tiles: "Word vrijwilliger" first when the house has roles, then every organisation."""

    offer = ObjectProperty(HouseOffer())  # bound to app.offer in help.kv

    def on_offer(self, _screen, offer: HouseOffer) -> None:
        grid = self.ids.tiles
        grid.clear_widgets()
        if offer.roles:
            grid.add_widget(VolunteerTile(roles=offer.roles))
        for item in offer.help:
            grid.add_widget(HelpTile(offer=item))
        for tile in grid.children:
            tile.bind(needed=self._even)
        self._even()

    def on_kv_post(self, _base_widget) -> None:
        self.ids.tiles.bind(cols=self._even)  # turned upright: other rows

    def _even(self, *_args) -> None:
        """Tiles side by side are as tall as the taller of them (a row of the grid)."""
        grid = self.ids.tiles
        tiles, cols = list(reversed(grid.children)), max(1, grid.cols or 1)
        for start in range(0, len(tiles), cols):
            row = tiles[start:start + cols]
            tallest = max(tile.needed for tile in row)
            for tile in row:
                tile.even = tallest


class HelpDetailScreen(Screen):
    help = ObjectProperty(None, allownone=True)  # the HelpOffer shown

    def callback_context(self) -> dict:
        return {"topic": self.help.topic} if self.help else {}


class VolunteerScreen(Screen):
    offer = ObjectProperty(HouseOffer())  # bound to app.offer in help.kv
    origin = StringProperty("home")  # where "Terug" leads: the programme, or the help tiles

    def on_offer(self, _screen, offer: HouseOffer) -> None:
        box = self.ids.roles
        box.clear_widgets()
        for role in offer.roles:
            box.add_widget(RoleCard(role=role))

    def callback_context(self) -> dict:
        return {"topic": VOLUNTEER_TOPIC}


def role_lines(role: VolunteerRole | None, lang: str) -> tuple[str, str]:
    """What a role asks (time) and what it gives, as two short sentences."""
    if role is None:
        return "", ""
    asks = t("Time: {hours}", lang).format(hours=role.asks.in_(lang)) if role.asks else ""
    return asks, role.gives.in_(lang) if role.gives else ""


kvcache.load_beside(__file__)
