"""One folder per resource (table, service, schemas, routes); ``catalog.RESOURCES`` is the one list of them.

Kept empty so that a resource's table module can be imported from anywhere without pulling in services.
"""
