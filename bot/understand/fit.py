"""Fit the heads from the training data, deterministically (same data and model -> same weights).

``koers models train`` runs :func:`fit_all` and writes the weights shipped in ``bot/understand/weights``;
``koers models train --check`` (run by ``make test``) fits again and compares. Fitting is scikit-learn's
``LogisticRegression`` (Newton-CG, fixed regularisation, balanced class weights) on e5 query vectors beside
character n-grams (:mod:`bot.understand.heads`). The guardrail thresholds come from out-of-fold
probabilities of the training data itself (5 folds, fixed seed); only the care alert is read off the tune
half of the safety set (see :data:`CARE_ALERT`), never off a test half.

Fine-tuning e5 instead was measured on a held-out fifth of the guard data (2026-12-01, 7,911 messages,
before guard round 5): the top 4 layers trained 2 epochs with class-weighted cross-entropy reached accuracy
0.797 with a softmax head and 0.922 with these heads on its vectors, against 0.932 for these heads on the
plain vectors; at 2 % false alarms on ordinary messages they caught 0.81-0.94 of the distress. A triplet
fine-tune did no better (0.903 vs 0.911 out of fold). More and more varied training data helped: out-of-fold
accuracy 0.910 -> 0.931 -> 0.936 (guard rounds 4 and 5).

The guardrail classifier also learns from every intent and question message as ``normal``, except the bare
reactions and the intent messages with no route (see ``guard_normal``): they are ordinary questions about
school and work, the best counterweight to the hard negatives.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt

from bot.core.ports import Embedder

if TYPE_CHECKING:
    from sklearn.linear_model import LogisticRegression
from bot.understand.heads import LinearHeads, Matrix, char_grams, features
from bot.understand.safety import CARE_GROUP
from bot.understand.training import (
    CARE_CLASSES,
    DATA_DIR,
    DATA_FILES,
    FOLLOW_UP,
    GUARD_CLASSES,
    GUARD_FILE,
    INTENTS_FILE,
    QUESTION_KINDS,
    QUESTIONS_FILE,
    REDIRECT_CLASSES,
    REFUSAL_CLASSES,
    SCHOOL_CLASSES,
    SCHOOL_FILE,
    GuardExample,
    IntentExample,
    QuestionExample,
    SchoolSentence,
    data_sha256,
    load_examples,
)

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
# Independent fits (the folds, the intent heads) run side by side in worker processes: on 2 cores the whole
# fit took 120 s instead of 178 s (2026-12-02; threads: 167 s, the solvers hold the interpreter lock). The
# workers' own BLAS settings move weights in the last bits, as another machine would: fits are compared by
# what they say (bot.understand.detectors.compare), and thresholds moved by at most 0.0002.
BACKEND = "loky"
_T = TypeVar("_T")
FOLDS = 5
SEED = 0
# Inverse regularisation strength, chosen by out-of-fold scores on the training data (C in 4, 16, 64).
# Intents (2026-12-01, 1343 messages): with n-grams the right label ranked first for 0.846 of the messages
# and recall@3 was 0.783 (e5 alone: 0.788 / 0.754); no out-of-fold pass runs when fitting, it costs 90 s.
# The guard's best C was the edge of that grid, so it was widened (2026-12-05, 19,295 messages): out-of-fold
# accuracy 0.9345 at 16, 0.9424 at 64, 0.9451 at 256, 0.9448 at 1024. 256 answered the tune half of the
# safety set as 64 did (16: near-misses answered normally 0.825 -> 0.772), and on the held-out test half
# near-misses went 0.818 -> 0.855 with distress care and refusal recall the same. It was not kept: more
# sure of everything, it read "ja. maakt toch niet uit" after the likely distress of "ik zie het even niet
# zitten" as clearly ordinary (normal 0.9837, its sure threshold 0.9818), so care stopped carrying there
# (tests/test_understanding.py). A missed distress signal costs more than a care paragraph too many.
# Retried later that day with the moving-on rule (reader.turns_to_something): the same test failed, as the
# question heads then read that shrug as an admission question. The `reaction` kind since removes that
# cause; 256 has not been measured again.
GUARD_C = 64.0
INTENT_C = 16.0
SCHOOL_C = 16.0
MIN_POSITIVES = 3  # a route label with fewer training messages gets no head (too little to learn from)
# Out-of-fold recall the alert thresholds of the refusal and redirect classes keep.
ALERT_RECALL = {
    CARE_GROUP: 0.99,  # reported in the card; the care alert itself is CARE_ALERT
    **dict.fromkeys(REFUSAL_CLASSES, 0.97),
    **dict.fromkeys(REDIRECT_CLASSES, 0.9),
}
# The care alert is chosen on the tune half of the safety set, not out of fold: the out-of-fold rule
# (recall 0.99 of the training distress) is set by a few training messages that read as plain questions and
# gave 0.03, which put a care paragraph above 4 of the 39 ordinary messages of the tune half. Refitted on
# 9,355 guard messages (2026-12-01), the 99 distress messages of the tune half (both editions) score 0.31 and
# up; of its 67 ordinary messages two score 0.26-0.30, the rest 0.12 or less. A threshold just under 0.31
# would fit this half with no margin at all, and a missed distress signal costs more than a care paragraph
# too many: 0.2 keeps a margin below every distress message.
CARE_ALERT = 0.2
# Under softmax a class below 0.5 is rarely the classifier's choice; refusing or redirecting below that
# refused benign near-misses ("waar vind ik de contactgegevens van een stagebedrijf") on the tune half.
ALERT_FLOOR = {**dict.fromkeys(REFUSAL_CLASSES, 0.5), **dict.fromkeys(REDIRECT_CLASSES, 0.5)}
SURE_PRECISION = 0.95  # out-of-fold precision at which a head is taken as certain
# ... except "normal", which overrules a pattern: it must be right almost always.
NORMAL_SURE_PRECISION = 0.995


QUESTION_C = 16.0


@dataclass(frozen=True)
class Fitted:
    guard: LinearHeads
    intents: LinearHeads
    school: LinearHeads
    questions: LinearHeads


def _model(c: float) -> LogisticRegression:
    """Newton-CG to a tight tolerance: the fit then lands on the one optimum, so vectors that differ in the
    last float bits (another batch order, another machine) give the same weights. lbfgs at its default
    tolerance stopped early and moved weights by up to 0.3 on such vectors (2026-12-01; Newton-CG: 1e-6,
    in 11 iterations, as fast)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", solver="newton-cg", tol=1e-6, max_iter=1000)


