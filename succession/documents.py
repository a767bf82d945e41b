"""Succession's documents: each builder takes what a selector returned and gives the file's bytes."""

import io

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from asn.nip import formatted as nip_formatted
from assessment.documents import chain_stamp, tanggal
from talenta.tabular import write_xlsx_sheets

TARGET_COLUMNS = ["unit_kerja", "jabatan", "jenjang", "alasan", "kandidat", "suksesor_disetujui", "bench_strength"]


def coverage_xlsx(*, summary: dict, risk) -> bytes:
    """The coverage page (`selectors.coverage`, `selectors.retirement_risk`): targets, ratios, retirement risk."""
    return write_xlsx_sheets(
        [
            (
                "Target",
                TARGET_COLUMNS,
                [
                    [
                        t.jabatan.unit_kerja.nama,
                        t.jabatan.nama,
                        t.jabatan.jenjang.nama,
                        t.alasan,
                        t.jumlah_kandidat,
                        t.disetujui,
                        t.bench_strength,
                    ]
                    for t in summary["targets"]
                ],
            ),
            (
                "Rasio",
                ["jenjang", "jabatan_target", "talenta", "rasio"],
                [[r["jenjang"], r["target"], r["talenta"], r["rasio"]] for r in summary["rasio"]],
            ),
            (
                "Risiko pensiun",
                ["unit_kerja", "pemangku_manajerial", "pensiun_12_bulan", "pensiun_24_bulan"],
                [[r["jabatan__unit_kerja__nama"], r["pemangku"], r["pensiun_12"], r["pensiun_24"]] for r in risk],
            ),
        ]
    )


DASHBOARD_COLUMNS = [
    "kode", "instansi", "asn", "terpetakan", "persen_terpetakan", "persen_kualitas_data",
    *[f"kotak_{b}" for b in range(1, 10)],
    "krs", "jabatan_target", "persen_cakupan_suksesi", "rencana_selesai", "rencana_terlambat", "persen_kalibrasi",
    "aktivitas_terakhir", "tahap", "tahap_sejak",
]  # fmt: skip


def dashboard_xlsx(*, periode, rows: list[dict], total: dict) -> bytes:
    """The provincial dashboard's rows in the page's order, then the province total."""

    def line(r):
        return [
            r["kode"], r["nama"], r["asn"], r["lengkap"], r["terpetakan_persen"], r["kualitas_persen"], *r["kotak"],
            r["krs"],
            r["target"], r["cakupan_persen"], r["rencana_selesai"], r["rencana_terlambat"], r["kalibrasi_persen"],
            r.get("aktivitas_terakhir"), r.get("tahap_label", ""), r.get("tahap_sejak"),
        ]  # fmt: skip

    return write_xlsx_sheets([(f"Dasbor {periode.tahun}", DASHBOARD_COLUMNS, [line(r) for r in [*rows, total]])])


def sk_ppk_pdf(*, instansi, periode, groups: list[dict], rantai: dict) -> bytes:
    """The draft decree of the PPK on the succession groups (`selectors.sk_ppk_groups`): per jabatan
    target its approved successors with their readiness; `rantai` is the instansi's decision-log head
    (decisions.selectors.chain_head), printed with a QR code so the paper can be checked against the log."""
    styles = getSampleStyleSheet()
    normal = ParagraphStyle("normal", parent=styles["Normal"], fontSize=9.5, leading=12)
    small = ParagraphStyle("small", parent=normal, fontSize=8, leading=10)
    centre = ParagraphStyle("centre", parent=normal, alignment=TA_CENTER)
    kop = ParagraphStyle("kop", parent=centre, fontName="Helvetica-Bold", fontSize=12, leading=15)
    title = ParagraphStyle("title", parent=centre, fontName="Helvetica-Bold", fontSize=11.5, spaceBefore=8)

    story = [
        Paragraph("RANCANGAN", centre),
        Paragraph(f"KEPUTUSAN {instansi.jabatan_ppk.upper()} SELAKU PEJABAT PEMBINA KEPEGAWAIAN", kop),
        Paragraph(instansi.nama_pemerintah.upper(), kop),
        HRFlowable(width="100%", thickness=1.5, color=colors.black, spaceBefore=4, spaceAfter=8),
        Paragraph("TENTANG", centre),
        Paragraph(f"KELOMPOK RENCANA SUKSESI PERIODE {periode.tahun}", title),
        Spacer(1, 5 * mm),
        Paragraph(
            f"Menetapkan kelompok rencana suksesi (talent pool) {instansi.nama_pemerintah} untuk jabatan target "
            f"periode {periode.tahun} (tanggal acuan {tanggal(periode.tanggal_acuan)}), berdasarkan hasil pemetaan "
            "talenta dan nominasi suksesor yang telah disetujui Pejabat Pembina Kepegawaian, sebagaimana "
            "tercantum dalam lampiran keputusan ini.",
            normal,
        ),
        Spacer(1, 4 * mm),
        Paragraph(f"<b>Lampiran: jabatan target dan suksesornya ({len(groups)} jabatan)</b>", normal),
    ]
    if groups:
        rows = [["No", "Jabatan target", "Suksesor", "NIP", "Kesiapan"]]
        spans = []
        for number, group in enumerate(groups, start=1):
            jabatan = group["jabatan"]
            first = len(rows)
            for index, nomination in enumerate(group["suksesor"]):
                pegawai = nomination.pegawai
                rows.append(
                    [
                        str(number) if index == 0 else "",
                        f"{jabatan.nama}<br/>{jabatan.unit_kerja.nama}" if index == 0 else "",
                        f"{pegawai.nama_lengkap}<br/>{pegawai.jabatan.nama}",
                        nip_formatted(pegawai.nip),
                        nomination.kesiapan,
                    ]
                )
            if len(rows) - first > 1:
                spans += [("SPAN", (0, first), (0, len(rows) - 1)), ("SPAN", (1, first), (1, len(rows) - 1))]
        table = Table(
            [[Paragraph(cell, small) for cell in row] for row in rows],
            colWidths=[10 * mm, 52 * mm, 50 * mm, 36 * mm, 26 * mm],
            repeatRows=1,
        )
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    *spans,
                ]
            )
        )
        story.append(table)
    else:
        story.append(Paragraph("Belum ada nominasi suksesor yang disetujui pada periode ini.", normal))

    story += [
        Spacer(1, 8 * mm),
        Table(
            [
                [
                    "",
                    Paragraph(
                        f"Ditetapkan di ....................<br/>pada tanggal {tanggal(timezone.localdate())}<br/><br/>"
                        f"{instansi.jabatan_ppk.upper()}<br/><br/><br/><br/>....................",
                        normal,
                    ),
                ]
            ],
            colWidths=[96 * mm, 78 * mm],
        ),
        Spacer(1, 6 * mm),
        chain_stamp(rantai, small),
    ]

    header = f"Rancangan SK PPK Kelompok Rencana Suksesi {instansi.nama} · periode {periode.tahun}"

    def page_header(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(document.leftMargin, A4[1] - 9 * mm, header)
        canvas.drawRightString(A4[0] - document.rightMargin, 8 * mm, f"Halaman {canvas.getPageNumber()}")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=header,
        author="Talenta",
    )
    document.build(story, onFirstPage=page_header, onLaterPages=page_header)
    return buffer.getvalue()
