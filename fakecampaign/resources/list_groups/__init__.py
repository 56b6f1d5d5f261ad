"""listGroups: which user group may see a list (ac-api-facts-breadth.md §3.1)."""
