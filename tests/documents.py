"""Test documents built by code: DOCX with python-docx, PDF through LibreOffice.

Readers are tested on files made the way real minutes are made (a Word document,
exported to PDF by an office suite), never on hand-edited binaries. The text is
our own invented minutes.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from tools import render

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

HEADER = [
    "Referat",
    "Teknik- og Miljøudvalget",
    "Mødedato: Tirsdag den 8. marts 2022",
    "Mødetidspunkt: 16:00",
    "Mødested: Mødelokale 3, Rådhuset",
    "Deltagere: Anne Holm (A), Bo Krogh (V), Cecilie Dam (F)",
    "Fraværende: Dan Friis (O)",
]
ITEMS = [
    (
        "1",
        "Godkendelse af dagsorden",
        "22/1031",
        [
            ("Indstilling", "Direktøren indstiller, at dagsordenen godkendes."),
            ("Beslutning i Teknik- og Miljøudvalget den 8. marts 2022", "Godkendt."),
        ],
    ),
    (
        "2",
        "Renovering af broen over Vejle Å ved Skovvej",
        "21/20417",
        [
            (
                "Sagsfremstilling",
                "Broen er fra 1962 og trænger til en renovering. "
                "Arbejdet er vurderet til 2,4 mio. kr. ekskl. moms, og der søges om en "
                "anlægsbevilling på 2.400.000 kr.",
            ),
            (
                "Indstilling",
                "Direktøren indstiller, at udvalget anbefaler bevillingen.",
            ),
            (
                "Beslutning i Teknik- og Miljøudvalget den 8. marts 2022",
                "Anbefales over for Økonomiudvalget.",
            ),
        ],
    ),
    (
        "3",
        "Vintertjeneste på private fællesveje",
        "22/2210",
        [
            ("Sagsfremstilling", "Sagen blev behandlet på sidste møde."),
            ("Beslutning i Teknik- og Miljøudvalget den 8. marts 2022", "Udsat."),
        ],
    ),
]


def build_docx(path: Path, layout: str = "styles") -> Path:
    """A referat as Word would hold it: 'styles' (Heading 1/2) or 'bold' runs."""
    document = docx.Document()
    document.sections[0].header.paragraphs[
        0
    ].text = "Teknik- og Miljøudvalget 08-03-2022"
    document.sections[0].footer.paragraphs[0].text = "Side 1"
    for line in HEADER:
        document.add_paragraph(line)
    for number, title, case, sections in ITEMS:
        _heading(document, f"{number}. {title}", 1, layout)
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text = "Sagsnr.:"
        table.rows[0].cells[1].text = case
        for heading, text in sections:
            _heading(document, heading, 2, layout)
            document.add_paragraph(text)
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.save(str(path))
    return path


def _heading(
    document: docx.document.Document, text: str, level: int, layout: str
) -> None:
    if layout == "styles":
        document.add_heading(text, level=level)
        return
    run = document.add_paragraph().add_run(text)
    run.bold = True
    run.font.size = Pt(14 if level == 1 else 11)


def build_pdf(path: Path, layout: str = "styles") -> Path:
    """The DOCX above exported to PDF by LibreOffice, as an ESDH system does."""
    with tempfile.TemporaryDirectory() as tmp:
        source = build_docx(Path(tmp) / f"{path.stem}.docx", layout)
        pdf = render.to_pdf(source, Path(tmp))
        shutil.move(pdf, path)
    return path


def build_encrypted_pdf(path: Path, password: str = "hemmelig") -> Path:
    """A PDF that needs a password to open (LibreOffice's export encryption)."""
    options = (
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        f'"DocumentOpenPassword":{{"type":"string","value":"{password}"}}}}'
    )
    with tempfile.TemporaryDirectory() as tmp:
        source = build_docx(Path(tmp) / f"{path.stem}.docx")
        _soffice(["--convert-to", options, "--outdir", tmp, str(source)], Path(tmp))
        shutil.move(Path(tmp) / f"{path.stem}.pdf", path)
    return path


def build_scanned_pdf(path: Path) -> Path:
    """A 'scanned' page: a PDF holding only a picture of text, no text layer."""
    from PIL import Image, ImageDraw

    with tempfile.TemporaryDirectory() as tmp:
        image = Image.new("RGB", (1200, 400), "white")
        ImageDraw.Draw(image).text(
            (40, 40), "1. Godkendelse af dagsorden", fill="black"
        )
        image.save(Path(tmp) / "scan.png")
        document = docx.Document()
        document.add_picture(str(Path(tmp) / "scan.png"))
        source = Path(tmp) / f"{path.stem}.docx"
        document.save(str(source))
        shutil.move(render.to_pdf(source, Path(tmp)), path)
    return path


def _soffice(args: list[str], profile: Path) -> None:
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{profile}/lo", *args],
        check=True,
        capture_output=True,
        timeout=180,
    )
