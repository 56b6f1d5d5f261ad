"""ActiveCampaign v3 REST routes, one module per resource family."""
