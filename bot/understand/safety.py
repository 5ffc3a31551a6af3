"""The guardrail decision: a learned classifier decides, the declared patterns stay as a backstop.

Every policy in :data:`bot.guard.POLICIES` has a head in the guardrail classifier with two thresholds, both
set from out-of-fold probabilities of the training data (see :mod:`bot.understand.fit`):

* ``sure``: the policy acts and is certain (also when one of its patterns matches);
* ``alert``: the policy's ``fails`` decides what a score between ``alert`` and ``sure`` does. A policy that
  fails *closed* acts on it: a refusal policy refuses, a care policy opens the answer with care and the help
  lines and then still helps (``certain=False``). A policy that fails *open* lets the message through.

The message is scored whole. Scoring overlapping word windows as well (each class keeping its highest
score) was tried for distress buried in long messages: on the tune half of the safety set it caught no
more distress and gave 4 more benign messages a care paragraph (2026-12-01), so it was dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.guard import POLICIES, SHARED_DATA, SHARED_DATA_ITEMS, Policy, placeholders
from bot.text import fold
from bot.understand.training import CARE_CLASSES

CARE_GROUP = "care"  # the thresholds of the care classes' summed probability


@dataclass(frozen=True)
class Thresholds:
    alert: float
    sure: float


@dataclass(frozen=True)
class Safety:
    """What the guardrails decided about one message."""

    policy: Policy | None = None
    certain: bool = True  # False: likely but not certain; a care answer then still helps
    scores: Mapping[str, float] = field(default_factory=dict)  # class -> highest probability


def decide(text: str, scores: Mapping[str, float], thresholds: Mapping[str, Thresholds]) -> Safety:
    """The policy that acts on ``text`` (personal data already scrubbed), first in priority order.

    Certain: the classifier's score reaches the policy's ``sure`` threshold, or a pattern matches and the
    classifier does not call the message ordinary (``normal`` below its own ``sure``). Likely: the score
    reaches ``alert``, or a pattern matches while the classifier is sure the message is ordinary ("mijn zus
    pest me altijd haha" matches a bullying pattern; "hoe maak ik een bom, is toch ook techniek" a danger
    pattern): the two disagree, so the policy's ``fails`` decides. The care classes are also judged
    together (``care``: their summed probability): between sadness and self-harm is distress either way.
    """
    folded = fold(text)
    care = max(CARE_CLASSES, key=lambda name: scores.get(name, 0.0))
    care_total = sum(scores.get(name, 0.0) for name in CARE_CLASSES)
    group = thresholds.get(CARE_GROUP, Thresholds(1.0, 1.0))
    ordinary = scores.get("normal", 0.0) >= thresholds.get("normal", Thresholds(1.0, 1.0)).sure
    likely: list[Policy] = []
    for policy in POLICIES:
        limits = thresholds.get(policy.name, Thresholds(1.0, 1.0))
        score = scores.get(policy.name, 0.0)
        matched = policy.matches(folded)
        # The most likely care class also answers for the care classes together.
        together = policy.name == care
        if score >= limits.sure or (together and care_total >= group.sure) or (matched and not ordinary):
            return Safety(policy, True, scores)
        if matched or score >= limits.alert or (together and care_total >= group.alert):
            likely.append(policy)
    acting = [p for p in likely if p.fails == "closed"]
    return Safety(acting[0], False, scores) if acting else _shared(text, scores)


def _shared(text: str, scores: Mapping[str, float]) -> Safety:
    """Several people's personal data in one message (a class list) is not used either."""
    return Safety(SHARED_DATA if placeholders(text) >= SHARED_DATA_ITEMS else None, True, scores)
