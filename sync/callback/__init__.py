"""Callback requests: phone numbers, the durable outbox, delivery channels, their configuration."""
