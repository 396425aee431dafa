"""The home screen "Vandaag": the date, the clock and today's programme."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.factory import Factory
from kivy.uix.screenmanager import Screen

from sync.schedule import today
from sync.texts import N_
from kiosk import kvcache
from kiosk.i18n import format as fmt
from kiosk.i18n.catalogues import t, tn
from kiosk.screens.takeaway import qr_payload
from kiosk.widgets.common import Card
from kiosk.widgets.wordfit import in_two_lines, line_width
from kiosk.widgets.longpress import LongPressLabel  # noqa: F401  (used by home.kv)

STATE_BACKGROUND = {today.PAST: "card_past", today.NOW: "card_now", today.CANCELLED: "card_cancelled"}
STATE_BADGE = {today.NOW: N_("Now"), today.NEXT: N_("Next"), today.PAST: N_("Finished"), today.CANCELLED: N_("Cancelled")}


class ActivityRow(Card):
    """One activity on the home screen; tap it for the details."""

    primary = False  # one of a list: a 15 mm target (the screen's main action, 20 mm, is "Bel mij terug")
    row = ObjectProperty(None)
    # not `state`: ButtonBehavior's own `state` ("normal"/"down") would overwrite it on every tap
    row_state = StringProperty(today.LATER)
    narrow = BooleanProperty(False)
    pad = NumericProperty(16)  # left and right
    vpad = NumericProperty(8)  # above and below
    one_line = BooleanProperty(False)  # the title cut to one line (a low panel)

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
    wide = BooleanProperty(False)  # room beside the list for what comes next (FeaturedPanel)
    has_help = BooleanProperty(False)  # help or roles: "Hulp in de wijk" (roles alone: "Word vrijwilliger")
    volunteer_key = BooleanProperty(False)  # "Word vrijwilliger" beside "Hulp in de wijk" (both offered)
    call_two_lines = BooleanProperty(False)  # "Bel mij / terug": the 7-inch bar's room for that key
    # (bar_has_room_for_volunteer: where even that is not enough, the roles are only the help screen's first tile)
    message = StringProperty("")  # shown instead of rows (loading, an empty day), or below them
    earlier = NumericProperty(0)  # activities that have ended, collapsed into one line at the top
    below = NumericProperty(0)  # activities (partly) below the visible part of the list
    in_view = NumericProperty(0)  # activities wholly in view (the layout report shows it to the tests)
    scrolled = BooleanProperty(False)  # the list is not at its top: "Naar boven" when nothing is below
    # a wide panel: beside the list, what comes next (else what is on now) with its QR code
    featured = ObjectProperty(None, allownone=True)  # a today.Row
    _panel = None  # the FeaturedPanel, built when first needed (not before the first frame on the 7-inch panel)
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
        """Replace the list by `rows` and `message` below them (or alone); nothing is redrawn if unchanged.

        What has ended collapses into one line at the top ("Eerder vandaag: 2"), so that what is on now
        and next always comes first; when everything has ended, the day stays in view, faded."""
        if (tuple(rows), message) == self._shown:
            return
        self._shown = (tuple(rows), message)
        shown = [row for row in rows if row.state != today.PAST] or list(rows)  # all ended: all of them, faded
        self.earlier = len(rows) - len(shown)
        box = self.ids.rows
        # the rows already on screen take the new rows (their kv rules follow `row` and `row_state`):
        # building a row from its rules cost more than the new texts (a new day, a state change)
        kept = [w for w in reversed(box.children) if isinstance(w, ActivityRow)][:len(shown)]
        for widget in [w for w in box.children if w not in kept]:
            box.remove_widget(widget)
        for widget, row in zip(kept, shown):
            widget.row, widget.row_state = row, row.state
        if self.earlier:
            line = Factory.EarlierLine()
            line.count = self.earlier
            box.add_widget(line, index=len(box.children))  # the first child shown
        for row in shown[len(kept):]:
            box.add_widget(ActivityRow(row=row, row_state=row.state))
        self.featured = next((row for row in shown if row.state == today.NEXT),
                             next((row for row in shown if row.state == today.NOW), None))
        self._place_featured()
        self.message = message
        if message:
            box.add_widget(Factory.DayMessage(text=message))
        self.ids.scroller.scroll_y = 1
        self.count_below()

    def on_wide(self, *_args) -> None:
        self._place_featured()

    def _place_featured(self) -> None:
        """Show what comes next beside the list on a wide panel; build its panel the first time."""
        wanted = self.wide and self.featured is not None
        if wanted and self._panel is None:
            self._panel = Factory.FeaturedPanel()
            self.ids.listing.add_widget(self._panel)
        panel = self._panel
        if panel is None:
            return
        panel.row = self.featured
        panel.qr = qr_payload(self.featured.occurrence) if wanted else ""
        panel.size_hint_x, panel.width = (0.6, panel.width) if wanted else (None, 0)
        panel.opacity, panel.disabled = (1, False) if wanted else (0, True)

    @staticmethod
    def bar_has_room_for_volunteer(lang: str, tools_width: float, width: float, u: float, fs: float,
                                   target: float, gap: float, rtl: bool, short: bool, two_lines: bool) -> bool:
        """Whether the bar in landscape holds the tools, "Nog N", "Hulp in de wijk" and "Word vrijwilliger"
        at 15 mm each, their gaps, and the call button: its words on one line at the text size, or in the
        crowded mode at the design size on two lines (right to left on one, without the icon; home.kv,
        kiosk/widgets/common.kv). Where even that leaves no room (a language with long words for the tools
        and the call), "Word vrijwilliger" is the first tile of "Hulp in de wijk" only."""
        text = t("Call me back", lang)
        if two_lines and rtl:
            call = line_width(text, 26 * u) * 1.25 + 20 * u  # PrimaryAction: its words and padding
        elif two_lines:
            call = max(line_width(line, 26 * u) for line in in_two_lines(text).split("\n")) + 74 * u  # and icon
        else:
            call = line_width(text, 26 * fs) + 82 * u
            if rtl or not short:
                call = max(300 * u, call)
        return 32 * u + tools_width + 3 * target + 4 * gap + call <= width

    @staticmethod
    def more_text(below: int, scrolled: bool, lang: str) -> str:
        """ "Nog 3 activiteiten" (what lies below the visible part of the list), "Naar boven" at its end."""
        if below:
            return tn("{count} more activity", "{count} more activities", below, lang).format(count=below)
        return t("Back to the top", lang) if scrolled else ""

    def count_below(self, *_args) -> None:
        """How many activities lie (partly) below the visible part of the list: "Nog 3 activiteiten"."""
        Clock.unschedule(self._count_below)
        Clock.schedule_once(self._count_below)  # after the layout has placed the rows

    def _count_below(self, _dt) -> None:
        # from the layout's own numbers (the rows' positions may not be updated yet): offsets from the top
        scroller, box = self.ids.scroller, self.ids.rows
        view_top = (1 - scroller.scroll_y) * max(0.0, box.height - scroller.height)
        view_bottom = view_top + scroller.height
        offset, below, in_view = box.padding[1], 0, 0
        for widget in reversed(box.children):  # children lists the last added first
            top, offset = offset, offset + widget.height
            if isinstance(widget, ActivityRow):
                below += offset > view_bottom + 1
                in_view += top >= view_top - 1 and offset <= view_bottom + 1
            offset += box.spacing
        self.below, self.in_view, self.scrolled = below, in_view, view_top > 1

    def page(self) -> None:
        """Scroll one page towards the end (less a little, so the row that was cut is seen whole); at the
        end, back to the top."""
        scroller, box = self.ids.scroller, self.ids.rows
        room = box.height - scroller.height
        if room > 0 and self.below:
            scroller.scroll_y = max(0.0, scroller.scroll_y - (scroller.height - 40 * self.u) / room)
        else:
            scroller.scroll_y = 1
        self.count_below()


kvcache.load_beside(__file__)
