"""Money amounts in Danish minutes, normalised to DKK.

A money expression is a number *with a currency marker*: ``kr.``, ``kr``,
``kroner``, ``DKK``, the price suffix ``,-`` or a foreign currency (``€``, ``EUR``,
``euro`` …), optionally with a magnitude (``mio.``, ``mia.``, ``millioner``,
``t.kr.``/``tkr.``). This is the corpus rule: bare figures such as table cells of
an anlægsregnskab or "2 mio." without "kr." are deliberately not amounts, because
without the marker a figure may as well be a count, a year or an account number.

Why hand-written regular expressions rather than a library: ``price-parser`` and
``babel.numbers`` parse one price or number string at a time, and
``quantulum3`` finds quantities in running text but only in English; none knows
Danish magnitudes ("1,25 mio. kr.", "39 t kr."), number words ("en halv mio.
kr."), ranges ("mellem 2 og 3 mio. kr.") or the corpus rule. Finding the
expression in running text is the hard part, and that is what the patterns
below do. Every quantifier in them is bounded and every match
starts at a number boundary, so the scan stays linear on hostile input (the
test suite runs a 100 kB pathological string).

Number conventions: "." groups thousands ("1.316.000"), "," is the decimal
comma ("271.697,53"); a "." followed by one or two digits is read as a decimal
point ("ca. 1.4 mio. kr."). Non-breaking or narrow spaces may group thousands;
plain spaces may not, since a plain space between figures is far more often a
table column gap than a separator.
"""

from __future__ import annotations

import re
from decimal import Decimal

from referat_nlp.document import Amount

# magnitude word stems (lower case, as matched by _MAG) -> factor
MAGNITUDES: dict[str, Decimal] = {
    "t": Decimal(1000),
    "tusind": Decimal(1000),
    "mio": Decimal(10) ** 6,
    "mill": Decimal(10) ** 6,
    "million": Decimal(10) ** 6,
    "mia": Decimal(10) ** 9,
    "mrd": Decimal(10) ** 9,
    "milliard": Decimal(10) ** 9,
}

# number words usable before a magnitude ("en halv mio. kr.", "to millioner kroner")
NUMBER_WORDS: dict[str, Decimal] = {
    "en halv": Decimal("0.5"),
    "en kvart": Decimal("0.25"),
    "trekvart": Decimal("0.75"),
    "halvanden": Decimal("1.5"),
    "en": Decimal(1),
    "én": Decimal(1),
    "et": Decimal(1),
    "ét": Decimal(1),
    "to": Decimal(2),
    "tre": Decimal(3),
    "fire": Decimal(4),
    "fem": Decimal(5),
    "seks": Decimal(6),
    "syv": Decimal(7),
    "otte": Decimal(8),
    "ni": Decimal(9),
    "ti": Decimal(10),
    "elleve": Decimal(11),
    "tolv": Decimal(12),
    "femten": Decimal(15),
    "tyve": Decimal(20),
}

# currency marker (lower-case, dots removed) -> ISO code
CURRENCIES: dict[str, str] = {
    "kr": "DKK",
    "krone": "DKK",
    "kroner": "DKK",
    "dkk": "DKK",
    ",-": "DKK",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "usd": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "sek": "SEK",
    "nok": "NOK",
    "chf": "CHF",
}

