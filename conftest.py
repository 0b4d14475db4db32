"""Wiring only: the crmconf plugin and the suite's step vocabulary."""

pytest_plugins = [
    "crmconf.plugin",
    "steps.auth",
    "steps.request",
    "steps.response",
    "steps.pagination",
    "steps.contacts",
    "steps.fields_set",
]
