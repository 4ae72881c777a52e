"""Triggers: built-in schedules (interval, cron), trigger containers, their gateway and webhooks."""