# whitespace inside an expression: spaces, at most one line break (PDF wrapping)
_WS = r"[^\S\n]{0,20}(?:\n[^\S\n]{0,20})?"
_WS1 = r"(?:[^\S\n]{1,20}(?:\n[^\S\n]{0,20})?|\n[^\S\n]{0,20})"
# a figure: 1.316.000 | 1 316 000 (nbsp) | 1.4 | 2500 ; then an optional decimal comma
_NUM = (
    r"(?:\d{1,3}(?:\.\d{3}){1,6}|\d{1,3}(?:[\u00a0\u202f]\d{3}){1,6}"
    r"|\d{1,15}\.\d{1,2}|\d{1,15})(?:,\d{1,6})?(?![.,]?\d)"
)
_WORDS = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_MAG = (
    r"(?:mio|mill(?:ion(?:er)?)?|mia|mrd|milliard(?:er)?|tusinde?)\b\.?"
    r"|t\b\.?(?=" + _WS + r"kr)|t(?=kr)"
)
_CUR = (
    r"kr\b\.?|kron(?:er|e)\b|dkk\b|€|eur(?:o|os)?\b|usd\b|\$|£|gbp\b|sek\b|nok\b|chf\b"
)
_START = r"(?<![\w.,/])"
_SIGN = r"(?:minus" + _WS1 + r"|÷" + _WS + r"|[-−](?=\d))"

