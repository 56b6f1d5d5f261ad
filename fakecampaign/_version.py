"""The version, read by pyproject.toml at build time; a constant so start-up needs no importlib.metadata."""

__version__ = "0.1.0"
