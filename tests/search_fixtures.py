"""Referater for the search tests, built in code (the parser is not needed).

Written for these tests in the phrasings real minutes use; they cover several
municipalities, bodies and years, every decision label that matters for filters,
amounts, case numbers, attachments with text, a bilag that no item lists (a
meeting-level attachment whose words no item has: "fjernvarme"), inflected forms,
compounds, hyphenated compounds and the old "aa" spelling (Aabenraa, Aabybro).

Each item gets a stable key ``"<referat key>/<item number>"`` (see :func:`key_of`)
so relevance tests can name the items they expect.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from referat_nlp.document import (
    Amount,
    Attachment,
    Decision,
    DecisionLabel,
    Item,
    Meeting,
    Referat,
    Section,
    Source,
)


@dataclass(frozen=True)
class ItemSpec:
    number: str
    title: str
    sections: tuple[
        tuple[str, str], ...
    ]  # (heading, text); "Beslutning" is the decision
    label: DecisionLabel | None = None
    amounts: tuple[tuple[str, str], ...] = ()  # (text as printed, DKK value)
    cases: tuple[str, ...] = ()
    attachments: tuple[tuple[str, str], ...] = ()  # (title, text)
    page: int = 1
    open: bool | None = True


@dataclass(frozen=True)
class ReferatSpec:
    key: str
    municipality: str
    body: str
    date: str
    items: tuple[ItemSpec, ...]
    path: str = field(default="")
    bilag: tuple[tuple[str, str, str], ...] = ()  # no item lists: (title, file, text)


def build(spec: ReferatSpec) -> Referat:
    """A valid Referat whose offsets point into its own text."""
    text, items = "", []
    for item in spec.items:
        start = len(text)
        text += f"{item.number}. {item.title}\n"
        sections = []
        for heading, body in item.sections:
            text += heading + "\n"
            s_start = len(text)
            text += body + "\n\n"
            sections.append(
                Section(
                    heading=heading,
                    kind=heading.split()[0],
                    text=body,
                    start=s_start,
                    end=s_start + len(body),
                )
            )
        items.append(_item(item, tuple(sections), text, start))
    path = spec.path or f"{spec.key}.pdf"
    source = Source(
        path=path,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        format="pdf",
        pages=max(i.page for i in spec.items) + 1,
    )
    meeting = Meeting(
        municipality=spec.municipality,
        body=spec.body,
        date=spec.date,
        start_time="16:00",
        location="Mødelokale 1",
        participants=("Anne Holm", "Jens Kragh"),
    )
    bilag = tuple(
        Attachment(
            title=title, file=file, sha256=hashlib.sha256(body.encode()).hexdigest(),
            text=body,
        )
        for title, file, body in spec.bilag
    )  # fmt: skip
    return Referat(
        source=source, meeting=meeting, items=tuple(items), attachments=bilag,
        text=text,
    )  # fmt: skip


def _item(spec: ItemSpec, sections: tuple[Section, ...], text: str, start: int) -> Item:
    decision = None
    found = next((s for s in sections if s.kind == "Beslutning"), None)
    if found is not None:
        decision = Decision(
            text=found.text,
            label=spec.label,
            confidence=0.9,
            method="rule",
            start=found.start,
            end=found.end,
        )
    amounts = []
    for printed, value in spec.amounts:
        at = text.index(printed, start)
        amounts.append(
            Amount(
                text=printed,
                value_dkk=Decimal(value),
                value=Decimal(value),
                start=at,
                end=at + len(printed),
            )
        )
    return Item(
        number=spec.number,
        title=spec.title,
        case_numbers=spec.cases,
        open=spec.open,
        sections=sections,
        decision=decision,
        amounts=tuple(amounts),
        attachments=tuple(
            Attachment(title=t, file=f"bilag-{n}.pdf", text=body)
            for n, (t, body) in enumerate(spec.attachments, 1)
        ),
        pages=(spec.page, spec.page + 1),
        start=start,
        end=len(text),
    )


def key_of(municipality: str | None, date: str | None, number: str) -> str:
    """The item key used in tests: ``"<referat key>/<number>"``."""
    for spec in SPECS:
        if spec.municipality == municipality and spec.date == date:
            return f"{spec.key}/{number}"
    raise KeyError((municipality, date, number))


def referater() -> list[Referat]:
    return [build(spec) for spec in SPECS]


@pytest.fixture
def json_folder(tmp_path: Path) -> Path:
    """A temporary folder whose ``json/`` holds the fixture referater as JSON."""
    write_json(tmp_path / "json")
    return tmp_path


def write_json(folder: Path, docs: list[Referat] | None = None) -> list[Path]:
    """Write each referat as ``<folder>/<n>.json``, as ``referat-nlp parse`` would."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, doc in enumerate(docs if docs is not None else referater()):
        path = folder / f"{n:03d}.json"
        path.write_text(doc.to_json(), encoding="utf-8")
        paths.append(path)
    return paths