# "1,25 mio. kr." / "2-3 mio. kr." / "mellem 2 og 3 mio. kr." / "15.000,-" /
# "125.000,- kr." / "-250.000 kr." / "en halv mio. kr." / "1.316.000\nkr."
RE_SUFFIX_AMOUNT = re.compile(
    _START
    + rf"""
    (?:(?P<between>mellem){_WS1})?
    (?P<sign>{_SIGN})?
    (?:(?P<word>{_WORDS}){_WS1}(?=(?:{_MAG}))|(?P<num>{_NUM}))
    (?(between)(?:{_WS}(?P<mag1>{_MAG}))?{_WS1}og{_WS1}(?P<num2>{_NUM})
      |(?:{_WS}(?:[-–]|til){_WS}(?P<num2b>{_NUM}))?)
    (?:(?P<dash>,[-–])(?![\d-])(?:{_WS}(?P<cur_after_dash>kr\b\.?))?
      |{_WS}(?:(?P<mag>{_MAG}){_WS})?(?P<cur>{_CUR}))
    """,
    re.IGNORECASE | re.VERBOSE,
)
# "kr. 125.000" / "DKK 3.000.000" / "t.kr. 500" / "€ 40.000" / "kr. 125.000,-"
RE_PREFIX_AMOUNT = re.compile(
    r"(?<![\w.])"
    + rf"""
    (?P<pmag>t\.?{_WS}(?=kr)|t(?=kr))?
    (?P<cur>kr\b\.?|dkk\b|€|eur\b|usd\b|\$|£|gbp\b|sek\b|nok\b|chf\b)
    {_WS}(?P<sign>{_SIGN})?(?P<num>{_NUM})
    (?:(?P<dash>,[-–])(?![\d-])|{_WS}(?P<mag>(?:mio|mill(?:ion(?:er)?)?|mia|mrd)\b\.?))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
# "ca. 2 mio. kr." / "cirka 20.000 kr." / "op mod 100 mia. kr." (text before)
RE_APPROXIMATE = re.compile(
    r"(?:\bca\.?|\bcirka|\bcirca|\bomkring|\bomtrent|\bansl[åa]et|\bsk[øo]nnet"
    r"|\bknap|\bgodt|\bop mod|\bi omegnen af|~)\s{0,3}$",
    re.IGNORECASE,
)
# "… kr. inkl. moms" / "120.000 kr. ekskl.   moms" / "kr. + moms" (text after)
RE_VAT = re.compile(
    r"[^\S\n]{0,5}\(?[^\S\n]{0,3}(?:(?P<inkl>inkl|incl|inklusive?)\b\.?"
    r"|(?P<ekskl>(?:ekskl|excl|eksklusive?|ex|uden)\b\.?|\+))\s{0,40}moms\b",
    re.IGNORECASE,
)
# unit captions "(1.000 kr.)", "(i 1.000 kr.)", "Beløb i 1.000 kr." (text before)
RE_UNIT_CAPTION_BEFORE = re.compile(r"(?:\(|\bi)\s{0,3}$", re.IGNORECASE)
# a currency label that is a column header, "i kr. 2022", "mio. kr. 2021" (before)
RE_LABEL_BEFORE = re.compile(
    r"(?:\bi|\(|\bmio\.?|\bmia\.?|\bmill\.?|\bmrd\.?)\s{0,3}$", re.IGNORECASE
)
# a bare four-digit year after a currency label: "kr. 2021"
RE_YEAR = re.compile(r"(?:19|20)\d\d")


def parse_number(raw: str) -> Decimal:
    """A Danish-formatted figure as a Decimal: "1.316.000" → 1316000, "1,25" → 1.25.

    A dot followed by exactly three digits groups thousands; followed by one or
    two digits it is a decimal point ("1.4").
    """
    raw = raw.replace("\u00a0", "").replace("\u202f", "")
    whole, _, decimals = raw.partition(",")
    if re.fullmatch(r"\d+\.\d{1,2}", whole):
        return Decimal(whole) + (Decimal("0." + decimals) if decimals else 0)
    whole = whole.replace(".", "")
    return Decimal(f"{whole}.{decimals}" if decimals else whole)


def _magnitude(raw: str | None) -> Decimal:
    """The factor of a magnitude word ("mio." → 1e6); 1 when there is none."""
    if not raw:
        return Decimal(1)
    stem = raw.lower().rstrip(".").strip()
    # longest stem first: "millioner" is "million", not "mill"; "tusinde" not "t"
    key = next(
        k for k in sorted(MAGNITUDES, key=len, reverse=True) if stem.startswith(k)
    )
    return MAGNITUDES[key]


def _currency(raw: str | None) -> str:
    """ISO code for a currency marker; "kr."/``None`` (price suffix) → DKK."""
    if not raw:
        return "DKK"
    return CURRENCIES.get(raw.lower().rstrip("."), "DKK")


def _normalise(value: Decimal) -> Decimal:
    """Drop trailing zeros so 2.000.000 and 2 mio. compare and print alike."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


def _first_value(match: re.Match[str]) -> Decimal:
    """The first (or only) figure of a suffix match, before any magnitude."""
    if match.group("word"):
        return NUMBER_WORDS[match.group("word").lower()]
    return parse_number(match.group("num"))


def _suffix_values(match: re.Match[str]) -> tuple[Decimal, Decimal | None]:
    """(lower, upper) of a suffix match; upper is None unless it is a range.

    In a range the shared magnitude scales the lower end only when that keeps
    lower ≤ upper: "2-3 mio. kr." is 2-3 million, but in "500.000-1 mio. kr."
    the lower end is already in kroner.
    """
    factor = _magnitude(match.group("mag"))
    lower = _first_value(match)
    second = match.group("num2") or match.group("num2b")
    if second is None:
        return lower * factor, None
    upper = parse_number(second) * factor
    if match.group("mag1"):
        lower *= _magnitude(match.group("mag1"))
    elif lower * factor <= upper:
        lower *= factor
    return lower, upper


def _suffix_amount(text: str, match: re.Match[str]) -> Amount | None:
    lower, upper = _suffix_values(match)
    currency = _currency(match.group("cur"))
    if _is_unit_caption(text, match, lower, upper):
        return None
    return _build(text, match, currency, lower, upper)


def _prefix_amount(text: str, match: re.Match[str]) -> Amount | None:
    num = match.group("num")
    before = text[max(0, match.start() - 12) : match.start()]
    if RE_LABEL_BEFORE.search(before) or (
        RE_YEAR.fullmatch(num) and not match.group("dash")
    ):
        return None  # "Budget i kr." / "mio. kr. 2021": a column label, not money
    factor = Decimal(1000) if match.group("pmag") else _magnitude(match.group("mag"))
    value = parse_number(num) * factor
    return _build(text, match, _currency(match.group("cur")), value, None)


def _is_unit_caption(
    text: str, match: re.Match[str], lower: Decimal, upper: Decimal | None
) -> bool:
    """True for a table unit caption such as "(1.000 kr.)" or "i 1.000 kr."."""
    if upper is not None or lower not in (1, 1000, 10**6):
        return False
    before = text[max(0, match.start() - 6) : match.start()]
    return bool(RE_UNIT_CAPTION_BEFORE.search(before))


def _build(
    text: str,
    match: re.Match[str],
    currency: str,
    lower: Decimal,
    upper: Decimal | None,
) -> Amount:
    """An Amount for a match (offsets relative to ``text``; shifted by the caller)."""
    if match.group("sign"):
        lower, upper = -lower, (-upper if upper is not None else None)
    lower = _normalise(lower)
    upper = _normalise(upper) if upper is not None else None
    before = text[max(0, match.start() - 20) : match.start()]
    vat = RE_VAT.match(text, match.end(), match.end() + 60)
    return Amount(
        text=match.group(0),
        value_dkk=lower if currency == "DKK" else None,
        start=match.start(),
        end=match.end(),
        currency=currency,
        value=lower,
        value_max=upper,
        approximate=bool(RE_APPROXIMATE.search(before)),
        vat=("inkl" if vat.group("inkl") else "ekskl") if vat else None,
    )


# øre, the hundredth of a krone, as old minutes write it: "325 Kr. 50 Øre" (after a
# krone amount) or alone, "75 Øre pr. Time"
RE_ORE_AFTER = re.compile(r"[^\S\n]{1,3}(?P<ore>\d{1,2})[^\S\n]{1,3}øre\b", re.I)
# a magnitude inside an amount's text ("2 mio. kr.", "500 tkr."): the words of _MAG
RE_MAGNITUDE_WORD = re.compile(rf"(?<![a-zæøå])(?:{_MAG})", re.I)
RE_ORE = re.compile(r"(?<![\w.,])(?P<ore>\d{1,3})[^\S\n]{1,3}øre\b", re.I)


def _with_ore(text: str, amount: Amount) -> Amount:
    """A whole-krone amount followed by "NN Øre" takes the øre into its value."""
    after = RE_ORE_AFTER.match(text, amount.end)
    if after is None or amount.value_dkk is None or amount.value_max is not None:
        return amount
    if RE_MAGNITUDE_WORD.search(amount.text):  # "2 mio. kr." has no øre
        return amount
    if amount.value_dkk != amount.value_dkk.to_integral_value():
        return amount
    value = _normalise(amount.value_dkk + Decimal(after["ore"]) / 100)
    return amount.model_copy(update={
        "text": text[amount.start : after.end()], "end": after.end(),
        "value_dkk": value, "value": value,
    })  # fmt: skip


def _ore_amounts(text: str) -> list[Amount]:
    """Amounts in øre alone: "75 Øre" is 0.75 DKK."""
    amounts = []
    for match in RE_ORE.finditer(text):
        value = _normalise(Decimal(match["ore"]) / 100)
        amounts.append(Amount(
            text=match[0], value_dkk=value, value=value,
            start=match.start(), end=match.end(),
        ))  # fmt: skip
    return amounts


def find(text: str, offset: int = 0) -> tuple[Amount, ...]:
    """Every money expression in ``text``, in text order.

    ``offset`` is added to ``start``/``end`` so that callers can pass an item's
    text and get offsets into the whole document. Where a prefix form
    ("kr. 125.000") and a suffix form overlap, the one that starts first (and
    then the longer one) wins.
    """
    candidates: list[Amount] = []
    for regex, build in (
        (RE_SUFFIX_AMOUNT, _suffix_amount),
        (RE_PREFIX_AMOUNT, _prefix_amount),
    ):
        for match in regex.finditer(text):
            amount = build(text, match)
            if amount is not None:
                candidates.append(_with_ore(text, amount))
    candidates += _ore_amounts(text)
    candidates.sort(key=lambda a: (a.start, -a.end))
    chosen: list[Amount] = []
    for amount in candidates:
        if not chosen or amount.start >= chosen[-1].end:
            chosen.append(amount)
    if not offset:
        return tuple(chosen)
    return tuple(
        a.model_copy(update={"start": a.start + offset, "end": a.end + offset})
        for a in chosen
    )
