"""What AC does after a write: automations run, emails land in the outbox, webhooks are delivered.

Bus handlers (subscribed in app.py) record runs, emails and pending deliveries inside the write's own
transaction; ``delivery.Dispatcher`` performs the slow parts (HTTP, SMTP) later, outside any transaction.
No FastAPI here (tests/test_layering.py).
"""
