Feature: GET contact_information/show
  Returns a single contact, named by contact_information_identifier: the contact it names, so two
  identifiers naming two contacts (the profile's contact_identifier and other_contact_identifier)
  show two contacts.
  Source: vendor wiki, "GET contact_information/show" and "Introduction".

  Background:
    Given a valid token

  Scenario: show returns the contact named by its identifier
    When I GET contact_information/show with contact_information_identifier={contact}
    Then the status code is OK
    And I keep data.id as {contact_id}
    When I GET contact_information/show with contact_information_identifier=id={contact_id}
    Then the status code is OK
    And data.id is {contact_id}
    And the response shows the same record as the first one

  Scenario: another identifier shows another contact
    When I GET contact_information/show with contact_information_identifier={contact}
    Then the status code is OK
    And I keep data.id as {contact_id}
    When I GET contact_information/show with contact_information_identifier={other_contact}
    Then the status code is OK
    And data.id is not {contact_id}

  Scenario: the same GET sent twice returns identical bodies
    When I GET contact_information/show with contact_information_identifier={contact}
    And I send the same request again
    Then the status code is OK
    And the last two responses have identical bodies

  Scenario: a GET changes nothing a later GET can see
    When I GET contact_information/show with contact_information_identifier={contact}
    And I GET contact_information/show with contact_information_identifier={contact}&fields_set=name,notes
    And I GET contact_information/show with contact_information_identifier=id=CRMCONF-NO-SUCH-CONTACT
    And I GET contact_information/show with contact_information_identifier={contact}
    Then the status code is OK
    And the response has the same body as the first one

  Scenario: an identifier naming two fields is refused
    When I GET contact_information/show with contact_information_identifier={contact},id=CRMCONF-NO-SUCH-CONTACT
    Then the request is refused

  Scenario: an unknown identifier is refused with an error envelope
    When I GET contact_information/show with contact_information_identifier=id=CRMCONF-NO-SUCH-CONTACT
    Then the request is refused

  Scenario: a missing identifier is refused with an error envelope
    When I GET contact_information/show
    Then the request is refused
