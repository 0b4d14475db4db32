"""How the tenant answered where the vendor documentation is open.

Scenarios that meet an open point (the HTTP status of errors, an unknown ``fields_set`` name,
``number_of_results`` above 50, ...) note which way the tenant went; the run ends with the list,
so QA learns the tenant's choices and can pin them in the profile.
"""

from __future__ import annotations

from collections import defaultdict


class Observations:
    def __init__(self) -> None:
        self._answers: dict[str, dict[str, None]] = defaultdict(dict)

    def note(self, topic: str, answer: str) -> None:
        """Record that, on ``topic``, the tenant answered ``answer`` (duplicates are kept once)."""
        self._answers[topic][answer] = None

    def as_data(self) -> dict[str, list[str]]:
        return {topic: list(answers) for topic, answers in self._answers.items()}

    def merge(self, data: dict[str, list[str]]) -> None:
        """Add what another process (a pytest-xdist worker) observed."""
        for topic, answers in data.items():
            for answer in answers:
                self.note(topic, answer)

    def answers(self, topic: str) -> list[str]:
        return list(self._answers.get(topic, {}))

    def lines(self) -> list[str]:
        return [f"{topic}: {'; '.join(answers)}" for topic, answers in sorted(self._answers.items())]

    def __bool__(self) -> bool:
        return bool(self._answers)
