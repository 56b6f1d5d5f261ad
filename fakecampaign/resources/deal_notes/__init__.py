"""Deal notes: POST and GET /deals/{id}/notes ([ACPY], [AC3])."""
