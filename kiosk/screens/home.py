"""The home screen "Vandaag": the date, the clock and today's programme."""
from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.factory import Factory
from kivy.uix.screenmanager import Screen

from sync.schedule import today
from sync.texts import N_
from kiosk.i18n import format as fmt
from kiosk.i18n.catalogues import t
from kiosk.widgets.common import Card
from kiosk.widgets.longpress import LongPressLabel  # noqa: F401  (used by home.kv)

STATE_BACKGROUND = {today.PAST: "card_past", today.NOW: "card_now", today.CANCELLED: "card_cancelled"}
STATE_BADGE = {today.NOW: N_("Now"), today.NEXT: N_("Next"), today.PAST: N_("Finished"), today.CANCELLED: N_("Cancelled")}


class ActivityRow(Card):
    """One activity on the home screen; tap it for the details."""

    primary = True
    row = ObjectProperty(None)
    # not `state`: ButtonBehavior's own `state` ("normal"/"down") would overwrite it on every tap
    row_state = StringProperty(today.LATER)
    narrow = BooleanProperty(False)
    pad = NumericProperty(16)

    def background_name(self, state: str) -> str:
        return STATE_BACKGROUND.get(state, "card")

    def badge(self, state: str, lang: str) -> str:
        """'Nu bezig', 'Straks', ... or nothing."""
        return t(STATE_BADGE[state], lang) if state in STATE_BADGE else ""

    def title(self, row: today.Row | None, lang: str) -> str:
        if row is None:
            return ""
        if row.state == today.CANCELLED:
            return t("No {title} today", lang).format(title=row.occurrence.title_in(lang))
        return row.occurrence.title_in(lang)


class HomeScreen(Screen):
    narrow = BooleanProperty(False)
    message = StringProperty("")  # shown instead of rows (loading, an empty day), or below them
    u = NumericProperty(1.0)  # the app's scale unit (bound in home.kv)

    _shown: tuple = ()

    @staticmethod
    def day_lines(now, lang: str, house: str, notice: str, text_step: int, narrow: bool = False) -> str:
        """The header's middle: the date in words, and below it how old the programme is when it may be
        out of date, else the house's name (which gives way to the programme at the larger text sizes and
        on a narrow, portrait panel, where the header is taller)."""
        second = notice or (house if text_step == 0 and not narrow else "")
        return "\n".join(line for line in (fmt.date_in_words(now.date(), lang) if now else "", second) if line)

    @property
    def rows(self) -> tuple[today.Row, ...]:
        return self._shown[0] if self._shown else ()

    def show(self, rows: list[today.Row], message: str) -> None:
        """Replace the list by `rows` and `message` below them (or alone); nothing is redrawn if unchanged."""
        if (tuple(rows), message) == self._shown:
            return
        self._shown = (tuple(rows), message)
        box = self.ids.rows
        # the rows already on screen take the new rows (their kv rules follow `row` and `row_state`):
        # building a row from its rules cost more than the new texts (a new day, a state change)
        kept = [w for w in reversed(box.children) if isinstance(w, ActivityRow)][:len(rows)]
        for widget in [w for w in box.children if w not in kept]:
            box.remove_widget(widget)
        for widget, row in zip(kept, rows):
            widget.row, widget.row_state = row, row.state
        widgets = kept + [ActivityRow(row=row, row_state=row.state) for row in rows[len(kept):]]
        for widget in widgets[len(kept):]:
            box.add_widget(widget)
        self.message = message
        if message:
            box.add_widget(Factory.DayMessage(text=message))
        self._scroll_target = next((w for w in widgets if w.row_state not in (today.PAST, today.CANCELLED)), None)
        self.rescroll()

    _scroll_target = None

    def rescroll(self) -> None:
        """Put what is on now or next at the top of the list (the row before it peeks in).

        Called on a new list and whenever the list or its viewport changes size (layout, notice).
        """
        scroller, box, row = self.ids.scroller, self.ids.rows, self._scroll_target
        room = box.height - scroller.height
        if row is None or room <= 0 or row not in box.children:
            scroller.scroll_y = 1
            return
        # from the layout's own numbers: the rows' positions may not be updated yet
        before = box.children[box.children.index(row) + 1:]  # children are in reverse order
        offset = box.padding[1] + sum(w.height + box.spacing for w in before)
        peek = 40 * self.u
        scroller.scroll_y = min(1.0, max(0.0, 1 - (offset - peek) / room))


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
