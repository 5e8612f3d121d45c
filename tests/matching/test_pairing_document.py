"""The 结对意向书 a person prints (issue 12 §5): what was agreed at the invitation (goals, term, deliverables) on the
printed page and in the PDF; the PDF embeds a subset of the CJK font shipped with the project, so page 1 draws its
Chinese on a machine without any font (checked with poppler's pdffonts and pdftoppm); the print page fits a phone
and has a print button."""
import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from matching.pairings import documents, services
from tests import factories
from tests.gql import run

pytestmark = pytest.mark.django_db

GOALS = "蒸汽单耗降低10%，塔顶回流比优化"
DELIVERABLES = "节能改造方案一份；培训班组长20人"
POPPLER = shutil.which("pdffonts") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdffonts, pdftoppm) is not installed")
# PDF viewers must provide these 14 fonts themselves; any other font must travel inside the file
STANDARD_14 = {"Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman",
               "Times-Bold", "Times-Italic", "Times-BoldItalic", "Courier", "Courier-Bold", "Courier-Oblique",
               "Courier-BoldOblique", "Symbol", "ZapfDingbats"}


@pytest.fixture
def agreement():
    """An agreement both sides signed, proposed with its goals, term and deliverables."""
    parties = factories.make_pairing_parties(name="谭帅")
    pairing = services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge,
                                       expert=parties.expert, goals=GOALS, deliverables=DELIVERABLES,
                                       start_date=dt.date(2027, 1, 4), end_date=dt.date(2027, 6, 30))
    services.pairing_accept(user=parties.expert_user, pairing=pairing)
    services.pairing_sign(user=parties.expert_user, pairing=pairing)
    services.pairing_sign(user=parties.enterprise_user, pairing=pairing)
    pairing.parties = parties
    return pairing


def pdf_of(pairing, tmp_path):
    path = tmp_path / "agreement.pdf"
    path.write_bytes(documents.render_pdf(documents_pairing(pairing)))
    return path


def documents_pairing(pairing):
    from matching.pairings.selectors import pairing_list

    return pairing_list(user=pairing.parties.enterprise_user).get(pk=pairing.pk)


def dark_pixels(pdf_path, tmp_path, *, rows=None) -> int:
    """Page 1 rendered by pdftoppm (50 dpi, grey) with no font at all on the machine (an empty fontconfig), and the
    number of dark pixels, in `rows` (a range of pixel rows) or on the whole page."""
    (tmp_path / "fonts.conf").write_text(
        f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>')
    env = {"PATH": "/usr/bin:/bin", "FONTCONFIG_FILE": str(tmp_path / "fonts.conf")}
    out = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "50", "-gray", "-f", "1", "-l", "1", str(pdf_path), str(out)], env=env,
                   check=True, capture_output=True, timeout=60)
    data = (tmp_path / "page-1.pgm").read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    width = int(header.group(1))
    pixels = data[header.end():]
    if rows is not None:
        pixels = pixels[rows.start * width:rows.stop * width]
    return sum(1 for value in pixels if value < 128)


# --- what was agreed ---------------------------------------------------------------------------------------------


def test_the_pdf_says_the_goals_the_term_and_the_deliverables(agreement, tmp_path):
    text = "".join(page.extract_text() for page in PdfReader(pdf_of(agreement, tmp_path)).pages)
    for expected in ("结对意向书", GOALS, "2027-01-04", "2027-06-30", "五、预期成果", DELIVERABLES, "谭帅"):
        assert expected in text.replace("\n", ""), expected


def test_the_print_page_says_them_too_fits_a_phone_and_has_a_print_button(agreement, client):
    client.force_login(agreement.parties.expert_user)
    html = client.get(reverse("web:pairing_print", args=[agreement.pk])).content.decode()
    for expected in (GOALS, DELIVERABLES, "2027-01-04", "2027-06-30"):
        assert expected in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert not re.search(r"(min-)?width:\s*9[0-9]{2}px", html)  # no desktop-wide layout
    assert 'id="print-agreement"' in html and "window.print()" in html
    assert reverse("web:pairing_pdf", args=[agreement.pk]) in html


def test_rest_and_graphql_take_and_show_the_deliverables(token_client_for):
    parties = factories.make_pairing_parties()
    client = token_client_for(parties.enterprise_user)
    response = client.post("/api/v1/pairings/", {
        "challenge": parties.challenge.pk, "expert": parties.expert.pk, "goals": GOALS,
        "deliverables": DELIVERABLES, "start_date": "2027-01-04", "end_date": "2027-06-30"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["deliverables"] == DELIVERABLES
    other = factories.make_pairing_parties()
    from graphql_relay import to_global_id

    data = run("""mutation($c: ID!, $e: ID!) { proposePairing(challenge: $c, expert: $e, deliverables: "方案一份",
                  goals: "降耗") { pairing { goals deliverables } } }""",
               {"c": to_global_id("Challenge", other.challenge.pk), "e": to_global_id("Expert", other.expert.pk)},
               user=other.enterprise_user).ok()
    assert data["proposePairing"]["pairing"] == {"goals": "降耗", "deliverables": "方案一份"}


# --- the font --------------------------------------------------------------------------------------------------


@needs_poppler
def test_the_pdf_embeds_a_subset_of_the_shipped_cjk_font(agreement, tmp_path):
    path = pdf_of(agreement, tmp_path)
    listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    fonts = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    # name, type…, encoding, emb, sub, uni, object, generation
    cjk = [f for f in fonts if "WenQuanYiMicroHei" in f[0]]
    assert cjk and all(f[-5] == "yes" and f[-4] == "yes" for f in cjk), listing  # embedded, as a subset
    assert re.match(r"[A-Z]{6}\+", cjk[0][0])  # a subset's tag
    assert all(f[-5] == "yes" for f in fonts if f[0] not in STANDARD_14), listing
    assert path.stat().st_size < 300_000  # a subset, not the 5 MB font


@needs_poppler
def test_page_one_draws_its_chinese_on_a_machine_without_any_font(agreement, tmp_path):
    path = pdf_of(agreement, tmp_path)
    title = range(30, 75)  # the pixel rows of the title 结对意向书 at 50 dpi (20 mm margin, 20 pt type)
    assert dark_pixels(path, tmp_path, rows=title) > 100
    assert dark_pixels(path, tmp_path) > 2000  # the page is not blank

    # the control: the way it was (Adobe's STSong-Light, a name only) draws nothing there on such a machine
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    control = tmp_path / "control.pdf"
    page = canvas.Canvas(str(control))
    page.setFont("STSong-Light", 20)
    page.drawCentredString(297, 780, "结对意向书")
    page.save()
    assert dark_pixels(control, tmp_path, rows=title) == 0


def test_the_font_ships_with_its_licence():
    fonts = documents.PDF_FONT_FILE.parent
    assert documents.PDF_FONT_FILE.is_file() and documents.PDF_FONT_FILE.stat().st_size > 4_000_000
    assert "Apache License" in (fonts / "LICENSE-Apache-2.0").read_text()
    assert "WenQuanYi Micro Hei" in (fonts / "README.md").read_text()
