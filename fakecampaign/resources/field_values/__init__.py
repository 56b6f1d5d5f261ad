"""field_values: one folder, four layers (table, service, schemas, routes)."""
