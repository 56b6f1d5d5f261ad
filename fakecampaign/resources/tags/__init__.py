"""tags: one folder, four layers (table, service, schemas, routes)."""
