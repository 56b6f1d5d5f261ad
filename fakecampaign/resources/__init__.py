"""One folder per resource (table, service, schemas, routes); ``catalog.RESOURCES`` is the one list of them.

Kept empty so that a resource's table module can be imported from anywhere without pulling in services.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    # ``from fakecampaign.resources import RESOURCES`` (the first registry commit's spelling) keeps working.
    if name in ("RESOURCES", "SIDELOADS"):
        from fakecampaign.resources import catalog

        return getattr(catalog, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
