"""The pytest plugin (entry point ``pytest11``); fixtures arrive with the control plane."""
