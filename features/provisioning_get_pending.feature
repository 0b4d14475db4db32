@since_R12_1_0
Feature: GET provisioning/generic_provisioning_requests/get_pending, paging
  Lists a provisioning provider's PENDING requests of the last seven days, grouped by subscription
  and oldest scheduled first, in windows of number_of_results (at most 50) starting at offset;
  both paging values are mandatory. The full listing is read in windows until an empty page, and
  every window must be that slice of it. Open points are profile settings: what the paging values
  count (page_unit), number_of_results above 50 (over_cap) and the member holding a subscription's
  requests (pending_requests_set). The scheduled date is read from executed_date.
  provisioning_provider_identifier is mandatory too, and the listing holds that provider's requests
  alone: one naming no provider is refused, and another provider (the profile's
  other_provisioning_provider) lists none of them, even on a subscription both providers serve.
  Source: vendor wiki, "GET provisioning/generic_provisioning_requests/get_pending" and "Introduction".

  Background:
    Given a valid token

  Scenario Outline: a page never holds more than number_of_results requests
    When I page through provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider} in pages of <n>
    Then no page holds more than number_of_results items, nor more than 50

    Examples:
      | n  |
      | 7  |
      | 50 |

  Scenario Outline: number_of_results above 50 is refused or capped at 50
    When I GET provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider}&number_of_results=<n>&offset=0
    Then the request is refused or capped at 50

    Examples:
      | n   |
      | 51  |
      | 100 |

  Scenario Outline: consecutive windows join into the full listing with no gap or repeat
    Given the full listing of provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider} in pages of <listing>
    When I page through provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider} in pages of <n>
    Then the pages joined are the full listing

    Examples:
      | n  | listing |
      | 7  | 50      |
      | 50 | 13      |

  Scenario Outline: a page is the slice of the full listing at its offset
    Given the full listing of provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider} in pages of 50
    When I GET provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider}&number_of_results=<n>&offset=<offset>
    Then the status code is OK
    And the page is the slice of the full listing at its offset

    Examples:
      | n  | offset |
      | 5  | 2      |
      | 7  | 0      |
      | 7  | 48     |
      | 50 | 1      |
      | 10 | 100    |
      | 1  | 105    |

  Scenario: requests come grouped by subscription, oldest scheduled first
    Given the full listing of provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider} in pages of 50
    Then the full listing is grouped by subscription, oldest scheduled first

  Scenario: only PENDING requests are listed
    Given the full listing of provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider} in pages of 50
    Then the full listing holds none of {non_pending}

  Scenario: an offset past the end gives an empty page
    Given the full listing of provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider} in pages of 50
    When I GET provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider}&number_of_results=10&offset={listing_size}
    Then the status code is OK
    And data.subscriptions_set is []

  Scenario Outline: a missing or invalid paging value is refused
    When I GET provisioning/generic_provisioning_requests/get_pending with <query>
    Then the request is refused

    Examples:
      | query                                                                      |
      | provisioning_provider_identifier={provider}&offset=0                       |
      | provisioning_provider_identifier={provider}&number_of_results=10           |
      | number_of_results=10&offset=0                                              |
      | provisioning_provider_identifier={provider}&number_of_results=abc&offset=0 |
      | provisioning_provider_identifier={provider}&number_of_results=10&offset=-1 |
      | provisioning_provider_identifier={provider}&number_of_results=0&offset=0   |
      | provisioning_provider_identifier={provider}&number_of_results=-5&offset=0  |

  Scenario: the same get_pending GET twice returns identical bodies
    When I GET provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider}&number_of_results=10&offset=0
    And I send the same request again
    Then the status code is OK
    And the last two responses have identical bodies

  Scenario: fields_set selects the members of every pending request
    When I GET provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider}&number_of_results=10&offset=0&fields_set=number,type
    Then the status code is OK
    And every pending request has exactly the fields number,type

  Scenario: a full page holds number_of_results in the configured page unit
    Given the full listing of provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider} in pages of 50
    When I GET provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider}&number_of_results=7&offset=0
    Then the status code is OK
    And the page counts number_of_results in the configured page unit

  Scenario: an unknown provider is refused with an error envelope
    When I GET provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier=alternative_code=CRMCONF-NO-SUCH-PROVIDER&number_of_results=10&offset=0
    Then the request is refused

  Scenario: a provider's listing holds none of another provider's requests
    Given the full listing of provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={provider} in pages of 50
    When I page through provisioning/generic_provisioning_requests/get_pending with provisioning_provider_identifier={other_provider} in pages of 50
    Then the pages walked share no request with the full listing
