"""The device under the app: frame rate, input waker, lockdown, systemd watchdog, display power."""
