"""The one ``MetaData`` every table is declared on (here and in each resource folder's ``table.py``).

A module of its own, with no imports of the package, so that any table module can import it without a cycle.
"""

from __future__ import annotations

from sqlalchemy import MetaData

METADATA = MetaData()
