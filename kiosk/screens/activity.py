"""The activity screen: details of one occurrence and a QR code to take home."""
from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from sync.schedule.model import Occurrence
from kiosk import kvcache
from kiosk.i18n import format as fmt
from kiosk.i18n.catalogues import t, tn
from kiosk.screens.takeaway import qr_payload


class ActivityScreen(Screen):
    occurrence = ObjectProperty(None, allownone=True)
    qr_data = StringProperty("")
    now = ObjectProperty(None, allownone=True)  # the app's minute (bound in activity.kv)
    lang = StringProperty("nl")
    controller = ObjectProperty(None, allownone=True)  # how many signed up here (app.controller)
    callback_enabled = BooleanProperty(False)  # a channel delivers what is asked here (app.callback_enabled)
    people_left = NumericProperty(6)  # places this kiosk has not filled, at most 6 (a sign-up's people)
    # "Ik kom ook": open until the activity's closing moment; the sentences under the details
    signup_open = BooleanProperty(False)
    signup_text = StringProperty("")

    def on_now(self, *_args) -> None:
        self._signup()

    def on_lang(self, *_args) -> None:
        self._signup()

    def on_callback_enabled(self, *_args) -> None:
        self._signup()

    def _signup(self) -> None:
        occurrence, now = self.occurrence, self.now
        closes = occurrence.signup_closes if occurrence is not None else None
        # no channel, no button: a sign-up nobody receives would be a promise broken
        open_now = bool(closes and now and not occurrence.cancelled and now < closes and self.callback_enabled)
        places = occurrence.signup.places if open_now else None
        count = self.controller.signups_for(occurrence.key) if places and self.controller is not None else 0
        self.people_left = min(6, places - count) if places else 6
        self.signup_open = open_now and self.people_left > 0  # full (by this kiosk's own count): closed
        if not open_now:
            self.signup_text = ""
            return
        lines = [fmt.signup_until(closes, now, self.lang) if self.signup_open
                 else t("This activity is full.", self.lang)]
        if places:
            lines.append(tn("{count} person has signed up at this kiosk ({places} places).",
                            "{count} people have signed up at this kiosk ({places} places).", count,
                            self.lang).format(count=count, places=occurrence.signup.places))
        self.signup_text = "\n".join(lines)

    def callback_context(self) -> dict:
        """A callback asked for here names the activity (the request's note)."""
        return {"note": self.occurrence.title} if self.occurrence else {}

    def on_occurrence(self, _instance, occurrence: Occurrence | None) -> None:
        self.qr_data = qr_payload(occurrence) if occurrence else ""
        self._signup()


kvcache.load_beside(__file__)