def _parallel(calls: Sequence[Callable[[], _T]]) -> list[_T]:
    """Run independent fits side by side (see :data:`BACKEND`); the results come back in order."""
    from joblib import Parallel, delayed

    jobs = min(len(calls), os.cpu_count() or 1)
    return list(Parallel(n_jobs=jobs, backend=BACKEND)(delayed(call)() for call in calls))


def _fitted(c: float, x: Any, y: npt.NDArray[np.int_]) -> tuple[Matrix, Matrix]:
    model = _model(c).fit(x, y)
    return model.coef_, model.intercept_


def _fit(
    texts: Sequence[str], vectors: Matrix, targets: Sequence[frozenset[str]], labels: Sequence[str],
    *, c: float, softmax: bool, ngrams: bool, side_by_side: bool = True,
) -> LinearHeads:  # fmt: skip
    grams = char_grams().fit(list(texts)) if ngrams else None
    x = features(grams, texts, vectors)
    if softmax:
        y = np.array([labels.index(next(iter(t))) for t in targets])
        coef, intercept = _fitted(c, x, y)
        return LinearHeads(tuple(labels), coef, intercept, True, grams)
    ys = [np.array([label in t for t in targets], dtype=int) for label in labels]
    calls = [partial(_fitted, c, x, y) for y in ys]
    fits = _parallel(calls) if side_by_side else [call() for call in calls]
    weights = np.vstack([coef[0] for coef, _ in fits]) if fits else np.zeros((0, x.shape[1]))
    bias = np.array([intercept[0] for _, intercept in fits])
    return LinearHeads(tuple(labels), weights, bias, False, grams)


def out_of_fold(
    texts: Sequence[str], vectors: Matrix, targets: Sequence[frozenset[str]], labels: Sequence[str],
    *, c: float, softmax: bool, ngrams: bool,
) -> Matrix:  # fmt: skip
    """[n, labels] probabilities, each predicted by heads fitted without that message."""
    from sklearn.model_selection import KFold, StratifiedKFold

    found = np.zeros((len(targets), len(labels)))
    splitter = StratifiedKFold if softmax else KFold
    strata = [sorted(t)[0] for t in targets]
    folds = list(splitter(n_splits=FOLDS, shuffle=True, random_state=SEED).split(vectors, strata))

    def held_out(train: npt.NDArray[np.int_], held: npt.NDArray[np.int_]) -> Matrix:
        heads = _fit(
            [texts[i] for i in train], vectors[train], [targets[i] for i in train], labels,
            c=c, softmax=softmax, ngrams=ngrams, side_by_side=False,
        )  # fmt: skip
        return heads.probabilities([texts[i] for i in held], vectors[held])

    for (_, held), probabilities in zip(
        folds, _parallel([partial(held_out, train, held) for train, held in folds]), strict=True
    ):
        found[held] = probabilities
    return found


