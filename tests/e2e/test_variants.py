"""The suite passes against tenants that differ from the reference in every way the docs allow.

Each variant is a reference tenant with one documented freedom taken the other way (or, for the
last, all of them at once), run live with the profile settings such a tenant's QA would give.
"""

from __future__ import annotations

import re

import pytest

from crmconf.tenant import CREDENTIALS, SEED, EmbeddedTenant, TenantOptions

VARIANTS = {
    "errors-with-http-200": (TenantOptions(error_http_status="200"), {}),
    "errors-pinned-to-4xx": (TenantOptions(), {"CRM_ERROR_HTTP_STATUS": "4xx"}),
    "empty-success-message": (TenantOptions(success_message="empty"), {}),
    "data-before-status": (TenantOptions(data_first=True), {}),
    "undocumented-extra-fields": (TenantOptions(extra_fields=True), {}),
    "hex-tokens-before-r12": (TenantOptions(token_format="hex", release="R11.0.0"), {"CRM_RELEASE": "R11.0.0"}),
    "fractional-floats": (TenantOptions(fractional_floats=True), {}),
    "collections-read-at-top-level": (TenantOptions(input_collections="top"), {}),
    "collections-read-in-demographics": (
        TenantOptions(input_collections="demographics"),
        {"CRM_INPUT_COLLECTIONS": "demographics"},
    ),
    "every-freedom-at-once": (
        TenantOptions(
            error_http_status="200", success_message="empty", data_first=True, extra_fields=True,
            fractional_floats=True, input_collections="demographics",
        ),
        {"CRM_INPUT_COLLECTIONS": "demographics", "CRM_ERROR_HTTP_STATUS": "200"},
    ),
}


def tenant_env(url: str) -> dict[str, str]:
    return {
        "CRM_SERVER": url,
        "CRM_USERNAME": CREDENTIALS["username"],
        "CRM_PASSWORD": CREDENTIALS["password"],
        "CRM_ORGANISATION": CREDENTIALS["organisation"],
        "CRM_CONTACT_IDENTIFIER": "number=CI000111",
        "CRM_PROVISIONING_PROVIDER": "alternative_code=GP1",
        "CRM_ALLOW_WRITES": "1",
        "CRM_NON_PENDING_REQUESTS": ",".join(SEED.unlisted_request_numbers),
        "CRM_OTHER_CONTACT_IDENTIFIER": f"number={SEED.company_number}",
        "CRM_OTHER_PROVISIONING_PROVIDER": f"alternative_code={SEED.second_provider_alternative_code}",
    }


@pytest.mark.parametrize("name", VARIANTS)
def test_the_suite_passes_against_a_tenant_variant(name, crmconf_run):
    options, profile = VARIANTS[name]
    with EmbeddedTenant(options) as tenant:
        run = crmconf_run("--mode", "live", env={**tenant_env(tenant.url), **profile})
    assert run.code == 0, run
    summary = run.out.strip().splitlines()[-1]
    assert re.fullmatch(r"=+ \d+ passed(, \d+ skipped)? in [\d.]+s( \(.*\))? =+", summary), run


def test_scenarios_of_a_later_release_are_skipped_with_the_reason(crmconf_run):
    options, profile = VARIANTS["hex-tokens-before-r12"]
    with EmbeddedTenant(options) as tenant:
        run = crmconf_run("--mode", "live", env={**tenant_env(tenant.url), **profile})
    assert run.code == 0, run
    assert re.search(r"SKIPPED .*available from R12\.1\.0; the tenant's release is R11\.0\.0", run.out), run
