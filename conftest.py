"""Wiring only: the crmconf plugin, readable names in the JUnit and Cucumber reports, and the suite's
step vocabulary."""

pytest_plugins = [
    "crmconf.plugin",
    "crmconf.standard_reports",
    "steps.auth",
    "steps.request",
    "steps.response",
    "steps.pagination",
    "steps.contacts",
    "steps.fields_set",
]
