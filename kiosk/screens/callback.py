"""The callback request: topic -> phone number -> first name -> moment -> consent -> confirmation.

`CallbackFlow` holds the one form (a frozen `CallbackForm`, replaced on every edit) and moves between
the step screens; `reset()` forgets it (home, inactivity). Submitting hands the request to the
controller (kiosk/controller.py), which commits it to the outbox and wakes the worker to deliver it.
"""
from __future__ import annotations

import dataclasses
import logging
import sqlite3

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty

from sync.callback.config import DEFAULT_TOPICS
from sync.callback import outbox, phone
from sync.config import Config
from sync.offer.model import VOLUNTEER_TOPIC, HouseOffer
from sync.texts import DEFAULT_LANGUAGE, N_
from kiosk import figures
from kiosk.i18n import format as fmt
from kiosk.i18n.catalogues import t, tn
from kiosk.screens.callback_form import CallbackForm
from kiosk.widgets.keys import BACKSPACE

log = logging.getLogger(__name__)


STEPS = ("callback_topic", "callback_phone", "callback_name", "callback_moment", "callback_consent",
         "callback_done")
# "Ik kom ook": how many, the first name (needed), the phone number (may be skipped), then the same end
SIGNUP_STEPS = ("callback_people", "callback_name", "callback_phone", "callback_consent", "callback_done")
MOMENT_TEXTS = {  # sync.callback.outbox.MOMENTS: (label, hint, icon)
    outbox.MORNING: (N_("Morning"), N_("9 – 12 o'clock"), "sunrise"),
    outbox.AFTERNOON: (N_("Afternoon"), N_("12 – 17 o'clock"), "sun"),
    outbox.EVENING: (N_("Evening"), N_("17 – 20 o'clock"), "moon"),
    outbox.ANY: (N_("No preference"), N_("any time of day"), "clock"),
}
# the default topics in the visitor's language (the Dutch catalogue gives back the configured text); a
# house's own topics show as configured. The request keeps the configured text, for the volunteer.
DEFAULT_TOPIC_TEXTS = dict(zip(DEFAULT_TOPICS, (N_("Paperwork and forms"), N_("Food bank"), N_("Homework help"),
                                                N_("Something else"))))
DEFAULT_TOPIC_TEXTS[VOLUNTEER_TOPIC] = N_("Becoming a volunteer")  # "Word vrijwilliger" (kiosk/screens/help.py)
PHONE_ERRORS = {
    phone.EMPTY: N_("Please type your phone number."),
    phone.TOO_SHORT: N_("This number is too short. A Dutch number has 10 digits, for example 06 12345678."),
    phone.TOO_LONG: N_("This number is too long. A Dutch number has 10 digits, for example 06 12345678."),
    phone.NOT_DUTCH: N_("We can only call Dutch numbers (06…, 0…, or +31…)."),
    phone.NOT_CALLABLE: N_("We cannot call this kind of number. Please use a mobile or home number."),
    phone.INVALID: N_("This is not a Dutch phone number. Please check it."),
}


