"""A thin HTTP client for tests of the reference tenant, checking the envelope on every answer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import requests

from crmconf.tenant import CREDENTIALS

API_PATH = "/crmapi/rest/v2/"
GET_PENDING = "provisioning/generic_provisioning_requests/get_pending"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"


class _LoggedIn:
    def __repr__(self) -> str:
        return "the token of a fresh login"


LOGGED_IN: Any = _LoggedIn()
NO_TOKEN: Any = object()


@dataclass(frozen=True)
class Answer:
    """One response, already checked to be a JSON envelope."""

    http_status: int
    code: str
    message: Any
    description: Any
    data: Any
    text: str
    content: bytes
    headers: Any

    @classmethod
    def of(cls, response: requests.Response) -> Answer:
        assert response.headers.get("Content-Type") == JSON_CONTENT_TYPE, response.headers
        body = json.loads(response.content.decode("utf-8"))
        assert isinstance(body, dict) and set(body) == {"status", "data"}, body
        status = body["status"]
        assert set(status) == {"code", "message", "description"}, status
        answer = cls(
            http_status=response.status_code,
            code=status["code"],
            message=status["message"],
            description=status["description"],
            data=body["data"],
            text=response.text,
            content=response.content,
            headers=response.headers,
        )
        if answer.code != "OK":
            assert answer.data is None, body
            assert isinstance(answer.message, str) and answer.message, body
            assert isinstance(answer.description, str), body
            assert answer.code.startswith("COM.CRM.EXCEPTION.") and answer.code.endswith("EXCEPTION"), body
        return answer

    @property
    def ok(self) -> bool:
        return self.code == "OK"

    def assert_ok(self) -> Any:
        assert self.code == "OK" and self.http_status == 200, self.text
        return self.data

    def assert_error(self, http_status: int, code_part: str) -> str:
        """Assert an error with this HTTP status and a code containing ``code_part``; its message."""
        assert self.http_status == http_status, self.text
        assert code_part in self.code, self.text
        return self.message


class Api:
    """Calls one tenant at ``base_url`` (``http://host:port``)."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url + API_PATH
        self.session = requests.Session()
        self._token: str | None = None

    def login(self, **overrides: Any) -> Answer:
        return self.post("authentication/token", {**CREDENTIALS, **overrides}, token=NO_TOKEN)

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = self.login().assert_ok()["token"]
        return self._token

    def _with_token(self, params: dict[str, Any], token: Any) -> dict[str, Any]:
        if token is NO_TOKEN:
            return params
        return {"token": self.token if token is LOGGED_IN else token, **params}

    def get(self, operation: str, token: Any = LOGGED_IN, **params: Any) -> Answer:
        response = self.session.get(self.base + operation, params=self._with_token(params, token), timeout=10)
        return Answer.of(response)

    def post(self, operation: str, body: dict[str, Any] | None = None, token: Any = LOGGED_IN) -> Answer:
        response = self.session.post(
            self.base + operation, json=self._with_token(body or {}, token), timeout=10
        )
        return Answer.of(response)

    def post_raw(self, operation: str, data: bytes, **kwargs: Any) -> Answer:
        response = self.session.post(self.base + operation, data=data, timeout=10, **kwargs)
        return Answer.of(response)

    def request(self, method: str, path: str, **kwargs: Any) -> Answer:
        """Any verb on any path below the API root."""
        return Answer.of(self.session.request(method, self.base + path, timeout=10, **kwargs))

    def show(self, identifier: str, **params: Any) -> Answer:
        return self.get("contact_information/show", contact_information_identifier=identifier, **params)

    def create(self, body: dict[str, Any]) -> Answer:
        return self.post("contact_information/create", body)

    def update(self, identifier: dict[str, Any], changes: dict[str, Any]) -> Answer:
        return self.post(
            "contact_information/update", {"contact_information_identifier": identifier, **changes}
        )

    def pending(
        self,
        number_of_results: Any = 50,
        offset: Any = 0,
        provider: str = "alternative_code=GP1",
        **params: Any,
    ) -> Answer:
        return self.get(
            GET_PENDING,
            provisioning_provider_identifier=provider,
            number_of_results=number_of_results,
            offset=offset,
            **params,
        )

    def full_listing(
        self, provider: str = "alternative_code=GP1", page_size: int = 50
    ) -> list[dict[str, Any]]:
        """Every listed request, flattened, each with its subscription_number; walks the pages."""
        flat: list[dict[str, Any]] = []
        while True:
            subscriptions = self.pending(page_size, len(flat), provider).assert_ok()["subscriptions_set"]
            page = flatten(subscriptions)
            flat += page
            if len(page) < page_size:
                return flat


def flatten(subscriptions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"subscription_number": subscription["subscription_number"], **request}
        for subscription in subscriptions
        for request in subscription["pending_provisioning_requests_set"]
    ]


def person_body(**overrides: Any) -> dict[str, Any]:
    """A valid PERSON create body, every member the documentation lists, collections at top level."""
    body = {
        "type": "PERSON",
        "title": "Mr",
        "first_name": "Nikos",
        "middle_name": "Andreas",
        "last_name": "Pavlides",
        "notes": "Created by the tenant tests",
        "life_cycle_state": "MARKETING",
        "organizational_unit": 2,
        "preferred_language": "GRE",
        "udf_string_1": "first",
        "udf_float_1": 3.5,
        "category_identifier": {"name": "Contact Category"},
        "owned_by_group_identifier": {"name": "Main Group"},
        "privacy_level_identifier": {"number": "8"},
        "demographics": {
            "gender": "MALE",
            "id_number": "990011",
            "date_of_birth": {"day": 1, "month": 2, "year": 1990},
            "name_day": {"day": 6, "month": 12},
            "id_issued_by_country_identifier": {"code": "GRC"},
        },
        "address_set": [
            {
                "type": "HOME",
                "street_name": "Ledras Street",
                "street_number": "10",
                "floor": 1,
                "town_city": "Nicosia",
                "country_identifier": {"code": "CYP"},
            },
        ],
        "phone_set": [{"type": "MOBILE", "number": "99887766", "area_code": "+357"}],
        "email_set": [{"type": "PERSONAL", "email_address": "nikos@example.com", "is_primary": True}],
    }
    body.update(overrides)
    return body
