Feature: fields_set
  Read methods take fields_set, a comma-separated list of field names: only those fields come back,
  and every field when it is absent. The Introduction also sends it in a create body; there the
  suite names the fields in their output spelling (emails_set), as the show example does.
  Where the documentation is silent (an unknown name, spaces after the commas) the tenant may
  refuse the list or read it leniently, as the profile settings fields_set_unknown and
  fields_set_spaces allow; it may never answer OK with other fields than those understood.
  Source: vendor wiki, "GET contact_information/show" and "Introduction".

  Background:
    Given a valid token

  @since_R12_0_0
  Scenario: show returns the fields of the Introduction's fields_set example
    When I GET contact_information/show with contact_information_identifier={contact}&fields_set=name,preferred_language,addresses_set,phones_set,emails_set
    Then the status code is OK
    And data has exactly the fields name,preferred_language,addresses_set,phones_set,emails_set

  Scenario Outline: show returns exactly the fields fields_set names
    When I GET contact_information/show with contact_information_identifier={contact}&fields_set=<fields>
    Then the status code is OK
    And data has exactly the fields <fields>

    Examples:
      | fields                              |
      | id                                  |
      | first_name,last_name                |
      | demographics,notes                  |
      | type,life_cycle_state,privacy_level |

  Scenario: show without fields_set returns every documented field
    When I GET contact_information/show with contact_information_identifier={contact}
    Then the status code is OK
    And data is a complete contact

  @write
  Scenario: create with fields_set returns only those fields
    When I POST contact_information/create with body:
      """
      {
        "type": "PERSON",
        "first_name": "Sofia",
        "last_name": "Panayiotou",
        "notes": "{run_marker}",
        "email_set": [{"type": "PERSONAL", "email_address": "sofia.panayiotou@example.com"}],
        "fields_set": "id,first_name,last_name,emails_set"
      }
      """
    Then the status code is OK
    And data has exactly the fields id,first_name,last_name,emails_set

  Scenario: an unknown fields_set name is refused or ignored
    When I GET contact_information/show with contact_information_identifier={contact}&fields_set=first_name,crmconf_no_such_field
    Then the tenant refuses fields_set with an unknown name or returns exactly the fields first_name

  Scenario: spaces after the commas of fields_set are refused or trimmed
    When I GET contact_information/show with contact_information_identifier={contact} and fields_set "first_name, last_name"
    Then the tenant refuses fields_set with spaces after commas or returns exactly the fields first_name,last_name
