@login
Feature: POST authentication/token and POST authentication/token/release
  Logging in returns a token; releasing a token ends it before it expires.
  Source: vendor wiki, "POST authentication/token" and "POST authentication/token/release".

  Scenario: login returns a token in the format of the tenant's release
    When I POST authentication/token with the configured credentials
    Then the status code is OK
    And data.token has the token format of the tenant's release

  Scenario: a wrong password is refused with an error envelope
    When I POST authentication/token with a wrong password
    Then the request is refused

  @since_R10_0_0
  Scenario: a released token is refused afterwards
    When I POST authentication/token with the configured credentials
    Then I keep data.token as {second_token}
    When I GET contact_information/show with contact_information_identifier={contact} and token {second_token}
    Then the status code is OK
    When I POST authentication/token/release with body:
      """
      {"token": "{second_token}"}
      """
    Then the status code is OK
    When I GET contact_information/show with contact_information_identifier={contact} and token {second_token}
    Then the request is refused
