"""The data side of Wijkkiosk: feeds, recurrence expansion, store, worker. Never imports Kivy."""
