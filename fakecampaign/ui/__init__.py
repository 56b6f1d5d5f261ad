"""The web UI at /_fakecampaign/ui/: server-rendered pages (Jinja2) and a little JS, every asset in the package.

It reads through services only (tests/test_layering.py checks that no module here touches tables or SQL), and
its demo actions are the real calls a client makes (/event, /api/3, the control plane), sent by the page.
"""