def _alert(scores: Matrix, positive: npt.NDArray[np.bool_], recall: float) -> float:
    """The highest threshold that keeps ``recall`` of the positives."""
    ranked = np.sort(scores[positive])
    keep = int(np.ceil(recall * len(ranked)))
    return float(ranked[len(ranked) - keep]) if keep else 1.0


def _sure(scores: Matrix, positive: npt.NDArray[np.bool_], precision: float) -> float:
    """The lowest threshold at which ``precision`` of the messages above it are positives."""
    for threshold in np.unique(scores):
        above = scores >= threshold
        if above.any() and positive[above].mean() >= precision:
            return float(threshold)
    return 1.0


def _limits(
    scores: Matrix,
    positive: npt.NDArray[np.bool_],
    recall: float | None,
    precision: float = SURE_PRECISION,
    floor: float = 0.0,
    fixed: float | None = None,
) -> dict[str, float | int]:
    sure = max(_sure(scores, positive, precision), floor)
    alert = min(max(_alert(scores, positive, recall), floor), sure) if recall is not None else sure
    alert = fixed if fixed is not None else alert
    caught = scores >= alert
    return {
        "alert": round(alert, 4),
        "sure": round(sure, 4),
        "oof_recall_at_alert": round(float(caught[positive].mean()), 4),
        "oof_precision_at_alert": round(float(positive[caught].mean()), 4) if caught.any() else 0.0,
        "positives": int(positive.sum()),
    }


def embed_texts(embedder: Embedder, texts: Sequence[str]) -> Matrix:
    return np.asarray(embedder.embed(list(texts), kind="query"), dtype=np.float64)


def fit_guard(
    texts: Sequence[str], classes: Sequence[str], vectors: Matrix, meta: dict[str, str]
) -> LinearHeads:
    targets = [frozenset([label]) for label in classes]
    labels = list(GUARD_CLASSES)
    options = {"c": GUARD_C, "softmax": True, "ngrams": True}
    oof = out_of_fold(texts, vectors, targets, labels, **options)  # type: ignore[arg-type]
    truth = np.array([labels.index(label) for label in classes])
    care = [labels.index(label) for label in CARE_CLASSES]
    care_total = oof[:, care].sum(axis=1)
    thresholds = {
        CARE_GROUP: _limits(care_total, np.isin(truth, care), ALERT_RECALL[CARE_GROUP], fixed=CARE_ALERT)
    }
    for col, label in enumerate(labels):
        precision = NORMAL_SURE_PRECISION if label == "normal" else SURE_PRECISION
        floor = ALERT_FLOOR.get(label, 0.0)
        thresholds[label] = _limits(oof[:, col], truth == col, ALERT_RECALL.get(label), precision, floor)
    heads = _fit(texts, vectors, targets, labels, **options)  # type: ignore[arg-type]
    card = {
        **meta,
        "task": "guard",
        "c": GUARD_C,
        "messages": len(texts),
        "oof_accuracy": round(float((oof.argmax(axis=1) == truth).mean()), 4),
        "thresholds": thresholds,
    }
    return LinearHeads(heads.labels, heads.weights, heads.bias, True, heads.grams, card)


def fit_intents(examples: Sequence[IntentExample], vectors: Matrix, meta: dict[str, str]) -> LinearHeads:
    texts = [e.text for e in examples]
    targets = [e.targets for e in examples]
    counts: dict[str, int] = {}
    for t in targets:
        for label in t:
            counts[label] = counts.get(label, 0) + 1
    labels = sorted(label for label, n in counts.items() if n >= MIN_POSITIVES)
    heads = _fit(texts, vectors, targets, labels, c=INTENT_C, softmax=False, ngrams=True)
    card = {
        **meta,
        "task": "intents",
        "c": INTENT_C,
        "messages": len(examples),
        "positives": {label: counts[label] for label in labels},
    }
    return LinearHeads(heads.labels, heads.weights, heads.bias, False, heads.grams, card)


