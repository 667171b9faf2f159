"""Conversation tests for designers: `tests/conversations/*.yaml` run against the real engine."""
