Feature: POST contact_information/create
  Creates a contact from a JSON body and returns it. POST is not idempotent: every create makes a
  new contact. A PERSON needs a first and a last name, a COMPANY a company name; a reference to
  another record is a <thing>_identifier object naming exactly one field; enumerations take only
  their documented values.
  The full body follows the Introduction's create example, sent as valid JSON: numbers without
  leading zeros, demographics closed before the collections, the collections written at the top
  level (the profile's input_collections moves them into demographics for tenants that read them
  there), and identifier values the example names.
  Source: vendor wiki, "POST contact_information/create", "POST contact_information/update" and
  "Introduction"; the address, phone and email parameter pages.

  Background:
    Given a valid token

  @write
  Scenario: create returns the new contact and show returns what was posted
    When I POST contact_information/create with body:
      """
      {
        "type": "PERSON",
        "title": "Mr",
        "first_name": "Andreas",
        "middle_name": "Nikolas",
        "last_name": "Ioannou",
        "category_identifier": {"name": "Contact Category"},
        "owned_by_group_identifier": {"name": "Main Group"},
        "privacy_level_identifier": {"number": "8"},
        "notes": "{run_marker}: created by the conformance suite.",
        "demographics": {
          "gender": "MALE",
          "id_number": "CRMCONF-ID1-{run_id}",
          "passport_number": "CRMCONF-PP1-{run_id}",
          "social_security_number": "CRMCONF-SS1-{run_id}",
          "date_of_birth": {"day": 1, "month": 1, "year": 1980}
        },
        "address_set": [
          {
            "type": "HOME",
            "street_name": "Archiepiskopou Makariou III",
            "street_number": "155",
            "floor": 2,
            "apartment_number": "2A",
            "postal_code": "3026",
            "town_city": "Limassol",
            "country_identifier": {"code": "CYP"}
          }
        ],
        "phone_set": [
          {"type": "LANDLINE", "number": "25123456"},
          {"type": "MOBILE", "number": "99654321", "area_code": "+357"}
        ],
        "email_set": [
          {"type": "PERSONAL", "email_address": "andreas.ioannou@example.com"}
        ]
      }
      """
    Then the status code is OK
    And I keep data.id as {new_id}
    When I GET contact_information/show with contact_information_identifier=id={new_id}
    Then the status code is OK
    And data.id is {new_id}
    And the contact shown holds what the create request posted

  @write
  Scenario: two identical creates make two contacts
    When I POST contact_information/create with body:
      """
      {"type": "PERSON", "first_name": "Eleni", "last_name": "Constantinou", "notes": "{run_marker}"}
      """
    Then the status code is OK
    And I keep data.id as {first_id}
    When I send the same request again
    Then the status code is OK
    And the last two responses are two different contacts
    When I GET contact_information/show with contact_information_identifier=id={first_id}
    Then the status code is OK
    And data.id is {first_id}

  @write
  Scenario: a COMPANY without company_name is refused
    When I POST contact_information/create with body:
      """
      {"type": "COMPANY", "notes": "{run_marker}: a company with no name"}
      """
    Then the request is refused

  @write
  Scenario: a PERSON without last_name is refused
    When I POST contact_information/create with body:
      """
      {"type": "PERSON", "first_name": "Andreas", "notes": "{run_marker}: a person with no last name"}
      """
    Then the request is refused

  @write
  Scenario: an identifier object naming two fields is refused
    When I POST contact_information/create with body:
      """
      {
        "type": "PERSON",
        "first_name": "Andreas",
        "last_name": "Ioannou",
        "notes": "{run_marker}: must never be created",
        "privacy_level_identifier": {"number": "8", "name": "Restricted"}
      }
      """
    Then the request is refused

  @write
  Scenario Outline: an enum value outside the documented list is refused
    When I POST contact_information/create with body:
      """
      {
        "type": "<type>",
        "first_name": "Andreas",
        "last_name": "Ioannou",
        "notes": "{run_marker}: must never be created",
        "demographics": {"gender": "<gender>"},
        "address_set": [{"type": "<address>", "town_city": "Limassol"}],
        "phone_set": [{"type": "<phone>", "number": "25123456"}],
        "email_set": [{"type": "<email>", "email_address": "andreas.ioannou@example.com"}]
      }
      """
    Then the request is refused

    Examples: one value outside its list per row
      | enum         | type   | gender | address | phone    | email    |
      | contact type | person | MALE   | HOME    | LANDLINE | PERSONAL |
      | gender       | PERSON | male   | HOME    | LANDLINE | PERSONAL |
      | address type | PERSON | MALE   | OFFICE  | LANDLINE | PERSONAL |
      | address type | PERSON | MALE   | CUSTOM6 | LANDLINE | PERSONAL |
      | phone type   | PERSON | MALE   | HOME    | CELL     | PERSONAL |
      | email type   | PERSON | MALE   | HOME    | LANDLINE | WORK     |

  @write
  Scenario: a body that is not JSON is refused
    When I POST contact_information/create with the raw body:
      """
      {"token": "{token}", "type": "PERSON", "first_name": "Andreas", "last_name": "Ioannou", "demographics": {"date_of_birth": {"day":01, "month":01, "year":1980}}}
      """
    Then the request is refused
