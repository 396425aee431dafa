"""The Kivy side of Wijkkiosk: app, screens, widgets, theme, on Kivy's main thread; and the command line
(cli.py), whose commands beside the kiosk itself never import Kivy."""
