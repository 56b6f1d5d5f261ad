"""contact_lists: one folder, four layers (table, service, schemas, routes)."""