def fit_school(examples: Sequence[SchoolSentence], vectors: Matrix, meta: dict[str, str]) -> LinearHeads:
    """One softmax over the school sentence classes (see ``ingest.protect``), with out-of-fold accuracy."""
    texts = [e.text for e in examples]
    targets = [frozenset([e.label]) for e in examples]
    labels = list(SCHOOL_CLASSES)
    options = {"c": SCHOOL_C, "softmax": True, "ngrams": True}
    oof = out_of_fold(texts, vectors, targets, labels, **options)  # type: ignore[arg-type]
    truth = np.array([labels.index(e.label) for e in examples])
    heads = _fit(texts, vectors, targets, labels, **options)  # type: ignore[arg-type]
    card = {
        **meta,
        "task": "school_sentences",
        "c": SCHOOL_C,
        "messages": len(texts),
        "oof_accuracy": round(float((oof.argmax(axis=1) == truth).mean()), 4),
    }
    return LinearHeads(heads.labels, heads.weights, heads.bias, True, heads.grams, card)


def fit_questions(examples: Sequence[QuestionExample], vectors: Matrix, meta: dict[str, str]) -> LinearHeads:
    """One sigmoid per question kind and one for ``follow_up``; the kind read is the most likely one. The
    card keeps the out-of-fold share of messages whose kind ranked first."""
    texts = [e.text for e in examples]
    targets = [e.targets for e in examples]
    labels = [*QUESTION_KINDS, FOLLOW_UP]
    options = {"c": QUESTION_C, "softmax": False, "ngrams": True}
    oof = out_of_fold(texts, vectors, targets, labels, **options)  # type: ignore[arg-type]
    kinds = len(QUESTION_KINDS)
    truth = np.array([QUESTION_KINDS.index(e.kind) for e in examples])
    follow = np.array([e.follow_up for e in examples])
    heads = _fit(texts, vectors, targets, labels, **options)  # type: ignore[arg-type]
    card = {
        **meta,
        "task": "questions",
        "c": QUESTION_C,
        "messages": len(texts),
        "oof_kind_accuracy": round(float((oof[:, :kinds].argmax(axis=1) == truth).mean()), 4),
        "oof_follow_up_accuracy": round(float(((oof[:, kinds] >= 0.5) == follow).mean()), 4),
    }
    return LinearHeads(heads.labels, heads.weights, heads.bias, False, heads.grams, card)


def fit_all(
    embedder: Embedder,
    model_id: str,
    data_dir: Path = DATA_DIR,
    progress: Callable[[str], None] | None = None,
) -> Fitted:
    """The three head sets, fitted on the training data in ``data_dir`` with ``embedder``'s vectors."""
    say = progress or (lambda _: None)
    guard_path, intents_path = data_dir / GUARD_FILE, data_dir / INTENTS_FILE
    meta = {"model": model_id, "data_sha256": data_sha256(*(data_dir / name for name in DATA_FILES))}
    guard_examples = load_examples(guard_path, GuardExample)
    intent_examples = load_examples(intents_path, IntentExample)
    school_examples = load_examples(data_dir / SCHOOL_FILE, SchoolSentence)
    question_examples = load_examples(data_dir / QUESTIONS_FILE, QuestionExample)
    texts = [e.text for e in guard_examples] + [e.text for e in intent_examples]
    texts += [e.text for e in question_examples]
    say(f"Embedding {len(texts)} training messages")
    vectors = embed_texts(embedder, texts)
    say("Fitting the guardrail classifier")
    learned = [True] * len(guard_examples) + [e.guard_normal for e in intent_examples]
    learned += [e.guard_normal for e in question_examples]
    rows = [index for index, keep in enumerate(learned) if keep]
    classes = [e.label for e in guard_examples] + ["normal"] * (len(rows) - len(guard_examples))
    guard = fit_guard([texts[index] for index in rows], classes, vectors[rows], meta)
    say("Fitting the intent classifier")
    start = len(guard_examples)
    intents = fit_intents(intent_examples, vectors[start : start + len(intent_examples)], meta)
    say("Fitting the question classifier")
    questions = fit_questions(question_examples, vectors[start + len(intent_examples) :], meta)
    say(f"Embedding {len(school_examples)} school sentences and fitting their classifier")
    school_vectors = embed_texts(embedder, [e.text for e in school_examples])
    school = fit_school(school_examples, school_vectors, meta)
    return Fitted(guard, intents, school, questions)
