"""Asking for updates: the clerk's requests before a meeting, the emails (sent by the task queue)
and the reminders (see docs/domain.md, "The update cycle").

asking.py plans who is asked about what and records the request; emails.py builds each message;
tasks.py records and queues them, and sends one in the worker; reminders.py decides which reminders are due.
"""