PG_ENV = "REFERAT_TEST_PG"
PG_SKIP = f"{PG_ENV} is not set (CI sets it from .ci/postgres.sh)"


def pg_dsn(schema: str) -> str | None:
    """A DSN for the test server whose tables live in their own, emptied
    ``schema``, so test modules cannot see each other's rows; None without a server.
    """
    base = os.environ.get(PG_ENV)
    if not base:
        return None
    import psycopg

    if not re.fullmatch(r"[a-z_]+", schema):
        raise ValueError(schema)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema}"


B, S, R = "Beslutning", "Sagsfremstilling", "Indstilling"
L = DecisionLabel

SPECS: tuple[ReferatSpec, ...] = (
    ReferatSpec("aabenraa-oeu-2012", "Aabenraa", "Økonomiudvalget", "2012-03-14", (
        ItemSpec("1", "Godkendelse af dagsorden", ((B, "Godkendt."),), L.APPROVED),
        ItemSpec("2", "Fælleskommunale indkøbsaftaler 2012-2014", (
            (S, "Kommunen deltager i de fælleskommunale indkøbsaftaler på "
                "kontorartikler, rengøringsmidler og fødevarer. Aftalerne forventes at "
                "give en besparelse på 2,4 mio. kr. årligt."),
            (R, "Administrationen indstiller, at kommunen tilslutter sig aftalerne."),
            (B, "Indstillingen godkendt."),
        ), L.APPROVED, amounts=(("2,4 mio. kr.", "2400000"),), cases=("12/4471",),
            attachments=(("Oversigt over aftaler", "Aftalerne omfatter 14 firmaer."),),
            page=2),
        ItemSpec("3", "Anlægsbevilling til renovering af Aabenraa Svømmehal", (
            (S, "Svømmehallens tag og ventilationsanlæg er nedslidt. Renoveringen er "
                "beregnet til 18.500.000 kr. ekskl. moms."),
            (B, "Anbefales over for byrådet."),
        ), L.RECOMMENDED, amounts=(("18.500.000 kr.", "18500000"),), cases=("12/1932",),
            page=3),
        ItemSpec("4", "Orientering om økonomisk status", (
            (S, "Forvaltningen orienterer om forbruget i første kvartal."),
            (B, "Taget til efterretning."),
        ), L.NOTED, page=4),
        ItemSpec("5", "Salg af grund i erhvervsområde", (), None, open=False, page=5),
    )),
    ReferatSpec("aalborg-byraad-2009", "Aalborg", "Byrådet", "2009-11-23", (
        ItemSpec("1", "Budget 2010 - 2. behandling", (
            (S, "Budgettet balancerer med et samlet driftsbudget på 4,2 mia. kr."),
            (B, "Budgettet blev vedtaget med 25 stemmer mod 6."),
        ), L.APPROVED, amounts=(("4,2 mia. kr.", "4200000000"),), cases=("09/3310",)),
        ItemSpec("2", "Skolestruktur i Aalborg Øst", (
            (S, "Forslaget samler tre skoler på to matrikler."),
            (B, "Punktet udsættes til næste møde."),
        ), L.POSTPONED, page=2),
        ItemSpec("3", "Ny aftale om kontorartikler", (
            (S, "Den nuværende indkøbsaftale udløber. Forvaltningen har gennemført et "
                "udbud, og tilbuddet fra leverandøren er på 650.000 kr. om året."),
            (B, "Byrådet godkendte indstillingen."),
        ), L.APPROVED, amounts=(("650.000 kr.", "650000"),), page=3),
        ItemSpec("4", "Navngivning af vej i Aabybro", (
            (S, "Den nye boligvej ved Aabybro Skole foreslås navngivet Lærkevej."),
            (B, "Godkendt."),
        ), L.APPROVED, page=4),
    )),
    ReferatSpec("faxe-tmu-2019", "Faxe", "Teknik- og Miljøudvalget", "2019-06-26", (
        ItemSpec("1", "Etablering af el-ladestandere ved rådhuset", (
            (S, "Der foreslås opsat seks el-ladestandere på rådhusets parkeringsplads "
                "til en samlet pris af 350.000 kr."),
            (B, "Godkendt."),
        ), L.APPROVED, amounts=(("350.000 kr.", "350000"),), cases=("19/8812",)),
        ItemSpec("2", "Affaldssortering i sommerhusområder", (
            (S, "Affaldssorteringen i sommerhusområderne følger den nye regulativ. "
                "Erfaringerne fra første sæson forelægges."),
            (B, "Orienteringen blev taget til efterretning."),
        ), L.NOTED, page=2),
        ItemSpec("3", "Vejbelysning - udskiftning til LED", (
            (S, "Udskiftningen af 2.100 gadelamper koster 1,2 mio. kr. og sparer "
                "strøm."),
            (B, "Udvalget anbefaler forslaget over for økonomiudvalget."),
        ), L.RECOMMENDED, amounts=(("1,2 mio. kr.", "1200000"),), cases=("19/9020",),
            page=3),
        ItemSpec("4", "Ansøgning om dispensation for vindmølle", (
            (S, "Ansøgeren ønsker at opsætte en husstandsvindmølle nær naboskel."),
            (B, "Ikke godkendt."),
        ), L.REJECTED, page=4),
    ), bilag=(("Varmeplan", "Varmeplan.pdf",
               "Varmeplanen beskriver omstillingen fra naturgas til fjernvarme i "
               "Haslev og Karise. Fjernvarmeværket forventer at tilslutte 1.200 "
               "boliger inden 2023."),)),
    ReferatSpec("middelfart-aeldre-2015", "Middelfart", "Ældrerådet", "2015-03-19", (
        ItemSpec("1", "Godkendelse af referat", ((B, "Referatet blev godkendt."),),
                 L.APPROVED),
        ItemSpec("2", "Madservice til hjemmeboende ældre", (
            (B, "Rådet drøftede kvaliteten af madservicen og ønsker en "
                "brugerundersøgelse."),
        ), L.DISCUSSED),
        ItemSpec("3", "Siden sidst", ((B, "Formanden orienterede om dialogmødet."),),
                 L.OTHER, page=2),
    )),
    ReferatSpec("htk-direktion-2020", "Høje-Taastrup", "Direktionen", "2020-09-28", (
        ItemSpec("1", "Ny indkøbspolitik", (
            (S, "Udkast til indkøbspolitik med krav om bæredygtighed. Implementeringen "
                "koster 75.000 kr."),
            (B, "Direktionen godkendte indstillingen."),
        ), L.APPROVED, amounts=(("75.000 kr.", "75000"),), cases=("18/18284",)),
        ItemSpec("2", "Status på COVID-19-situationen", (
            (S, "Smittetallet i kommunen er faldende."),
            (B, "Taget til efterretning."),
        ), L.NOTED, cases=("20/11002",), page=2),
        ItemSpec("3", "Retningslinjer for hjemmearbejde", (
            (S, "Retningslinjerne skal behandles i hovedudvalget."),
            (B, "Sagen oversendes til Hoved-MED."),
        ), L.FORWARDED, page=3),
    )),
    ReferatSpec("broenderslev-bsu-2021", "Brønderslev", "Børne- og Skoleudvalget",
                "2021-11-30", (
        ItemSpec("1", "Kvalitetsrapport for skolerne 2020/21", (
            (S, "Kvalitetsrapporten viser stigende trivsel på skolerne."),
            (B, "Godkendt."),
        ), L.APPROVED),
        ItemSpec("2", "Skolebuskørsel fra næste skoleår", (
            (S, "Skolebusserne kører fremover to ekstra ture. Merudgiften er "
                "420.000 kr."),
            (B, "Udvalget godkendte ordningen."),
        ), L.APPROVED, amounts=(("420.000 kr.", "420000"),), page=2),
        ItemSpec("3", "Renovering af Daginstitution Aabakken", (
            (S, "Daginstitutionens legeplads og køkken renoveres for 4.500.000 kr."),
            (B, "Anbefales."),
        ), L.RECOMMENDED, amounts=(("4.500.000 kr.", "4500000"),), cases=("21/30541",),
            attachments=(("Tegninger af legepladsen",
                          "Legepladsen får nye klatrestativer og faldunderlag."),),
            page=3),
    )),
    ReferatSpec("aabenraa-byraad-2012", "Aabenraa", "Byrådet", "2012-04-25", (
        ItemSpec("1", "Anlægsbevilling til renovering af Aabenraa Svømmehal", (
            (S, "Økonomiudvalget har anbefalet en anlægsbevilling på 18.500.000 kr."),
            (B, "Godkendt."),
        ), L.APPROVED, amounts=(("18.500.000 kr.", "18500000"),), cases=("12/1932",)),
        ItemSpec("2", "Spørgetid", ((B, "Ingen."),), L.OTHER),
    )),
    ReferatSpec("roedovre-senior-2023", "Rødovre", "Seniorrådet", "2023-11-30", (
        ItemSpec("1", "Høring om boligplacering af ældre", (
            (S, "Seniorrådet er blevet hørt om de nye regler for boligplacering."),
            (B, "Rådet kan tiltræde høringssvaret."),
        ), L.APPROVED),
        ItemSpec("2", "Trafiksikkerhed ved plejecentret", (
            (B, "Punktet blev udskudt til januar."),
        ), L.POSTPONED),
    )),
)  # fmt: skip
