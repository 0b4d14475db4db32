"""A reference CRM.COM tenant: an in-memory implementation of the documented REST API v2.

It serves the operations the conformance suite covers over real HTTP on loopback, so that
cassettes can be recorded honestly and the harness can be shown to catch faults. It is
deterministic (the same requests give byte-identical responses on every run), thread-safe, and
every application instance starts from the same fresh seed.

    from crmconf.tenant import EmbeddedTenant, CREDENTIALS

    with EmbeddedTenant() as tenant:
        ...  # the API is under tenant.url + "/crmapi/rest/v2/"

``TenantOptions`` names the behaviours the documentation leaves open; its defaults are the
reference behaviour. ``SEED`` names the seed facts tests rely on.
"""

from crmconf.tenant.app import TenantApp, make_app
from crmconf.tenant.options import TenantOptions
from crmconf.tenant.seed import API_KEY, CREDENTIALS, SEED, SeedFacts
from crmconf.tenant.server import EmbeddedTenant, serve

__all__ = [
    "API_KEY",
    "CREDENTIALS",
    "SEED",
    "EmbeddedTenant",
    "SeedFacts",
    "TenantApp",
    "TenantOptions",
    "make_app",
    "serve",
]