class CallbackFlow(EventDispatcher):
    form = ObjectProperty(CallbackForm())
    error = StringProperty("")  # an inline message on the current step
    config = ObjectProperty(Config())  # the configuration's topics, retention and promise
    lang = StringProperty(DEFAULT_LANGUAGE)  # the visitor's language (bound to the app's)
    offer = ObjectProperty(HouseOffer())  # the help organisations, topics of their own (bound to the app's)
    signup = ObjectProperty(None, allownone=True)  # the Occurrence a visitor signs up for; None: a callback
    people_left = NumericProperty(6)  # a sign-up: at most this many (the places this kiosk has not filled)
    demo = BooleanProperty(False)  # the demo: the confirmation says that nothing was kept or sent
    # texts derived from the form, the language and the configuration, set once per change of them
    phone_text = StringProperty("")  # the number as typed, grouped ("06 12345678")
    name_text = StringProperty("")  # the first name as typed
    summary_head = StringProperty("")  # the consent step: what the request is about, the number
    summary_tail = StringProperty("")  # ... the name and the moment
    consent_text = StringProperty("")
    promise_text = StringProperty("")  # the confirmation: what happens next

    def __init__(self, app, **kwargs):
        super().__init__(**kwargs)
        self.app = app
        self.origin = "home"
        self.topic_given = False  # the topic came with the start (a help page): back from the phone leaves
        self.config = app.kiosk_config

    def configure(self, config: Config) -> None:
        self.config = config

    def on_form(self, _flow, form: CallbackForm) -> None:
        self.phone_text = phone.as_typed(form.phone)
        self.name_text = form.name
        self._derive()

    def on_lang(self, *_args) -> None:
        self._derive()

    def on_config(self, *_args) -> None:
        self._derive()

    def on_demo(self, *_args) -> None:
        self._derive()

    def on_signup(self, *_args) -> None:
        self._derive()

    def _derive(self) -> None:
        lines = self.summary(self.form, self.lang).split("\n")
        self.summary_head, self.summary_tail = "\n".join(lines[:2]), "\n".join(lines[2:])
        self.consent_text = self.consent(self.lang)
        self.promise_text = self.promise(self.form, self.lang)

    # -- moving between steps ---------------------------------------------------------------------

    @property
    def steps(self) -> tuple[str, ...]:
        return SIGNUP_STEPS if self.signup is not None else STEPS

    def _next(self) -> None:
        current = self.app.root.current
        self.app.show(self.steps[self.steps.index(current) + 1])

    def signup_still_open(self, occurrence) -> bool:
        closes = occurrence.signup_closes
        return bool(closes) and not occurrence.cancelled and self.app.clock.now() < closes

    def start_signup(self, occurrence, people_left: int = outbox.MAX_PEOPLE) -> None:
        """"Ik kom ook" on an activity that takes sign-ups."""
        self.origin = self.app.root.current
        self.reset()
        self.signup = occurrence
        self.people_left = max(1, min(outbox.MAX_PEOPLE, people_left))
        self.form = CallbackForm(topic=occurrence.title, people=1)
        self.topic_given = False
        self.app.show(SIGNUP_STEPS[0])

    def start(self, note: str = "", topic: str = "") -> None:
        """The first step; with a `topic` (a help page, the volunteer page) the topic step is skipped."""
        self.origin = self.app.root.current
        self.reset()
        self.signup = None
        self.form = CallbackForm(note=note, topic=topic)
        self.topic_given = bool(topic)
        self.app.show("callback_phone" if topic else "callback_topic")

    def back(self) -> None:
        current = self.app.root.current
        self.error = ""
        if current == self.steps[0] or (current == "callback_phone" and self.topic_given):
            self.app.show(self.origin) if self.origin != "home" else self.app.go_home()
        else:
            self.app.show(self.steps[self.steps.index(current) - 1])

    def reset(self) -> None:
        self.form = CallbackForm()
        self.error = ""
        self.signup = None

    # -- the steps ----------------------------------------------------------------------------------

    def topic_label(self, topic: str, lang: str) -> str:
        """The house's own words for `topic` in `lang` if it gave them, else a default topic from the
        catalogues, else the topic as written."""
        own = self.config.callback.translated(topic, lang)
        msgid = DEFAULT_TOPIC_TEXTS.get(topic)
        if own or msgid:
            return own or t(msgid, lang)
        helper = next((offer.who for offer in self.offer.help if offer.topic == topic), None)
        return helper.in_(lang) if helper else topic

    def choose_topic(self, topic: str) -> None:
        self.form = dataclasses.replace(self.form, topic=topic)
        self._next()

    def choose_people(self, people: int) -> None:
        self.form = dataclasses.replace(self.form, people=people)
        self._next()

    def phone_key(self, key: str) -> None:
        self.error = ""
        self.form = self.form.without_last_digit() if key == BACKSPACE else self.form.with_digit(key)

    def phone_done(self) -> None:
        if self.signup is not None and not self.form.phone:  # a sign-up's number may be left out
            self.form = dataclasses.replace(self.form, e164="")
            self._next()
            return
        result = phone.normalise(self.form.phone)
        if not result.ok:
            self.error = t(PHONE_ERRORS[result.reason], self.lang)
            return
        self.form = dataclasses.replace(self.form, e164=result.e164)
        self._next()

    def name_key(self, key: str) -> None:
        self.error = ""
        self.form = self.form.without_last_letter() if key == BACKSPACE else self.form.with_letter(key)

    def name_done(self, skip: bool) -> None:
        if self.signup is not None and not self.form.name.strip(" -"):  # a sign-up needs a first name
            self.error = t("Please type your first name.", self.lang)
            return
        if skip:
            self.form = dataclasses.replace(self.form, name="")
        else:
            self.form = dataclasses.replace(self.form, name=self.form.name.strip(" -"))
        self._next()

    def choose_moment(self, moment: str) -> None:
        self.form = dataclasses.replace(self.form, moment=moment)
        self._next()

    def confirm(self) -> None:
        """Commit the request, then confirm it; the worker delivers it."""
        form, signup = self.form, self.signup
        if signup is not None and not self.signup_still_open(signup):
            self.error = t("Sorry, signing up for this activity has closed.", self.lang)
            return
        try:
            if signup is not None:
                self.app.controller.submit_signup(outbox.signup_request(signup, form.people, form.name, form.e164))
            else:
                self.app.controller.submit_request(outbox.CallbackRequest(
                    topic=form.topic, phone=form.e164, name=form.name, moment=form.moment, note=form.note))
        except (sqlite3.Error, ValueError) as exc:  # ValueError: a request the outbox refuses (outbox.validate)
            log.error("callback request could not be stored: %s", type(exc).__name__)
            self.error = t("Sorry, this did not work. Please ask someone in the building.", self.lang)
            return
        self.reset()
        self.signup = signup  # the confirmation's words; home forgets it (reset)
        # the confirmation names the moment (a callback) or the activity and the people (a sign-up)
        self.form = dataclasses.replace(self.form, moment=form.moment, topic=form.topic, people=form.people)
        self.app.show("callback_done")

    # -- texts for the screens --------------------------------------------------------------------

    def topic_icon(self, topic: str) -> str:
        return self.config.callback.icon(topic)

    def moment_label(self, moment: str, lang: str) -> str:
        return t(MOMENT_TEXTS[moment][0], lang) if moment in MOMENT_TEXTS else ""

    def moment_hint(self, moment: str, lang: str) -> str:
        return t(MOMENT_TEXTS[moment][1], lang) if moment in MOMENT_TEXTS else ""

    def moment_icon(self, moment: str) -> str:
        return MOMENT_TEXTS[moment][2] if moment in MOMENT_TEXTS else "clock"

    def summary(self, form: CallbackForm, lang: str) -> str:
        if self.signup is not None:
            return "\n".join([
                t("Activity: {title}", lang).format(title=self.signup.title_in(lang)),
                fmt.when(self.signup, lang),
                t("Name: {name}", lang).format(name=form.name),
                tn("{count} person", "{count} people", form.people, lang).format(count=form.people),
                t("Phone: {number}", lang).format(number=phone.national(form.e164)) if form.e164
                else t("Phone: (not given)", lang),
            ])
        lines = [
            t("About: {topic}", lang).format(topic=self.topic_label(form.topic, lang)),
            t("Phone: {number}", lang).format(number=phone.national(form.e164) if form.e164 else ""),
            t("Name: {name}", lang).format(name=form.name) if form.name else t("Name: (not given)", lang),
            t("When: {moment}", lang).format(moment=self.moment_label(form.moment, lang).lower()),
        ]
        return "\n".join(lines)

    def consent(self, lang: str) -> str:
        if self.signup is not None:
            return t(
                "We keep your name, your number if you gave it, and how many of you come on this kiosk until "
                "the volunteers of {house} have received them, and never longer than {days} days. Only those "
                "volunteers see them, and only for this activity.", lang,
            ).format(house=self.config.house_name, days=self.config.callback.retention_days) \
                + " " + t(figures.PRIVACY_NOTICE, lang)
        return t(
            "We keep your number, your name and your question on this kiosk until the volunteers of "
            "{house} have received them, and never longer than {days} days. Only those volunteers see "
            "them, and only to call you back.", lang,
        ).format(house=self.config.house_name, days=self.config.callback.retention_days) \
            + " " + t(figures.PRIVACY_NOTICE, lang)  # what is counted (kiosk/figures.py)

    def promise(self, form: CallbackForm, lang: str) -> str:
        if self.demo:
            return t("This is a demonstration. Your request was not kept and not sent to anyone.", lang)
        if self.signup is not None:
            return t("The volunteers know you are coming. See you at {title}!", lang).format(
                title=self.signup.title_in(lang))
        text = t(self.config.callback.promise, lang)
        if form.moment in MOMENT_TEXTS and form.moment != outbox.ANY:
            text += " " + t("We will try to call in the {moment}.", lang).format(
                moment=self.moment_label(form.moment, lang).lower())
        return text


def screens() -> dict[str, str]:
    """The step screens by name, as "module:Class": imported (their kv rules with them) when first needed."""
    return {name: f"kiosk.screens.callback_steps:{cls}" for name, cls in (
        ("callback_topic", "CallbackTopicScreen"), ("callback_phone", "CallbackPhoneScreen"),
        ("callback_name", "CallbackNameScreen"), ("callback_moment", "CallbackMomentScreen"),
        ("callback_consent", "CallbackConsentScreen"), ("callback_done", "CallbackDoneScreen"),
        ("callback_people", "CallbackPeopleScreen"))}
