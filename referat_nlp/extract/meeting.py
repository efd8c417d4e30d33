"""Meeting metadata from a referat's header: body, date, time, place, who attended.

Headers are label/value lines ("Mødedato Mandag d. 28. september 2020 kl. 10:00",
"Dato: 29. januar 2020", "Mødested Mødelokale B105", "Tilstede: …", "Afbud: …"),
with the label and value on one line or the value on the lines below. Structured
sources (FirstAgenda JSON) state some fields outright; those win.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from referat_nlp.document import Meeting, Span
from referat_nlp.extract import dates, names
from referat_nlp.structure.layout import Line
from referat_nlp.structure.sections import DECISION, heading_date, heading_kind
from referat_nlp.vocabulary import WEEKDAYS, modern_spelling, municipalities

# label → field; matched at a line start, followed by ":" or whitespace
LABELS: dict[str, str] = {
    "mødedato": "date", "dato": "date", "tidspunkt": "time", "mødetidspunkt": "time",
    "mødested": "location", "sted": "location", "lokale": "location",
    "mødelokale": "location", "mødedeltagere": "participants",
    "deltagere": "participants", "tilstede": "participants",
    "til stede": "participants", "medlemmer": "participants",
    "afbud/fraværende": "absent", "afbud": "absent", "fraværende": "absent",
    "fravær": "absent", "sekretær": "other", "referent": "other", "gæster": "other",
    "dagsorden udsendt": "other", "referat udsendt": "other", "kl": "time",
}  # fmt: skip
RE_LABEL = re.compile(
    r"^\s*("
    + "|".join(re.escape(k) for k in sorted(LABELS, key=len, reverse=True))
    + r")\b\s*[:.]?\s*(.*)$",
    re.I,
)
# the body given as a labelled field: "Udvalg: Børne- og Uddannelsesudvalget",
# "Mødeforum: Direktionen" (a colon: "Udvalg for Teknik og Miljø" is a name)
RE_BODY_LABEL = re.compile(r"^\s*(?:udvalg|mødeforum|forum)\s*:\s*(\S.*)$", re.I)
# words that make a line name a body: "Økonomiudvalget", "Ældrerådet", "Direktionen"
RE_BODY_WORD = re.compile(
    r"(udvalg|råd\b|rådet|rådsmøde|bestyrelse|direktion|nævn|forum|kommission"
    r"|repræsentation)",
    re.I,
)
# header noise around a body name: "REFERAT", "Referat fra møde i", dates, " - Referat",
# "Plan- og Miljøudvalget, møde den 6. november 2023"
RE_BODY_NOISE = re.compile(
    r"(?i)^(?:referat(?:\s+(?:for|fra\s+(?:mødet?(?:\s+i)?)?|af))?|dagsorden)\s*|"
    r"(?<=[a-zæøå])s\s+møde\b.*$|,\s*+møde\b.*$|"
    r"^(?:ekstraordinært\s+)?møde\s+i\s+|"
    # one white-space run opens each of these: matched from its start only
    r"(?<!\s)\s++(?:nr\.\s*\d+.*$|"
    r"-\s+(?:referat|dagsordener og referater|dagsorden).*$|"
    r"(?:d\.|den)\s+\d.*$|-\s+\d.*$|\d{4}-\d{4}$|\d{1,2}[-.]\d{1,2}[-.]\d{2,4}$|"
    r"(?:" + "|".join(WEEKDAYS) + r")\b.*$)"
)
# what follows a municipality's name when the host is meant
RE_HOST = re.compile(
    r"(?:Kommunes?|Rådhus|Byråd\w*|Kommunalbestyrelse\w*|Ældreråd\w*|"
    r"Handicapråd\w*|Seniorråd\w*)\b"
)
# a parish municipality (before 1970), named by its council or itself:
# "Vester Egede Sogneråd", "Tølløse-Aagerup Sognekommune", "Ørslev Sogneraad"
RE_PARISH = re.compile(
    r"((?:[A-ZÆØÅ][\w-]{1,30}[^\S\n]){0,2}[A-ZÆØÅ][\w-]{1,30})[^\S\n]+"
    r"[Ss]ogne(?:råd|kommune)\w*"
)
# a header line naming the municipality, also one of the 275 that the 2007 reform
# merged away or a name in capitals: "HVALSØ KOMMUNE", "Nørre Alslev Kommune"; or
# one of the 14 counties of 1970-2006, named "<X> Amt": "VEJLE AMT",
# "Ribe Amtskommune"
RE_KOMMUNE_LINE = re.compile(
    r"^[^\S\n]*((?:[A-ZÆØÅ][\w-]{1,30}[^\S\n]){0,2}[A-ZÆØÅ][\w-]{1,30})[^\S\n]+"
    r"(?:(?P<kommune>Kommune|KOMMUNE)|(?P<amt>Amt|AMT|Amtskommune|AMTSKOMMUNE))"
    r"[^\S\n]*$",
    re.MULTILINE,
)
# the five regions (since 2007) hold council meetings too; a region named in the
# header is the host, over the town its offices stand in ("Regionshuset Viborg")
RE_REGION = re.compile(
    r"\b(Region\s+(?:Hovedstaden|Sjælland|Syddanmark|Midtjylland|Nordjylland))\b"
)
# a line listing people: "Deltagere: …", names with party letters "(A)"
RE_PERSON_LIST = re.compile(
    r"\([A-ZÆØÅ]\)|^(?:deltagere|fraværende|afbud|til ?stede)", re.I
)
# eDoc title pages print the place under the date: "i Mødecenter C, Lokale 32 på …"
RE_PLACE_LINE = re.compile(r"^i\s+([A-ZÆØÅ].{3,100})$")
# "SeniorRådsmøde", "Udvalgsmøde": the body's meeting, named after the body
RE_MEETING_WORD = re.compile(r"(?i)^(\w*(?:råd|udvalg|bestyrelse|nævn))s?møde$")
# a minute book's opening sentence names the body that met: "… holdt Sogneraadet
# ordinært Møde i Skolen", "… afholdt Byrådet møde"
RE_HELD = re.compile(r"\bholdt\s+([A-ZÆØÅ]\w+)\s+(?:\w+\s+)?[Mm]øde\b")
# "… i Sønder Omme Skole.", "… paa Sønder Omme Kro": a place after the date
RE_HELD_AT = re.compile(
    r"\s(?:i|på|paa)\s+([A-ZÆØÅ][\w-]+(?:[^\S\n]+[A-ZÆØÅ][\w-]+){0,4})"
)
# indefinite ending → definite suffix
DEFINITE = (("råd", "et"), ("udvalg", "et"), ("nævn", "et"), ("bestyrelse", "n"),
            ("direktion", "en"), ("forum", "met"))  # fmt: skip
HEADER_SCAN = 25  # non-blank header lines searched for the body
FALLBACK_CHARS = 2000  # text after the header searched for a date when it has none


def extract(
    header: Sequence[Line],
    metadata: Mapping[str, object] | None = None,
    body_text: str = "",
) -> Meeting:
    """Meeting fields from the header lines (and a reader's metadata, which wins).

    ``body_text`` (the start of the items) is the last resort for the date: a web
    page may print no header at all, while its first item says "Godkendelse af
    dagsorden for ØU den 22. oktober 2018".
    """
    metadata = metadata or {}
    fields = labelled_fields(header)
    date_text = str(metadata.get("date_text") or "") or fields.get("date", "")
    stated = dates.find(date_text)
    header_body = clean_body(str(metadata.get("body") or "")) or body(header)
    date = (
        _first(stated, "date")
        or _first(_header_dates(header), "date")
        or _decision_date(body_text, header_body)
        or _first(dates.find(body_text[:FALLBACK_CHARS]), "date")
    )
    dated = _dated_line(header, date) if date and not date_text else None
    time = (
        _first(stated, "time")
        or _first(dates.find(fields.get("time", "") or fields.get("date", "")), "time")
        or (dated[2] if dated else None)
    )
    text = "\n".join(line.text for line in header)
    return Meeting(
        municipality=municipality(text) or municipality(body_text, kommune_only=True),
        body=header_body,
        date=date,
        start_time=time.split("-")[0] if time else None,
        end_time=time.split("-")[1] if time and "-" in time else None,
        location=_str(metadata.get("location")) or _location(fields) or _held_at(dated),
        participants=_people(metadata.get("participants"), fields.get("participants")),
        absent=_people(metadata.get("absent"), fields.get("absent")),
    )


def labelled_fields(header: Sequence[Line]) -> dict[str, str]:
    """Label → value text; a label alone on its line takes the lines below it."""
    fields: dict[str, str] = {}
    current: str | None = None
    for line in header:
        text = line.stripped
        if not text:
            current = None if current not in {"participants", "absent"} else current
            continue
        match = RE_LABEL.match(text)
        if match:
            current = LABELS[match.group(1).lower()]
            if current not in fields:
                fields[current] = match.group(2)
            if current == "location" and match.group(2):
                current = None  # "Mødested: X" on one line; what follows is not X
            continue
        if current in {"participants", "absent", "location"} and current in fields:
            fields[current] = (fields[current] + "\n" + text).strip()
            if current == "location":
                current = None
        elif "location" not in fields and (place := RE_PLACE_LINE.match(text)):
            fields["location"] = place.group(1)
    return fields


def _first(spans: Sequence[Span], label: str) -> str | None:
    return next((s.value for s in spans if s.label == label and s.value), None)


def _decision_date(body_text: str, body_name: str | None) -> str | None:
    """The meeting's date from dated decision headings, for a page that prints no
    meeting line ("Beslutning i Byrådet den 4. juni 2024" after two committees'
    "Beslutning i … den 7. maj 2024"): the heading naming this body, else the
    latest (earlier bodies' decisions are carried along, never later ones)."""
    found: list[tuple[str, str]] = []
    for line in body_text.splitlines():
        if "eslutning" not in line or heading_kind(line) != DECISION:
            continue
        when = _first(dates.find(heading_date(line) or ""), "date")
        if when is not None:
            found.append((when, line.lower()))
    own = [when for when, line in found if body_name and body_name.lower() in line]
    return own[-1] if own else max((when for when, _ in found), default=None)


def _header_dates(header: Sequence[Line]) -> list[Span]:
    spans: list[Span] = []
    for line in header[:60]:
        spans.extend(dates.find(line.text))
    return spans


def _dated_line(
    header: Sequence[Line], date: str
) -> tuple[str, int, str | None] | None:
    """The unlabelled header line that dates the meeting, where its date ends and
    the time it prints: a minute book's "Aar 1938, den 3. Marts, Kl. 19,30 holdt
    Sogneraadet Møde i Sønder Omme Skole." also gives the time and the place."""
    for line in header[:60]:
        spans = dates.find(line.text)
        dated = [s for s in spans if s.label == "date" and s.value == date]
        if dated:
            return line.text, dated[0].end, _first(spans, "time")
    return None


def _held_at(dated: tuple[str, int, str | None] | None) -> str | None:
    """The place after the date: "… Kl. 19,30 i Sønder Omme Skole.", "… paa Kroen"."""
    place = RE_HELD_AT.search(dated[0], dated[1]) if dated else None
    return place[1] if place else None


def _str(value: object) -> str | None:
    return str(value).strip() or None if value else None


def _location(fields: Mapping[str, str]) -> str | None:
    value = fields.get("location", "").strip()
    return " ".join(value.split()) or None


def _people(given: object, text: str | None) -> tuple[str, ...]:
    if isinstance(given, tuple | list) and given:
        return tuple(str(p) for p in given)
    return names.split_people(text) if text else ()


def body(header: Sequence[Line]) -> str | None:
    """The committee or council: the first header line naming one, cleaned of noise.

    The name is given as the body itself, in its definite form: "Referat fra mødet
    i Assens Ældreråd" → "Ældrerådet", "Handicaprådets møde" → "Handicaprådet",
    "SeniorRådsmøde nr. 240" → "Seniorrådet".
    """
    labelled = (RE_BODY_LABEL.match(line.stripped) for line in header)
    if name := next((clean_body(m[1]) for m in labelled if m), None):
        return name
    seen = 0
    for line in header:
        text = line.stripped
        if not text or RE_LABEL.match(text):
            continue
        seen += 1
        if seen > HEADER_SCAN:
            break
        modern = modern_spelling(text)  # "Sogneraadet" is found as "Sognerådet"
        if held := RE_HELD.search(modern):
            return _definite(held[1])
        if RE_PARISH.search(modern) and len(text) < 120:
            return "Sognerådet"  # "Forhandlingsprotokol for Vester Egede Sogneraad"
        if RE_BODY_WORD.search(modern) and len(text) < 120:
            name = clean_body(text)
            if name:
                return name
    return None


def clean_body(text: str) -> str:
    """A body name without header noise, host municipality or indefinite ending."""
    name = RE_BODY_NOISE.sub("", text).strip(" -–:")
    name = RE_BODY_NOISE.sub("", name).strip(" -–:")
    return _definite(_without_municipality(name)) if name else ""


def _without_municipality(name: str) -> str:
    """ "Assens Ældreråd" → "Ældreråd": the host is the municipality field's."""
    first, _, rest = name.partition(" ")
    return rest if rest and first in municipalities() else name


def _definite(name: str) -> str:
    """A one-word body in its definite form, as minutes name it ("Ældrerådet")."""
    if " " in name:
        return name
    word = RE_MEETING_WORD.sub(r"\1", name)  # "SeniorRådsmøde" → "SeniorRåd"
    word = word[0].upper() + (
        word[1:].lower() if word[1:] != word[1:].upper() else word[1:]
    )
    for ending, suffix in DEFINITE:
        if word.lower().endswith(ending):
            return word + suffix
    return word


def municipality(text: str, kommune_only: bool = False) -> str | None:
    """The municipality the header names most strongly.

    "<X> Kommune", "<X>s Rådhus" and "<X> Ældreråd" name the host outright; a bare
    name counts less, and not on lines listing people ("Karin Lemvig (C)" is no
    municipality). In item text only "<X> Kommune" counts (``kommune_only``): items
    name other towns freely.
    """
    strong_re, weak_re = _municipality_patterns()
    counts: Counter[str] = Counter()
    for match in strong_re.finditer(text):
        counts[match.group(1)] += 3
    if not kommune_only:  # parish councils before 1970 are named for the parish
        for match in RE_PARISH.finditer(modern_spelling(text)):
            counts[" ".join(match.group(1).split())] += 3
        for match in RE_KOMMUNE_LINE.finditer(text):
            name = _name_case(match.group(1))
            counts[f"{name} Amt" if match.group("amt") else name] += 3
    for match in RE_REGION.finditer(text):
        counts[" ".join(match.group(1).split())] += 3
    if not kommune_only:
        for line in text.splitlines():
            if not RE_PERSON_LIST.search(line):
                counts.update(m.group(1) for m in weak_re.finditer(line))
    return counts.most_common(1)[0][0] if counts else None


def _name_case(name: str) -> str:
    """A municipality's name as the list spells it, or in title case when printed in
    capitals ("HVALSØ" → "Hvalsø", "IKAST-BRANDE" → "Ikast-Brande")."""
    name = " ".join(name.split())
    known = {n.lower(): n for n in municipalities()}
    if name.lower() in known:
        return known[name.lower()]
    return name.title() if name.isupper() else name


@functools.cache
def _municipality_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One alternation over the 98 names (longest first), compiled once: a regex per
    name per document cost more than the rest of the header parsing together."""
    names_re = "|".join(
        re.escape(n) for n in sorted(municipalities(), key=len, reverse=True)
    )
    strong = re.compile(rf"\b({names_re})s?\s+{RE_HOST.pattern}")
    weak = re.compile(rf"\b({names_re})\b")
    return strong, weak
