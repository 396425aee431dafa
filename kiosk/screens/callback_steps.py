"""The callback request's step screens (kiosk/screens/callback.py holds the flow they show).

Apart from the flow so that their kv rules (callback_steps.kv) and the keypads are loaded when a step is
first needed, or at rest after the start, not before the programme's first frame.
"""
from __future__ import annotations

from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from sync.callback import outbox
from kiosk import kvcache
from kiosk.screens.callback import CallbackFlow
from kiosk.widgets.common import ChoiceButton
from kiosk.widgets.keypad import LetterKeyboard, NumericKeypad  # noqa: F401  (used by callback_steps.kv)


class TopicButton(ChoiceButton):
    topic = StringProperty("")  # as configured; shown in the visitor's language when it is a default topic


class CallbackTopicScreen(Screen):
    """The configured topics as big buttons; built again when a reload changes them."""

    flow = ObjectProperty(None)  # the app's CallbackFlow (bound in callback_steps.kv)

    def on_flow(self, _screen, flow: CallbackFlow) -> None:
        flow.bind(config=lambda _flow, config: self.show_topics(config.callback.topics))
        self.show_topics(flow.config.callback.topics)

    def show_topics(self, topics: tuple[str, ...]) -> None:
        grid = self.ids.topics
        if tuple(button.topic for button in reversed(grid.children)) == tuple(topics):
            return
        grid.clear_widgets()
        for topic in topics:
            grid.add_widget(TopicButton(topic=topic))


class CallbackPhoneScreen(Screen):
    pass


class CallbackNameScreen(Screen):
    pass


class CallbackMomentScreen(Screen):
    def on_kv_post(self, _base_widget) -> None:
        from kivy.factory import Factory

        for moment in outbox.MOMENTS:
            button = Factory.MomentButton()
            button.moment = moment
            self.ids.moments.add_widget(button)


class CallbackPeopleScreen(Screen):
    """"Ik kom ook": how many come, 1 to 6, as big keys."""

    def on_kv_post(self, _base_widget) -> None:
        from kivy.factory import Factory

        for people in range(1, outbox.MAX_PEOPLE + 1):
            button = Factory.PeopleButton()
            button.people = people
            self.ids.people.add_widget(button)


class CallbackConsentScreen(Screen):
    pass


class CallbackDoneScreen(Screen):
    pass


kvcache.load_beside(__file__)
