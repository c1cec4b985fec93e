"""Regenerate tests/data/docs/project_sheet.pdf, a two-page project sheet with a text layer.

    .venv/bin/python scripts/make_test_pdf.py             # sheet + the two bad PDFs, in place
    .venv/bin/python scripts/make_test_pdf.py OUTPUT.pdf  # the sheet only, elsewhere

Dev-only: needs fpdf2 (`pip install fpdf2`) and the DejaVu TrueType fonts
(Debian package fonts-dejavu-core, /usr/share/fonts/truetype/dejavu/), so that č ć š ž đ render.
The text is the project's own fictional example (see tests/data/gold/project_sheet.gold.json).

Page 1: a Bosnian project sheet, one column, labelled fields.
Page 2: an English project sheet in two columns (text flows from the left column into the right one),
so that text extraction has to keep the reading order. Both pages carry a running header and footer.
The output is reproducible: fixed creation date, no random file id.

It also writes two bad inputs next to the other ones in tests/data/bad/: `corrupt.pdf` (the first 300 bytes
of the sheet: a PDF cut short) and `encrypted.pdf` (one page, opens only with the user password `aidatlas`).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "data" / "docs" / "project_sheet.pdf"
BAD_DIR = ROOT / "tests" / "data" / "bad"
CORRUPT_BYTES = 300
USER_PASSWORD = "aidatlas"
HEADER = "Green Municipalities Western Balkans (GMWB) · Primjeri projekata / Project examples 2023"
FOOTER = "GMWB is funded by Sweden through Sida and managed by UNDP"

# ---------------------------------------------------------------- page 1: Bosnian, one column
PAGE1_TITLE = "PROJEKAT 1 – BOSNA I HERCEGOVINA"
PAGE1_FIELDS: list[tuple[str, str]] = [
    ("Naziv projekta", "Energetski efikasna javna rasvjeta u Gradačcu, Srebreniku i Gračanici"),
    ("Donator", "Vlada Švedske putem Švedske agencije za međunarodnu razvojnu saradnju (Sida)"),
    (
        "Program",
        "Green Municipalities Western Balkans (GMWB), koji provodi Razvojni program "
        "Ujedinjenih nacija (UNDP)",
    ),
    ("Aplikant", "Grad Gradačac"),
    ("Partneri", "Općina Srebrenik, Grad Gračanica, Udruženje „Eko-Zeleni“ Gradačac (UEZ)"),
    (
        "Budžet projekta",
        "185.400,00 EUR (oko 362.600 KM), od čega Sida kroz program GMWB finansira "
        "80,00%, a ostatak sufinansiraju lokalne zajednice.",
    ),
    ("Trajanje projekta", "januar/siječanj 2022. – mart/ožujak 2024."),
    ("Lokacija", "Gradačac, Srebrenik i Gračanica, Tuzlanski kanton"),
]
PAGE1_DESCRIPTION = (
    "Javna rasvjeta u tri susjedne lokalne zajednice Tuzlanskog kantona zastarjela je i troši gotovo "
    "trećinu budžeta za električnu energiju. Većina svjetiljki su živine i natrijeve sijalice starije od "
    "25 godina, a mnoge ulice u prigradskim naseljima noću su neosvijetljene. Projekat uvodi zajednički "
    "sistem upravljanja javnom rasvjetom i pokazuje kako se uštede mogu ponovo uložiti u zelene mjere."
)
PAGE1_OBJECTIVES = [
    "Smanjiti potrošnju električne energije i emisije CO2 iz javne rasvjete u tri lokalne zajednice;",
    "Ojačati kapacitete općinskih službi za planiranje i praćenje mjera energetske efikasnosti.",
]
PAGE1_ACTIVITIES = [
    "Izrada energetskog pregleda javne rasvjete u Gradačcu, Srebreniku i Gračanici;",
    "Zamjena 1.450 starih svjetiljki LED rasvjetom s daljinskim upravljanjem;",
    "Obuka općinskih službenika o energetskom menadžmentu i zelenim javnim nabavkama;",
    "Javna kampanja „Svjetlo koje štedi“ u osnovnim školama.",
]
PAGE1_TARGETS = [
    "oko 95.000 stanovnika triju lokalnih zajednica;",
    "30 općinskih službenika zaduženih za energetiku i komunalne poslove.",
]
PAGE1_RESULTS = [
    "Potrošnja električne energije za javnu rasvjetu smanjena za najmanje 55%;",
    "Uspostavljen zajednički informacioni sistem za praćenje potrošnje energije.",
]

# ---------------------------------------------------------------- page 2: English, two columns
PAGE2_TITLE = "PROJECT 2 – MONTENEGRO"
PAGE2_NAME = "Clean Lim: Wastewater Pre-treatment for Berane and Andrijevica"
PAGE2_FIELDS: list[tuple[str, str]] = [
    ("Donor", "Sweden, through the Swedish International Development Cooperation Agency (Sida)"),
    (
        "Programme",
        "Green Municipalities Western Balkans (GMWB), managed by the United Nations "
        "Development Programme (UNDP)",
    ),
    ("Applicant", "Municipality of Berane"),
    (
        "Partners",
        "Municipality of Andrijevica; Public Utility Company “Vodovod i kanalizacija” Berane "
        "(PUC ViK Berane); NGO Eko Lim, Berane",
    ),
    ("Budget", "EUR 212,750.00, of which Sida finances 75.00% and the Municipality of Berane 25.00%."),
    ("Duration", "01.09.2022. – 31.08.2024."),
    ("Location", "Berane and Andrijevica, upper Lim river basin, Montenegro"),
]
PAGE2_BACKGROUND = (
    "The Lim river flows from Plav through Andrijevica and Berane towards Bijelo Polje and Serbia. "
    "Untreated wastewater from households and small food processors in Berane and Andrijevica is "
    "discharged directly into the river, and in the dry summer months the water quality downstream falls "
    "below the national standard for bathing. The two municipalities share a design for a regional "
    "treatment plant, but its construction will take years. The project therefore finances quick, "
    "low-cost pre-treatment measures and prepares the utilities to operate the future plant."
)
PAGE2_OBJECTIVES = [
    "Overall objective: To improve the water quality of the Lim river and the health of the people "
    "living along it.",
    "Specific objective 1: To reduce the pollution load discharged into the Lim from Berane and Andrijevica;",
    "Specific objective 2: To strengthen the capacities of the local utility companies to manage wastewater;",
    "Specific objective 3: To raise public awareness of river protection.",
]
PAGE2_ACTIVITIES = [
    "Installation of grease and sludge separators at 25 small food processors;",
    "Construction of a pre-treatment unit at the main sewage outlet in Berane;",
    "Water quality monitoring at six points along the Lim, with results published monthly;",
    "Training of utility staff in operating and maintaining treatment equipment;",
    "Clean-up actions and eco-camps with pupils from schools in Berane and Andrijevica.",
]
PAGE2_TARGETS = [
    "about 11,000 residents connected to the sewage networks of Berane and Andrijevica;",
    "40 staff members of the two utility companies;",
    "3 primary schools and their pupils.",
]
PAGE2_RESULTS = [
    "Organic pollution discharged from the main outlet in Berane reduced by 40%;",
    "A joint monitoring system for the Lim run by the two municipalities.",
]


class SheetPDF(FPDF):
    def header(self) -> None:
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, HEADER, align="L", new_x="LMARGIN", new_y="NEXT")
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, f"{FOOTER} · {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _fonts(pdf: FPDF) -> None:
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))


def _label(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font("DejaVu", "B", 10)
    pdf.write(5.5, f"{label}: ")
    pdf.set_font("DejaVu", "", 10)
    pdf.write(5.5, value)
    pdf.ln(7)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")


def _bullets(pdf: FPDF, items: list[str], numbered: bool = False) -> None:
    pdf.set_font("DejaVu", "", 10)
    for i, item in enumerate(items, 1):
        mark = f"{i}." if numbered else "•"
        pdf.set_x(pdf.l_margin + 4)
        pdf.multi_cell(0, 5.5, f"{mark} {item}", new_x="LMARGIN", new_y="NEXT")


def page_one(pdf: FPDF) -> None:
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 9, PAGE1_TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for label, value in PAGE1_FIELDS:
        _label(pdf, label, value)
    _heading(pdf, "Opis projekta:")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5.5, PAGE1_DESCRIPTION, align="J", new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, "Ciljevi projekta:")
    _bullets(pdf, PAGE1_OBJECTIVES, numbered=True)
    _heading(pdf, "Aktivnosti:")
    _bullets(pdf, PAGE1_ACTIVITIES)
    _heading(pdf, "Ciljne grupe:")
    _bullets(pdf, PAGE1_TARGETS)
    _heading(pdf, "Očekivani rezultati:")
    _bullets(pdf, PAGE1_RESULTS)


def page_two(pdf: FPDF) -> None:
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 9, PAGE2_TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 7, PAGE2_NAME, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    with pdf.text_columns(ncols=2, gutter=8, text_align="L", line_height=1.25) as cols:

        def para(label: str | None, text: str) -> None:
            with cols.paragraph(bottom_margin=2) as par:
                if label:
                    pdf.set_font("DejaVu", "B", 9.5)
                    par.write(label)
                pdf.set_font("DejaVu", "", 9.5)
                par.write(text)

        def heading(text: str) -> None:
            with cols.paragraph(top_margin=2, bottom_margin=1) as par:
                pdf.set_font("DejaVu", "B", 10.5)
                par.write(text)

        for label, value in PAGE2_FIELDS:
            para(f"{label}: ", value)
        heading("Background")
        para(None, PAGE2_BACKGROUND)
        heading("Objectives")
        for item in PAGE2_OBJECTIVES:
            para(None, item)
        heading("Main activities")
        for item in PAGE2_ACTIVITIES:
            para(None, f"• {item}")
        heading("Target groups")
        for item in PAGE2_TARGETS:
            para(None, f"• {item}")
        heading("Expected results")
        for item in PAGE2_RESULTS:
            para(None, f"• {item}")


def build(out: Path) -> None:
    pdf = SheetPDF(format="A4")
    _fonts(pdf)
    pdf.set_title("GMWB – Primjeri projekata / Project examples 2023")
    pdf.set_author("aidatlas test data (fictional)")
    pdf.set_lang("bs")
    pdf.set_creation_date(datetime(2023, 11, 20, 9, 0, 0, tzinfo=UTC))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 14, 18)
    page_one(pdf)
    page_two(pdf)
    if pdf.page_no() != 2:
        raise SystemExit(f"expected 2 pages, got {pdf.page_no()}: shorten the text")
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))


def build_bad(sheet: Path, bad_dir: Path) -> list[Path]:
    """corrupt.pdf (a truncated copy of the sheet) and encrypted.pdf (password-protected)."""
    bad_dir.mkdir(parents=True, exist_ok=True)
    corrupt = bad_dir / "corrupt.pdf"
    corrupt.write_bytes(sheet.read_bytes()[:CORRUPT_BYTES])
    pdf = FPDF(format="A4")
    _fonts(pdf)
    pdf.set_creation_date(datetime(2023, 11, 20, 9, 0, 0, tzinfo=UTC))
    pdf.set_encryption(owner_password="owner-" + USER_PASSWORD, user_password=USER_PASSWORD)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 9, "Povjerljivo – interni izvještaj", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(
        0,
        5.5,
        "Naziv projekta: Zaštićeni dokument. Budžet projekta: 10.000,00 EUR. "
        "This page can be read only with the user password.",
    )
    encrypted = bad_dir / "encrypted.pdf"
    pdf.output(str(encrypted))
    return [corrupt, encrypted]


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    build(out)
    print(f"wrote {out} ({out.stat().st_size} bytes)")
    if len(argv) == 1:
        for path in build_bad(out, BAD_DIR):
            print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
