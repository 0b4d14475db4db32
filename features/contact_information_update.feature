Feature: POST contact_information/update
  Changes the contact named by contact_information_identifier (the POST form, an object naming one
  field). Members not sent stay unchanged; members sent as null are cleared. A PERSON keeps needing
  a first and a last name, and address, phone and email items take only their documented types, as
  on create. Each scenario creates the contact it changes.
  Source: vendor wiki, "POST contact_information/update" and "Introduction".

  Background:
    Given a valid token

  @write
  Scenario: update changes the fields sent and leaves the others unchanged
    When I POST contact_information/create with body:
      """
      {
        "type": "PERSON",
        "title": "Mr",
        "first_name": "Petros",
        "last_name": "Charalambous",
        "notes": "{run_marker}: before the update",
        "demographics": {"gender": "MALE", "passport_number": "CRMCONF-PP2-{run_id}"},
        "phone_set": [{"type": "MOBILE", "number": "99111222"}],
        "email_set": [{"type": "PERSONAL", "email_address": "petros.charalambous@example.com"}]
      }
      """
    Then the status code is OK
    And I keep data.id as {contact_id}
    When I GET contact_information/show with contact_information_identifier=id={contact_id}
    Then the status code is OK
    When I POST contact_information/update with body:
      """
      {
        "contact_information_identifier": {"id": "{contact_id}"},
        "title": "Dr",
        "notes": "{run_marker}: after the update"
      }
      """
    Then the status code is OK
    When I GET contact_information/show with contact_information_identifier=id={contact_id}
    Then the status code is OK
    And the contact shown holds what the update request posted, the rest unchanged
    And data.title is "Dr"

  @write
  Scenario: update clears a field sent as null
    When I POST contact_information/create with body:
      """
      {
        "type": "PERSON",
        "title": "Ms",
        "first_name": "Maria",
        "middle_name": "Christina",
        "last_name": "Georgiadou",
        "notes": "{run_marker}",
        "email_set": [{"type": "BUSINESS", "email_address": "m.georgiadou@example.com"}]
      }
      """
    Then the status code is OK
    And I keep data.id as {contact_id}
    When I GET contact_information/show with contact_information_identifier=id={contact_id}
    Then the status code is OK
    When I POST contact_information/update with body:
      """
      {"contact_information_identifier": {"id": "{contact_id}"}, "title": null, "middle_name": null}
      """
    Then the status code is OK
    When I GET contact_information/show with contact_information_identifier=id={contact_id}
    Then the status code is OK
    And the contact shown holds what the update request posted, the rest unchanged
    And data.title is null
    And data.middle_name is null

  @write
  Scenario: an update that leaves a PERSON without last_name is refused
    When I POST contact_information/create with body:
      """
      {"type": "PERSON", "first_name": "Nikos", "last_name": "Antoniou", "notes": "{run_marker}"}
      """
    Then the status code is OK
    And I keep data.id as {contact_id}
    When I POST contact_information/update with body:
      """
      {"contact_information_identifier": {"id": "{contact_id}"}, "last_name": null}
      """
    Then the request is refused

  @write
  Scenario: an update of an unknown contact is refused
    When I POST contact_information/update with body:
      """
      {"contact_information_identifier": {"id": "CRMCONF-NO-SUCH-CONTACT"}, "notes": "{run_marker}: never stored"}
      """
    Then the request is refused

  @write
  Scenario Outline: an update with an enum value outside the documented list is refused
    When I POST contact_information/create with body:
      """
      {"type": "PERSON", "first_name": "Christos", "last_name": "Michael", "notes": "{run_marker}"}
      """
    Then the status code is OK
    And I keep data.id as {contact_id}
    When I POST contact_information/update with body:
      """
      {
        "contact_information_identifier": {"id": "{contact_id}"},
        "notes": "{run_marker}: must never be stored",
        "address_set": [{"type": "<address>", "town_city": "Limassol"}],
        "phone_set": [{"type": "<phone>", "number": "25123456"}],
        "email_set": [{"type": "<email>", "email_address": "christos.michael@example.com"}]
      }
      """
    Then the request is refused

    Examples: one value outside its list per row
      | enum         | address | phone    | email    |
      | address type | OFFICE  | LANDLINE | PERSONAL |
      | phone type   | HOME    | CELL     | PERSONAL |
      | email type   | HOME    | LANDLINE | WORK     |
