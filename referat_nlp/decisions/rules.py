"""Classify what a body did with an agenda item, from the item's decision text.

Most decisions in Danish minutes are formulae ("Godkendt.", "Anbefales.",
"Orienteringen blev taget til efterretning.", "Udsættes."), so named rules settle
them with high precision and carry over to municipalities the model has never seen.
What the rules do not settle (round-ups, hearing replies, free prose) goes to the
trained linear model in :mod:`referat_nlp.decisions.model`.

Labels follow the corpus label guide; the tie-break rules are implemented here:

1. A bare approval ("Godkendt.", "Indstillingen godkendt", "Som indstillet",
   "Byrådet godkendte Økonomiudvalgets indstilling") takes the class of the action
   the item's Indstilling asked for (:func:`recommendation_intent`).
2. Mixed decisions ("Ad 1. … Ad 2. …") take the main outcome (:data:`PRIORITY`).
3. Explicit wording wins ("Anbefales godkendt" is recommended, not approved).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from referat_nlp.decisions import lemmas
from referat_nlp.document import Decision, DecisionLabel
from referat_nlp.vocabulary import modern_spelling

if TYPE_CHECKING:
    from referat_nlp.decisions.model import LinearTextModel

log = logging.getLogger(__name__)

MODEL_NAME = "decision-classifier-v1"
_PACKAGE = Path(__file__).resolve().parent.parent
# An installed wheel carries the model as referat_nlp/models/ (pyproject.toml maps the
# repository's models/ there); a source checkout or editable install reads models/.
DEFAULT_MODEL_DIR = next(
    (
        folder
        for folder in (
            _PACKAGE / "models" / MODEL_NAME,
            _PACKAGE.parent / "models" / MODEL_NAME,
        )
        if folder.is_dir()
    ),
    _PACKAGE.parent / "models" / MODEL_NAME,
)

# A rule at or above this confidence is trusted; below it the model decides.
RULE_THRESHOLD = 0.75
STRONG = 0.95  # an explicit outcome formula
LIKELY = 0.8  # a pattern with known exceptions: "besluttede at …", round-ups, names

# Main outcome first: a rejection or a postponement outweighs the approval or the
# noting of a sub-point, and any formal outcome outweighs a discussion.
PRIORITY: tuple[DecisionLabel, ...] = (
    DecisionLabel.REJECTED,
    DecisionLabel.FORWARDED,
    DecisionLabel.POSTPONED,
    DecisionLabel.RECOMMENDED,
    DecisionLabel.APPROVED,
    DecisionLabel.NOTED,
    DecisionLabel.DISCUSSED,
    DecisionLabel.OTHER,
)

# --- attendance: noise inside decision sections -----------------------------

# "Afbud: Charlotte Levin", "Fraværende: Ingen.", "Ikke til stede: Tina (A)",
# "Følgende deltog ikke i behandlingen af punktet:"
RE_ATTENDANCE_MARKER = re.compile(
    r"\b(?:afbud|fraværende|fravær|ikke\s+til\s+stede|ikke\s+mødt)\s*:"
    r"|\bfølgende\s+deltog\s+ikke\b[^:\n]*:?",
    re.IGNORECASE,
)
# "Martin Bech var fraværende.", "Peter Andersen deltog ikke på mødet.",
# "Kenneth Dahl deltog som suppleant.", "Alle medlemmer var mødt.",
# "Lars Bisgaard fraværende under punkt 7 – 11."
RE_ATTENDANCE_SENTENCE = re.compile(
    r"\b(?:var\s+fraværende|fraværende\s+under|deltog\s+ikke"
    r"|deltog\s+(?:som\s+suppleant|i\s+mødet\s+i\s+stedet|i\s+behandlingen\s+af\s+punkt)"
    r"|var\s+mødt|kunne\s+ikke\s+deltage|inviteret\s+med\s+til\s+mødet"
    r"|mødt\s+i\s+stedet\s+for)",
    re.IGNORECASE,
)
# a line holding only a person's name, as listed under a bare "Fraværende:"
# e.g. "Karsten Frederiksen (Peter Stecher mødt)"
RE_NAME_LINE = re.compile(r"^[A-ZÆØÅ][\w.-]*(?:\s+[A-ZÆØÅ][\w.-]*)*(?:\s*\([^)]*\))?$")
# sentence boundary: newline, or ". " before a capital ("Godkendt. Afbud: …");
# "punkt. 1, 2" and "den 21. november" are not boundaries
RE_SENTENCE_BREAK = re.compile(r"\n|(?<=[.!?])[ \t]+(?=[A-ZÆØÅ•])")

# --- outcome formulae --------------------------------------------------------

# "Ikke godkendt.", "1.-2. ikke godkendt", "Kan ikke anbefales", "Anbefales ikke.",
# "Forslaget forkastet", hearing replies "Rådet kan ikke tilslutte sig forslaget",
# a decision not to act: "Byrådet besluttede ikke at gå videre med planen"
RE_REJECTED = re.compile(
    r"\bikke\s+(?:godkend\w*|anbefal\w*|tiltrådt|vedtaget|imødekom\w*)"
    r"|\bkan\s+ikke\s+(?:godkendes|anbefales|tiltrædes|imødekommes"
    r"|godkende|anbefale|tiltræde|tilslutte\s+sig|støtte)\b"
    r"|\bforkast(?:et|es|ede|edes)\b|\bafvis(?:t|es|te|tes)\b|\bnedstemt\b"
    r"|\b(?:godkend|anbefal|tiltræd|vedtag|imødekomm)\w*\s+ikke\b"
    r"|\bbeslut(?:tede|ter|tet)\s+(?:\w+\s+)?ikke\s+at\b"
    r"|\bikke\s+(?:et\s+)?flertal\s+for\b",
    re.IGNORECASE,
)
# Forwarding is a verb family, not a phrase list: sende, fremsende, oversende,
# videresende, henvise, videregive, overgive, overdrage in any inflection ("sendes",
# "sendt", "sendte", "fremsendes", "henvist", "overdroges") followed within a few
# words naming the case ("sagen", "punktet", "videre") by "til" a body, or "til
# (videre/realitets)behandling": "Sendt til Teknik- og
# Miljøudvalget", "Fremsendes til forvaltningen med henblik på en indstilling",
# "Byrådet sendte sagen til realitetsbehandling i Skoleudvalget". Not forwarding:
# "sendes tilbage til administrationen" (postponed) and "sendes i/til høring".
_FORWARD_VERB = (
    r"(?:(?:frem|over|videre)?send(?:e|es|er|t|te|tes|ts)"
    r"|henvis(?:e|es|er|t|te|tes)"
    r"|(?:videre|over)(?:giv(?:e|es|er|et)|gav)"
    r"|overdrag(?:e|es|er|et)|overdrog(?:es)?)"
)
RE_FORWARDED = re.compile(
    r"\b" + _FORWARD_VERB + r"\b(?:\s+(?:sagen|punktet|forslaget|den|det|videre"
    r"|direkte|hermed|derfor|nu)){0,2}"
    r"\s+til\b(?!\s+(?:høring|orientering|efterretning|udtalelse|godkendelse|fornyet)\b)"
    r"(?!\s+(?:\w+\s+){0,2}?(?:møde|mødet|september|oktober)\b)"
    # the decision itself delegated: "bemyndigede økonomiudvalget til at træffe
    # endelig beslutning", "overlod det til udvalget at afgøre sagen" (not the
    # mayor authorised to sign what the body approved)
    r"|\b(?:bemyndig|delegere|overlad|overlod)\w*\b[^.!?\n]{0,60}?"
    r"\b(?:træffe\s+(?:\w+\s+)?beslutning|afgøre)\b"
    # the matter goes on to the budget negotiations: "Forslaget overgår til
    # budgetforhandlingerne", "indgår i budgetlægningen for 2024"
    r"|\b(?:overgår|overgik|indgår|indgik)\s+(?:til|i)\s+(?:de\s+kommende\s+)?"
    r"budget(?:forhandling|lægning|drøftelse)\w*",
    re.IGNORECASE,
)
# a later meeting of the body: "næste møde", "et senere møde", "kommende møde"
_NEXT_MEETING = r"(?:næste|et\s+(?:senere|kommende)|kommende|senere)\s+møde\b"
# "Udsættes.", "Punktet blev udskudt", "Udvalget udskyder sagen", "Sagen sendes
# tilbage til administrationen", "tages op igen på næste møde", "Punktet overgår til
# næste møde", "sendes til fornyet behandling i forvaltningen",
# "Der ønskes specifikation inden endelig behandling."
RE_POSTPONED = re.compile(
    r"\budsæt(?:tes|te)\b|\budsat(?:tes)?\b|\budskud(?:t|te)\b|\budskyd(?:es|er)\b"
    r"|\bsendes\s+tilbage\s+til\b"
    r"|\btages\s+op\s+igen\s+på\s+"
    + _NEXT_MEETING
    + r"|\b(?:overgår|overgik|flyttes|flyttet|udskydes)\s+til\s+"
    + _NEXT_MEETING
    + r"|\binden\s+(?:endelig|videre)\s+behandling\b|\bfornyet\s+behandling\b",
    re.IGNORECASE,
)
# resumed later, the present passive that points ahead ("Sagen genoptages på
# udvalgets møde den 16. september", "tages op igen, når …", "behandles på ny"):
# a postponement when nothing else was decided; "Punktet blev drøftet. Sagen
# genoptages …" was discussed, and "blev genoptaget" is the history of a case
RE_RESUMED = re.compile(
    r"\bgenoptages\b|\btages\s+op\s+igen\b|\bbehandles\s+(?:igen|på\s+ny)\b",
    re.IGNORECASE,
)
# "Anbefales.", "Anbefales godkendt", "Rådet anbefaler forslaget",
# "Indstilles til godkendelse" (another body decides); not "kan ikke anbefales";
# a body that puts the matter to the deciding body: "Udvalget indstiller til
# Byrådet, at …", "Kommunalbestyrelsen indstillede over for Amtsrådet, at …",
# "indstiller forslaget til Byrådets godkendelse"
RE_RECOMMENDED = re.compile(
    r"(?<!ikke )\banbefal(?:es|er|ede|et)\b"
    r"|\bindstilles\s+til\s+(?:godkendelse|vedtagelse)\b"
    r"|\bindstill(?:er|ede)\s+(?:til|over\s*for|overfor)\s+(?-i:[A-ZÆØÅ])"
    r"|\bindstill(?:er|ede|es)\s+(?:\w+\s+){1,3}?til\s+(?-i:[A-ZÆØÅ])\w*s\s+"
    r"(?:godkendelse|vedtagelse)\b",
    re.IGNORECASE,
)
# sent on with the body's recommendation: the outcome is the recommendation, the
# sending how it travels ("Fremsendes til Byrådet med anbefaling", "Oversendes
# med udvalgets anbefaling", "… med indstilling om godkendelse"); not "uden
# anbefaling"
RE_WITH_RECOMMENDATION = re.compile(
    r"\bmed\s+(?:\w+\s+){0,2}?(?:anbefaling(?:er)?\b|indstilling\s+om\s+"
    r"(?:godkendelse|vedtagelse)\b)",
    re.IGNORECASE,
)
# "Godkendt.", "Dagsordenen blev godkendt", "Tiltrådt", "Vedtaget", "Underskrevet",
# hearing replies "kan tiltræde", "kan tilslutte sig", "udtale støtte", a vote
# "Der var flertal for indstillingen" ("ikke flertal for" rejects), an agreement
# "Rådet var enigt om, at …", "Der var enighed om …"; not a
# relative clause about an earlier decision ("udkastet, som blev godkendt på …").
# Old minutes write the past passive ("Vedtoges", "Godkendtes", "Andragendet
# bevilgedes") and "bifalde" (to grant): each verb takes its inflections, the past
# passive (past + s) among them, as every family here does. Not the present passive
# "bevilges": it describes a rule more often than it records a grant ("før der
# bevilges hjemmehjælp").
RE_APPROVED = re.compile(
    r"(?<!ikke )(?<!som blev )(?<!der blev )"
    r"\b(?:godkend(?:t|te|tes|es|er)|tiltrå(?:dt|dte|dtes|des|der)"
    r"|vedta(?:get|ges|ger)|vedtog(?:es)?|underskrevet|underskrives"
    r"|som\s+indstillet|bevil(?:l?i)?g(?:et|ede|edes)|bifald(?:es|er|t|te|tes)"
    r"|imødekom(?:mes|met))\b"
    r"|\bkan\s+(?:tiltræde|tilslutte\s+sig|godkende)\b|\btilsluttede\s+sig\b"
    r"|\budtale\s+støtte\b|(?<!ikke )(?<!ikke et )\bflertal\s+for\b"
    r"|(?<!ikke )\b(?:var|blev)\s+(?:alle\s+|helt\s+)?enig[et]?\s+om\b"
    r"|(?<!ikke )\b(?:fuld\s+)?enighed\s+om\b",
    re.IGNORECASE,
)
# "Taget til efterretning", "Rapporten tages til efterretning",
# "Taget til orientering."
RE_NOTED = re.compile(
    r"\btil\s+efterretning\b|\bta(?:get|ges)\s+til\s+orientering\b"
    r"|\bnotere(?:t|de)\s+sig\b",
    re.IGNORECASE,
)
# "Sagen blev drøftet", "Ældrerådet drøftede materialet", "Drøftelse af …",
# "Der var en længere drøftelse af …", "Efter drøftelse …",
# orientation received: "Der blev orienteret om status", "X orienterede om …"
RE_DISCUSSED = re.compile(
    r"\bdrøfte(?:t|de)\b|^drøftelse\s+af\b|\bblev\s+orienteret\b"
    r"|\b(?:en|efter)\s+(?:\w+\s+)?drøftelse\b"
    r"|\borienterede\s+om\b|\binformerede\s+om\b|\bgav\s+(?:en\s+)?(?:\w+\s+)?orientering\b",
    re.IGNORECASE | re.MULTILINE,
)
# "Udvalget besluttede, at …", "Seniorrådet har besluttet at …",
# "Udvalget beslutter vejnavnet …": affirmative, unless an outcome formula in the
# same part says more ("drøftede oplægget og besluttede at …" is a discussion)
RE_DECIDED = re.compile(r"\bbeslut(?:tede|ter|tet)\b", re.IGNORECASE)

# reported speech: "Formanden meddelte, at Amtsraadet har godkendt …", "Borgmesteren
# oplyste, at sagen er udsat": the outcome in the clause is another's act or a fact
# told, not what this body did, so it is read past (to the sentence's end)
RE_REPORTED = re.compile(
    r"\b(?:meddelte|oplyste|fortalte|underrettede|bekendtgjorde|orienterede|informerede)"
    r"\b(?:[^\S\n]+\w+){0,3}?,?[^\S\n]+at\b[^.!?]*",
    re.IGNORECASE,
)

# the presiding member's announcements: "Formanden orienterede om status for …",
# "Borgmesteren informerede om …" — news told to the body, not a matter it
# discussed (a guest or an officer presenting a case to the body is)
RE_CHAIR_TOLD = re.compile(
    r"\b(?:(?:vice)?borgmester|(?:næst|udvalgs)?formand)(?:en)?\b[^.!?\n]{0,80}?"
    r"\b(?:orienterede|informerede)\s+om\b[^.!?]*",
    re.IGNORECASE,
)
# who told the body about what: two or more such sentences are a round-up of
# announcements ("Formanden orienterede om …", "Kasper Bøgh orienterede om …")
RE_TOLD_ABOUT = re.compile(r"\b(?:orienterede|informerede)\s+om\b", re.IGNORECASE)

# a member's own statement recorded with the decision: "X afgav følgende
# protokolbemærkning: "Enhedslisten kan ikke støtte …"", "ønskede følgende ført til
# protokol: …" — a minority's view, not the body's outcome, so it is read past
RE_REMARK = re.compile(
    r"\b(?:protokolbemærkning|protokoltilførsel|mindretalsudtalelse|ført\s+til\s+protokol)"
    r"(?:en)?\s*:[^\n]*",
    re.IGNORECASE,
)
# no outcome, but the matter comes back: "Punktet overgår til næste møde",
# "Sagen afventer …", "Forvaltningen udarbejder et nyt forslag", "anmoder om en ny
# sag" — the decision is withheld (`udskudt` in the label guide)
RE_LATER = re.compile(
    r"\b(?:til|på)\s+"
    + _NEXT_MEETING
    + r"|\b(?:en\s+ny|et\s+nyt|et\s+revideret|en\s+revideret)\s+"
    r"(?:sag|oplæg|forslag|indstilling|redegørelse)\b",
    re.IGNORECASE,
)
# a vote on an amendment before the vote on the proposal: "V's ændringsforslag blev
# forkastet. Herefter blev indstillingen godkendt." — the proposal's fate is the
# outcome, so the amendment's sentence is read past when more follows
RE_AMENDMENT = re.compile(
    r"(?:^|(?<=[.!?]))[^.!?\n]*\bændringsforslag\w*\b[^.!?\n]*[.!?]?",
    re.IGNORECASE | re.MULTILINE,
)
# a member's or a minority's dissent recorded with the decision: "Dorthe Sonne (A)
# kunne ikke støtte beslutningen.", "V og C stemte imod.", "Et mindretal (Ø) tog
# forbehold." — who disagreed, not what the body did, so it is read past when the
# rest still says something (a PDF may wrap the sentence; it runs to its full stop)
RE_DISSENT = re.compile(
    r"(?:^|(?<=[.!?]))[^\S\n]*(?:"
    r"[Ee]t[^\S\n]+mindretal\b"
    r"|(?=(?:[A-ZÆØÅ][\w\-]*\s+){1,4}\([A-ZÆØÅ]{1,2}\)"
    r"|[A-ZÆØÅ]{1,2}(?:[^\S\n]*(?:,|og)[^\S\n]*[A-ZÆØÅ]{1,2})*[^\S\n]+[a-zæøå])"
    r"(?=[^.!?]{0,300}?\b(?:imod|ikke|forbehold|undlod)\b))"
    r"[^.!?]{0,300}[.!?]?",
    re.MULTILINE,
)
# elections and appointments: "X blev valgt som nyt medlem", "Valgt blev …",
# "Som formand valgtes …", "X blev udpeget" — `andet` in the label guide
RE_ELECTED = re.compile(
    r"\b(?:blev|er)\s+(?:gen)?(?:valgt|udpeget)\b|\bvalgt\s+blev\b"
    r"|\b(?:gen)?valgtes\b|\budpegedes\b",
    re.IGNORECASE,
)

STRONG_RULES: tuple[tuple[DecisionLabel, re.Pattern[str]], ...] = (
    (DecisionLabel.REJECTED, RE_REJECTED),
    (DecisionLabel.RECOMMENDED, RE_WITH_RECOMMENDATION),
    (DecisionLabel.FORWARDED, RE_FORWARDED),
    (DecisionLabel.POSTPONED, RE_POSTPONED),
    (DecisionLabel.RECOMMENDED, RE_RECOMMENDED),
    (DecisionLabel.APPROVED, RE_APPROVED),
    (DecisionLabel.NOTED, RE_NOTED),
    (DecisionLabel.DISCUSSED, RE_DISCUSSED),
    (DecisionLabel.POSTPONED, RE_RESUMED),
)

# A bare approval: the body approved "the indstilling" without naming what it
# did. "Godkendt.", "1.-2. Godkendt.", "Indstillingen godkendt med denne
# bemærkning: …", "Som indstillet", "Tiltrådt", "Vedtaget",
# "Direktionen godkendte indstillingen", "Byrådet godkendte Økonomiudvalgets
# indstilling", "Økonomiudvalgets indstilling blev fulgt"
RE_BARE_APPROVAL = re.compile(
    r"^(?:(?:ad\s+)?\d++\.?(?:\s*[-–]\s*\d++\.?)?\s*+)?"
    r"(?:godkendt|tiltrådt|vedtaget|som\s+indstillet"
    r"|indstilling(?:en|erne|spunkterne)\s+(?:er\s+|blev\s+)?(?:godkendt|tiltrådt)"
    r"|\w++\s+(?:godkendte|tiltrådte|fulgte)\s+(?:\w++\s+)?indstilling(?:en|erne|spunkterne)?"
    r"|(?:\w++\s+)?indstilling(?:en|erne)?\s+(?:er\s+|blev\s+)?fulgt)\b",
    re.IGNORECASE,
)

# mixed decisions ("Ad 1. Taget til efterretning. Ad 2. Udvalget besluttede …"):
# a part starts at "Ad 2. …" anywhere, or at "2. …" after a sentence end
RE_PART = re.compile(
    r"(?:(?<=\s)|^)ad\s+\d+\.?\s|(?:(?<=[.!?]\s)|(?<=\n)|^)\d+\.\s+(?=[A-ZÆØÅ])",
    re.IGNORECASE,
)

# --- "other" outcomes ---------------------------------------------------------

# "Ingen.", "Intet.", "Intet at rapportere", "Ingen bemærkninger/ændringer."
RE_NOTHING = re.compile(
    r"^(?:ingen|intet)(?:\s+(?:bemærkninger|ændringer|at\s+(?:rapportere|bemærke))"
    r"(?:\s*/\s*ændringer)?)?\W*$",
    re.IGNORECASE,
)
# a round-up of sub-points ("6.1 Formandsmødet …", "B) Lene og Jette …"):
# announcements, not one outcome
RE_SUBPOINT = re.compile(r"^[^\S\n]*+(?:\d+\.\d+\.?|[A-H]\))\s+\S", re.MULTILINE)
# a round-up by topic: lines opened by a short label ("Formanden: …", "Budget /
# regnskab:", "Møder/Kurser: …"), votes and attendance aside ("For stemte:")
RE_TOPIC = re.compile(
    r"^[^\S\n]*+(?!(?:for|imod)\s+stemte|afstemning|afbud|fraværende|ikke\s+til)"
    r"(?-i:[A-ZÆØÅ])[\w /.–-]{1,40}:",
    re.MULTILINE | re.IGNORECASE,
)
TOPICS_MIN = 3
# a bullet of a list: "• Status på forhandlingerne …"; two or more without a
# formal outcome are an announcement round-up
RE_BULLET = re.compile(r"(?:^|\s)[•▪●◦]\s")
# agenda changes: "Pkt. 15 tages af og sendes direkte i Byrådet", "Punkt 4 udgår",
# "Punktet blev trukket af dagsordenen."
RE_AGENDA_CHANGE = re.compile(
    r"^\W*(?:pkt|punkt)\.?\s*\d+\s+(?:tages\s+af|udgår|flyttes|fastholdes)"
    r"|^\W*(?:punktet|sagen)\s+(?:blev\s+|er\s+)?(?:trukket|taget|tages|trækkes)\s+af"
    r"(?:\s+dagsordenen)?\W*$",
    re.IGNORECASE,
)
# spørgetid: questions put by members or citizens — "Spørgsmål blev besvaret på
# mødet", "• Hvem fører forhandlingerne …?", "• Skiltning, hvem har besluttet …"
RE_QUESTIONS = re.compile(
    r"^\W*(?:spørgsmål|spørgetid)\b"
    r"|^\W*•[^\n]*(?:\?|^\W*(?:hvem|hvad|hvordan|hvorfor|hvornår|hvilke)\b"
    r"|,\s*(?:hvem|hvad|hvordan|hvorfor|hvornår)\s)",
    re.IGNORECASE,
)
# one name token in a list of people: "Birgit", "Bøcker", "(V)", "og"
RE_NAME_TOKEN = re.compile(r"^(?:[A-ZÆØÅ][a-zæøåéü-]+|og|\([A-ZÆØÅ]{1,3}\))[.,]?$")
NAME_LIST_MAX_TOKENS = 12
# capitalised words that are outcomes, never names
NOT_NAMES = frozenset(
    {
        "godkendt",
        "tiltrådt",
        "vedtaget",
        "underskrevet",
        "udsættes",
        "anbefales",
        "drøftet",
        "ingen",
        "intet",
        "afbud",
        "behandlet",
        "orientering",
    }
)

# --- the recommendation (Indstilling) -----------------------------------------

# who proposes: "Administrationen indstiller, at …", "ØDC indstiller at direktionen
# anbefaler …", "Administrationen anbefaler, at …" — the proposer's own verb is
# not the action asked for, so the text up to it is dropped
RE_PROPOSER = re.compile(
    r"^.{0,200}?\b(?:indstiller|anbefaler|foreslår)\b"
    r"(?=\s*(?:[,:]|at\b|over\s*for\b|overfor\b|til\b|$))",
    re.DOTALL,
)
# the action asked for: "at Økonomiudvalget anbefaler Byrådet …",
# "indstilles til godkendelse i Byrådet"
RE_REC_RECOMMEND = re.compile(
    r"\banbefal(?:er|es)\b|\bindstilles\s+til\s+godkendelse\b", re.IGNORECASE
)
# "at regnskabet godkendes", "at planen vedtages endeligt", "at der meddeles
# dispensation", "at der bevilges 2 mio. kr."
RE_REC_APPROVE = re.compile(
    r"\b(?:godkend(?:es|er|e)|vedtag(?:es|er)|tiltræd(?:es|er)|bevilg(?:es|er)"
    r"|bevilliges|meddeles|besluttes|beslutter)\b",
    re.IGNORECASE,
)
# "at orienteringen tages til efterretning", "at direktionen tager
# statusafrapporteringen til efterretning"
RE_REC_NOTE = re.compile(r"\btil\s+efterretning\b", re.IGNORECASE)
# "at udvalget drøfter kriterierne", "at processen drøftes"
RE_REC_DISCUSS = re.compile(r"\bdrøft(?:er|es)\b", re.IGNORECASE)

REC_INTENTS: tuple[tuple[DecisionLabel, re.Pattern[str]], ...] = (
    (DecisionLabel.RECOMMENDED, RE_REC_RECOMMEND),
    (DecisionLabel.APPROVED, RE_REC_APPROVE),
    (DecisionLabel.NOTED, RE_REC_NOTE),
    (DecisionLabel.DISCUSSED, RE_REC_DISCUSS),
)


@dataclass(frozen=True)
class RuleResult:
    """What the rules concluded; ``bare`` marks an approval of the indstilling."""

    label: DecisionLabel
    confidence: float
    bare: bool = False


def _is_name_line(line: str) -> bool:
    """A person listed under a bare "Fraværende:", not an outcome ("Godkendt.")."""
    return bool(RE_NAME_LINE.match(line)) and not any(
        pattern.search(line) for _, pattern in STRONG_RULES
    )


def strip_attendance(text: str) -> str:
    """The decision text without attendance records (who was absent or stood in).

    Attendance is recorded inside many decision sections but says nothing about
    the outcome; left in, "Afbud: …" would look like a decision of its own.
    """
    kept: list[str] = []
    after_bare_marker = False
    for raw in RE_SENTENCE_BREAK.split(text):
        sentence = raw.strip()
        if not sentence:
            continue
        if after_bare_marker and _is_name_line(sentence):
            continue
        after_bare_marker = False
        marker = RE_ATTENDANCE_MARKER.search(sentence)
        if marker:
            after_bare_marker = not sentence[marker.end() :].strip()
            sentence = sentence[: marker.start()].strip()
        elif RE_ATTENDANCE_SENTENCE.search(sentence):
            continue
        if sentence:
            kept.append(sentence)
    return "\n".join(kept)


def normalise(text: str) -> str:
    """Whitespace-normalised decision text without attendance lines."""
    text = text.replace("\u00a0", " ").replace("\r", "")
    lines = (" ".join(line.split()) for line in strip_attendance(text).split("\n"))
    return "\n".join(line for line in lines if line)


def recommendation_intent(recommendation: str | None) -> DecisionLabel | None:
    """The action an Indstilling asks for, or None when there is none.

    Asking to recommend onwards outweighs asking to approve, which outweighs
    asking to note or to discuss (tie-break 2: the substantive outcome).
    """
    if not recommendation or not recommendation.strip():
        return None
    body = " ".join(recommendation.split())
    proposer = RE_PROPOSER.match(body)
    if proposer:
        body = body[proposer.end() :]
    for label, pattern in REC_INTENTS:
        if pattern.search(body):
            return label
    return DecisionLabel.APPROVED


def _other_rule(text: str) -> RuleResult | None:
    """Outcomes that are not decisions: nothing recorded, questions, round-ups."""
    if not re.search(r"[A-Za-zÆØÅæøå]{2}", text):
        return RuleResult(DecisionLabel.OTHER, STRONG)  # only attendance
    if RE_NOTHING.match(text) or RE_AGENDA_CHANGE.match(text):
        return RuleResult(DecisionLabel.OTHER, STRONG)
    if RE_QUESTIONS.match(text):
        return RuleResult(DecisionLabel.OTHER, LIKELY)
    if len(RE_SUBPOINT.findall(text)) >= 2 or len(RE_TOPIC.findall(text)) >= TOPICS_MIN:
        return RuleResult(DecisionLabel.OTHER, LIKELY)
    return None


def _is_name_list(text: str) -> bool:
    """True for "Birgit" or "Martin Bech, Lars Bisgaard og Karsten Frederiksen"."""
    tokens = text.split()
    return (
        0 < len(tokens) <= NAME_LIST_MAX_TOKENS
        and all(RE_NAME_TOKEN.match(t) for t in tokens)
        and not any(t.strip(".,").lower() in NOT_NAMES for t in tokens)
    )


def _parts(text: str) -> list[str]:
    """Split "Ad 1. … Ad 2. …" into its parts (one part when there are none)."""
    starts = sorted({m.start() for m in RE_PART.finditer(text)} | {0})
    bounds = [*starts, len(text)]
    parts = (text[a:b].strip() for a, b in pairwise(bounds))
    return [p for p in parts if p]


# what a body sends on after deciding it is delivery, not a referral: "Indstillingen
# sendes til Social- og Sundhedsudvalget", "Høringssvaret fremsendes til …"
RE_DELIVERED = re.compile(
    r"\b(?:indstilling|høringssvar|udtalelse|svar|bemærkning|referat)\w*"
    r"(?:\s+\w+){0,3}\s*$",
    re.IGNORECASE,
)


def _states(label: DecisionLabel, pattern: re.Pattern[str], part: str) -> bool:
    """Whether ``part`` states the outcome ``pattern`` stands for.

    Sending on what the body approved or recommended ("Tiltrådt – sendes til ØK")
    is delivery: the approval is the outcome (tie-break 2).
    """
    if label is not DecisionLabel.FORWARDED:
        return any(not _reported(part, m.start()) for m in pattern.finditer(part))
    return any(
        not _reported(part, m.start())
        and not RE_DELIVERED.search(part[: m.start()])
        and not RE_APPROVED.search(part[: m.start()])
        and not RE_RECOMMENDED.search(part[: m.start()])
        for m in pattern.finditer(part)
    )


# a that-clause after the main clause: "Formanden lovede, at … sendes til rådet"
RE_THAT_CLAUSE = re.compile(r",\s*at\b")
# a that-clause in the past or perfect tells what was done, and is the outcome
RE_FACT = re.compile(r"\b(?:var|blev|havde|har)\b", re.IGNORECASE)
FACT_REACH = 12  # characters past the formula's start searched for that tense


def _reported(part: str, start: int) -> bool:
    """Whether the formula at ``start`` stands in a that-clause under a main
    clause that decides nothing, as a promise or a wish does ("Lene Aagaard lovede,
    at kravspecifikationen sendes til rådet"); under "besluttede, at" or
    "anbefaler, at" the clause is the outcome."""
    begin = max(
        (m.end() for m in RE_SENTENCE_BREAK.finditer(part, 0, start)), default=0
    )
    sentence = part[begin:]
    main = lemmas.main_clause(sentence)
    if begin + len(main) > start or not RE_THAT_CLAUSE.match(sentence, len(main)):
        return False
    if RE_FACT.search(part, begin + len(main), start + FACT_REACH):
        return False  # "konstaterede, at der var flertal for": a fact told
    return not lemmas.names_outcome(main) and not RE_DECIDED.search(main)


def _lemma_label(part: str) -> DecisionLabel | None:
    """The highest-priority outcome the main verbs of the part's sentences record,
    read by lemma (:mod:`referat_nlp.decisions.lemmas`)."""
    found = [label for s in lemmas.sentences(part) for label in lemmas.main_outcomes(s)]
    return min(found, key=PRIORITY.index) if found else None


def _part_label(part: str) -> tuple[DecisionLabel, float] | None:
    """The highest-priority outcome a part states, with the rule's confidence.

    A formula's outcome is trusted most; a main verb read by lemma outranks it
    when its outcome weighs more ("Udvalget afslog ansøgningen …, når puljen er
    vedtaget": the refusal, not the subordinate clause's adoption).
    """
    for aside in (RE_REMARK, RE_REPORTED, RE_CHAIR_TOLD):
        part = aside.sub(" ", part)
    for aside in (RE_AMENDMENT, RE_DISSENT):  # read past when more follows
        without = aside.sub(" ", part)
        if re.search(r"[^\W\d_]{3}", without):
            part = without
    formula = next(
        (label for label, pattern in STRONG_RULES if _states(label, pattern, part)),
        None,
    )
    verb = _lemma_label(part)
    if verb is not None and (
        formula is None or PRIORITY.index(verb) < PRIORITY.index(formula)
    ):
        return verb, LIKELY
    if formula is not None:
        return formula, STRONG
    if RE_DECIDED.search(part):
        return DecisionLabel.APPROVED, LIKELY
    return None


def apply_rules(text: str) -> RuleResult | None:
    """The rules' verdict on normalised decision text, or None if none applies."""
    text = modern_spelling(text)
    other = _other_rule(text)
    if other is not None:
        return other
    found = [(p, r) for p in _parts(text) if (r := _part_label(p)) is not None]
    label = min((r[0] for _, r in found), key=PRIORITY.index) if found else None
    round_up = (
        len(RE_BULLET.findall(text)) >= 2 or len(RE_TOLD_ABOUT.findall(text)) >= 2
    )
    if label in (None, DecisionLabel.DISCUSSED) and round_up:
        return RuleResult(DecisionLabel.OTHER, LIKELY)  # a round-up of news
    if label is None and RE_ELECTED.search(text):
        return RuleResult(DecisionLabel.OTHER, STRONG)  # an election
    if label is None and RE_LATER.search(text):
        return RuleResult(DecisionLabel.POSTPONED, LIKELY)  # no outcome yet
    if label is None:  # a name list, or an announcement of what others did
        told = (
            _is_name_list(text)
            or RE_REPORTED.search(text)
            or RE_CHAIR_TOLD.search(text)
        )
        return RuleResult(DecisionLabel.OTHER, LIKELY) if told else None
    confidence = max(r[1] for _, r in found if r[0] == label)
    bare = label is DecisionLabel.APPROVED and all(
        RE_BARE_APPROVAL.match(p) for p, r in found
    )
    return RuleResult(label, confidence, bare)


def _resolve(rule: RuleResult, recommendation: str | None) -> tuple[RuleResult, str]:
    """Tie-break 1: a bare approval takes the action the Indstilling asked for."""
    if not rule.bare:
        return rule, "rule"
    intent = recommendation_intent(recommendation)
    if intent is None:
        return rule, "rule"
    return RuleResult(intent, rule.confidence, bare=True), "resolved"


@cache
def load_model(model_dir: Path = DEFAULT_MODEL_DIR) -> LinearTextModel | None:
    """The trained model in ``model_dir``, or None (logged) when it is missing."""
    from referat_nlp.decisions.model import LinearTextModel

    path = Path(model_dir) / "model.json"
    if not path.is_file():
        log.warning("no decision model at %s; rules only", path)
        return None
    return LinearTextModel.load(path)


def model_hint(recommendation: str | None) -> str:
    """The recommendation feature the model sees: the intent's value or "none"."""
    intent = recommendation_intent(recommendation)
    return intent.value if intent is not None else "none"


# "Eventuelt", "Evt.", "Meddelelser og eventuelt", "Eventuelt / næste møde": the
# item for matters not on the agenda
RE_ANY_OTHER_BUSINESS = re.compile(
    r"(?:(?:meddelelser|orientering|nyt|næste møde)\s*(?:og|,|/|&)\s*)?"
    r"(?:eventuelt|evt\.?)(?:\s*(?:og|,|/|&)\s*(?:meddelelser|orientering|næste møde))?"
    r"\.?",
    re.I,
)


def is_any_other_business(title: str) -> bool:
    """Whether ``title`` names the "Eventuelt" item. A body may decide only on
    matters on its agenda (the Danish municipal rule of procedure), so what is
    said under Eventuelt is points raised, whatever verbs it uses."""
    return bool(RE_ANY_OTHER_BUSINESS.fullmatch(" ".join(title.split())))


def decide(
    text: str | None,
    recommendation: str | None,
    model: LinearTextModel | None,
    title: str = "",
) -> Decision:
    """Rules first when they fire with confidence, else ``model`` (see classify);
    the "Eventuelt" item (``title``) decides nothing (:func:`is_any_other_business`)."""
    if text is None:
        return Decision(
            text="", label=DecisionLabel.NONE, confidence=1.0, method="rule"
        )
    if is_any_other_business(title):
        return Decision(
            text=text, label=DecisionLabel.OTHER, confidence=0.9, method="rule"
        )
    clean = normalise(text)
    rule = apply_rules(clean)
    if rule is not None and rule.confidence >= RULE_THRESHOLD:
        rule, method = _resolve(rule, recommendation)
        return Decision(
            text=text, label=rule.label, confidence=rule.confidence, method=method
        )
    if model is None:
        fallback = rule or RuleResult(DecisionLabel.OTHER, 0.0)
        return Decision(
            text=text,
            label=fallback.label,
            confidence=fallback.confidence,
            method="rule",
        )
    label, confidence = model.predict_one(clean, model_hint(recommendation))
    return Decision(
        text=text, label=DecisionLabel(label), confidence=confidence, method="model"
    )


def classify(
    text: str | None,
    recommendation: str | None = None,
    *,
    title: str = "",
    model_dir: Path | None = None,
) -> Decision:
    """Classify one item's decision text; ``recommendation`` is its Indstilling
    and ``title`` the item's title (the "Eventuelt" item decides nothing).

    ``text`` None means the item has no decision section (label ``ingen``).
    Rules decide when they fire with confidence; otherwise the trained model in
    ``model_dir`` (default: the shipped model) does. ``method`` records which:
    "rule", "resolved" (a bare approval resolved against the Indstilling) or
    "model".
    """
    model = load_model(model_dir or DEFAULT_MODEL_DIR)
    return decide(text, recommendation, model, title)
