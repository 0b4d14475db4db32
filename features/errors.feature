Feature: errors are JSON envelopes
  Every response, errors included, is a JSON envelope; an error has a status code other than OK,
  a message and no data, and a client mistake is never answered with HTTP 5xx. Whether errors
  come with HTTP 200 or 4xx is not documented (profile setting error_http_status).
  Source: vendor wiki, "Introduction".

  Background:
    Given a valid token

  Scenario: an invalid token is refused on GET
    When I GET contact_information/show with contact_information_identifier={contact} and token crmconf-invalid-token
    Then the request is refused

  Scenario: a GET without a token is refused
    When I GET contact_information/show with contact_information_identifier={contact} without a token
    Then the request is refused

  @write
  Scenario: a POST without a token is refused
    When I POST contact_information/create without a token, with body:
      """
      {"type": "PERSON", "first_name": "Tokenless", "last_name": "Request", "notes": "{run_marker}: must never be created"}
      """
    Then the request is refused

  Scenario: an unknown operation is refused
    When I GET contact_information/crmconf_no_such_action with contact_information_identifier={contact}
    Then the request is refused
