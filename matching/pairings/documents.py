"""The printable 结对意向书: HTML (a Django template, fit for a phone and for paper) and PDF (reportlab).

The PDF embeds a subset of WenQuanYi Micro Hei (fonts/wqy-microhei.ttc, Apache-2.0, shipped with the project:
see fonts/README.md), so every viewer draws the same Chinese glyphs — PDFium, pdf.js, Preview, a printer — on a
machine without any CJK font too. (Adobe's STSong-Light, used before, is a name only: a viewer without Adobe's
Asian font pack draws nothing.)
"""
import io
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from django.utils import timezone

from ..models import PairingAgreement

PDF_FONT = "WenQuanYiMicroHei"
PDF_FONT_FILE = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"


def document_number(pairing: PairingAgreement) -> str:
    return pairing.number


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def document_context(pairing: PairingAgreement) -> dict:
    """What the document shows; `pairing` comes from pairings.selectors (related rows loaded)."""
    challenge, enterprise, expert = pairing.challenge, pairing.challenge.enterprise, pairing.expert
    signer = pairing.enterprise_signed_by
    return {
        "number": document_number(pairing),
        "status": pairing.get_status_display(),
        "is_effective": pairing.status in (PairingAgreement.Status.ACTIVE, PairingAgreement.Status.COMPLETED),
        "enterprise": {"name": enterprise.name, "credit_code": enterprise.credit_code,
                       "region": f"{enterprise.get_province_display()} {enterprise.city}"},
        "expert": {"name": expert.name, "employer": expert.employer,
                   "title": expert.professional_title, "region": f"{expert.get_province_display()} {expert.city}"},
        "challenge": {"title": challenge.title, "category": challenge.get_category_display(),
                      "description": challenge.description},
        "message": pairing.message,
        "goals": pairing.goals,
        "deliverables": pairing.deliverables,
        "start_date": pairing.start_date.isoformat() if pairing.start_date else "",
        "end_date": pairing.end_date.isoformat() if pairing.end_date else "",
        "proposed_at": _when(pairing.proposed_at),
        "responded_at": _when(pairing.responded_at),
        "enterprise_signed_at": _when(pairing.enterprise_signed_at),
        "enterprise_signed_by": (signer.get_full_name() or signer.get_username()) if signer else "",
        "expert_signed_at": _when(pairing.expert_signed_at),
        "activated_at": _when(pairing.activated_at),
        # issue 12 §1, §2: the studio that assigned the expert; the paper agreement signed on site
        "studio": pairing.studio.name if pairing.studio_id else "",
        "paper_signed_on": pairing.paper_signed_on.isoformat() if pairing.paper_signed_on else "",
    }


def render_html(pairing: PairingAgreement, *, pdf_url: str = "") -> str:
    """The printable page: a print button (and a link to the PDF when `pdf_url`), phone-sized and paper-sized."""
    return render_to_string("matching/pairing_document.html", {**document_context(pairing), "pdf_url": pdf_url})


@lru_cache(maxsize=1)
def _styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # a TrueType font: reportlab embeds the subset of glyphs each document uses
    pdfmetrics.registerFont(TTFont(PDF_FONT, str(PDF_FONT_FILE), subfontIndex=0))
    base = dict(fontName=PDF_FONT, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", fontSize=20, leading=28, alignment=1, spaceAfter=6, **base),
        "meta": ParagraphStyle("meta", fontSize=9, leading=13, alignment=1, spaceAfter=12, **base),
        "h": ParagraphStyle("h", fontSize=13, leading=20, spaceBefore=10, spaceAfter=4, **base),
        "p": ParagraphStyle("p", fontSize=10.5, leading=17, **base),
    }


def render_pdf(pairing: PairingAgreement) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    ctx = document_context(pairing)
    s = _styles()

    def p(text, style="p"):
        return Paragraph(escape(str(text)).replace("\n", "<br/>"), s[style])

    status = ctx["status"] if ctx["is_effective"] else f"{ctx['status']}（未生效）"
    story = [
        p("结对意向书", "title"),
        p(f"编号 {ctx['number']} · 状态 {status}", "meta"),
        p("一、结对双方", "h"),
        p(f"甲方（企业）：{ctx['enterprise']['name']}"),
        p(f"统一社会信用代码：{ctx['enterprise']['credit_code']}　地区：{ctx['enterprise']['region']}"),
        p(f"乙方（劳模工匠）：{ctx['expert']['name']}"),
        p(f"工作单位：{ctx['expert']['employer']}　{ctx['expert']['title']}　地区：{ctx['expert']['region']}"),
        *([p(f"所属工作室：{ctx['studio']}（经工作室指派承接）")] if ctx["studio"] else []),
        p("二、结对需求", "h"),
        p(f"{ctx['challenge']['title']}（{ctx['challenge']['category']}）"),
        p(ctx["challenge"]["description"]),
        p("三、结对目标", "h"),
        p(ctx["goals"] or "（双方协商确定）"),
        p("四、结对期限", "h"),
        p(f"自 {ctx['start_date'] or '签署之日'} 起至 {ctx['end_date'] or '需求解决之日'} 止。"),
        p("五、预期成果", "h"),
        p(ctx["deliverables"] or "（双方协商确定）"),
        p("六、签署", "h"),
        p(f"甲方签署：{ctx['enterprise_signed_by'] or '—'}　{ctx['enterprise_signed_at'] or '未签署'}"),
        p(f"乙方签署：{ctx['expert']['name'] if ctx['expert_signed_at'] else '—'}　{ctx['expert_signed_at'] or '未签署'}"),
        *([p(f"双方于 {ctx['paper_signed_on']} 在纸质意向书上签署，扫描件存档于联盟秘书处。")]
          if ctx["paper_signed_on"] else []),
        Spacer(1, 6 * mm),
        p(f"发起：{ctx['proposed_at']}　接受：{ctx['responded_at'] or '—'}　生效：{ctx['activated_at'] or '—'}", "meta"),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=20 * mm,
        title=f"结对意向书 {ctx['number']}", author="匠联 Jianglian",
        subject=f"{ctx['enterprise']['name']} / {ctx['expert']['name']}",
    ).build(story)
    return buffer.getvalue()
