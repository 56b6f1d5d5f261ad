"""ActiveCampaign's rules, over typed values. No HTTP here: services never see a request or a raw body."""
