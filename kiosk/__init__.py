"""The Kivy side of Wijkkiosk: app, screens, widgets, theme. Runs on Kivy's main thread only."""
