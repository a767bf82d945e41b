"""Assessment's documents: the talent map and talent pool workbooks, and the Berita Acara of a
finalised talent-review meeting (a PDF with reportlab, and an Excel annex).

Each builder takes what a selector returned and gives the file's bytes; the views only select,
call one of these and return the response.
"""

import io

from django.utils import timezone
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from asn.nip import formatted as nip_formatted
from talenta.tabular import format_score, write_xlsx, write_xlsx_sheets

ANNEX_COLUMNS = [
    "no",
    "nip",
    "nama",
    "jabatan",
    "kotak_hitung",
    "kotak_sebelumnya",
    "kotak_baru",
    "justifikasi",
    "oleh",
    "waktu",
]

MAP_COLUMNS = [
    "nip",
    "nama",
    "unit_kerja",
    "jenjang",
    "kotak",
    "skor_kinerja",
    "skor_potensial",
    "jpm",
    "krs",
    "alasan",
]
POOL_COLUMNS = ["nip", "nama", "jabatan", "jenjang", "kotak", "skor_kinerja", "skor_potensial", "jpm_berikutnya"]

_BULAN = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


def _tanggal(day) -> str:
    return f"{day.day} {_BULAN[day.month - 1]} {day.year}"


def _moves(rapat):
    return list(rapat.kalibrasi.select_related("penempatan__pegawai__jabatan", "oleh").order_by("waktu", "id"))


def talent_map_xlsx(*, grid: dict, placements) -> bytes:
    """The map page as a workbook: the count per box (`selectors.talent_map`), then the placements listed."""
    counts = [[cell["kotak"], cell["nama"], cell["jumlah"], cell["persen"]] for row in grid["grid"] for cell in row]
    counts.append(["", "Data tidak lengkap", grid["tidak_lengkap"], ""])
    rows = [
        [
            p.pegawai.nip,
            p.pegawai.nama,
            p.pegawai.jabatan.unit_kerja.nama,
            p.jenjang.nama,
            "" if p.kotak is None else p.kotak,
            format_score(p.skor_kinerja),
            format_score(p.skor_potensial),
            format_score(p.jpm),
            "ya" if p.krs else "tidak",
            p.alasan,
        ]
        for p in placements.select_related("pegawai__jabatan__unit_kerja", "jenjang").order_by(
            "kotak", "pegawai__nama", "pegawai__nip"
        )
    ]
    return write_xlsx_sheets(
        [("Peta", ["kotak", "nama_kotak", "jumlah", "persen"], counts), ("Daftar", MAP_COLUMNS, rows)]
    )


def talent_pool_xlsx(pool: dict) -> bytes:
    """The talent pool (`selectors.talent_pool`): its members with their label, the others with the reason."""

    def rows(placements, extra):
        return [
            [
                p.pegawai.nip,
                p.pegawai.nama,
                p.pegawai.jabatan.nama,
                p.jenjang.nama,
                p.kotak,
                format_score(p.skor_kinerja),
                format_score(p.skor_potensial),
                format_score(p.jpm_berikutnya),
                extra(p),
            ]
            for p in placements
        ]

    return write_xlsx_sheets(
        [
            ("KRS", [*POOL_COLUMNS, "label_krs"], rows(pool["anggota"], lambda p: p.label_krs)),
            ("Di luar KRS", [*POOL_COLUMNS, "alasan_krs"], rows(pool["di_luar"], lambda p: p.alasan_krs)),
        ]
    )


def annex_rows(rapat) -> list[list]:
    return [
        [
            number,
            k.penempatan.pegawai.nip,
            k.penempatan.pegawai.nama_lengkap,
            k.penempatan.pegawai.jabatan.nama,
            k.kotak_hitung,
            k.kotak_sebelumnya,
            k.kotak_baru,
            k.alasan,
            k.oleh.get_full_name() or k.oleh.username,
            timezone.localtime(k.waktu).strftime("%Y-%m-%d %H:%M"),
        ]
        for number, k in enumerate(_moves(rapat), start=1)
    ]


def berita_acara_xlsx(rapat) -> bytes:
    return write_xlsx(ANNEX_COLUMNS, annex_rows(rapat), sheet_title="Lampiran kalibrasi")


def berita_acara_pdf(rapat, *, rantai: dict) -> bytes:
    """`rantai` is the instansi's decision-log head (decisions.selectors.chain_head), printed with a QR code."""
    styles = getSampleStyleSheet()
    normal = ParagraphStyle("normal", parent=styles["Normal"], fontSize=9.5, leading=12)
    small = ParagraphStyle("small", parent=normal, fontSize=8, leading=10)
    centre = ParagraphStyle("centre", parent=normal, alignment=TA_CENTER)
    kop = ParagraphStyle("kop", parent=centre, fontName="Helvetica-Bold", fontSize=12, leading=15)
    title = ParagraphStyle("title", parent=centre, fontName="Helvetica-Bold", fontSize=11.5, spaceBefore=8)

    instansi = rapat.instansi
    story = [
        Paragraph(f"PEMERINTAH {instansi.nama.upper()}", kop),
        Paragraph(instansi.nama_bkd.upper(), kop),
        HRFlowable(width="100%", thickness=1.5, color=colors.black, spaceBefore=4, spaceAfter=8),
        Paragraph("BERITA ACARA RAPAT TALENT REVIEW", title),
        Paragraph(f"Pemetaan Talenta Periode {rapat.periode.tahun}", centre),
        Spacer(1, 6 * mm),
        Paragraph(
            f"Pada tanggal {_tanggal(rapat.tanggal)} bertempat di {rapat.tempat}, telah dilaksanakan rapat talent "
            f"review {instansi.nama_pemerintah} yang dipimpin oleh {rapat.ketua}, untuk mengkalibrasi peta "
            f"talenta periode {rapat.periode.tahun} (tanggal acuan {_tanggal(rapat.periode.tanggal_acuan)}). "
            f"Setiap pemindahan kotak di bawah ini disertai justifikasi tertulis.",
            normal,
        ),
    ]
    if rapat.catatan:
        story += [Spacer(1, 3 * mm), Paragraph(f"Catatan: {rapat.catatan}", normal)]

    members = list(rapat.anggota.all())
    story += [Spacer(1, 4 * mm), Paragraph("<b>Peserta rapat</b>", normal)]
    story.append(
        _table(
            [["No", "Nama", "NIP", "Jabatan", "Peran"]]
            + [
                [str(i), m.nama, nip_formatted(m.nip) if m.nip else "-", m.jabatan or "-", m.get_peran_display()]
                for i, m in enumerate(members, start=1)
            ],
            [10 * mm, 50 * mm, 42 * mm, 50 * mm, 22 * mm],
            small,
        )
    )

    moves = annex_rows(rapat)
    story += [Spacer(1, 4 * mm), Paragraph(f"<b>Kalibrasi ({len(moves)} pemindahan)</b>", normal)]
    if moves:
        story.append(
            _table(
                [["No", "Pegawai", "Kotak", "Justifikasi", "Oleh"]]
                + [
                    [str(no), f"{nama}<br/>{nip_formatted(nip)}", f"{hitung} / {sebelum} → {baru}", alasan, oleh]
                    for no, nip, nama, _, hitung, sebelum, baru, alasan, oleh, _ in moves
                ],
                [10 * mm, 48 * mm, 24 * mm, 66 * mm, 26 * mm],
                small,
            )
        )
        story.append(Paragraph("Kolom kotak: hasil hitung / kotak akhir sebelumnya → kotak baru.", small))
    else:
        story.append(Paragraph("Tidak ada pemindahan kotak.", normal))

    story += [
        Spacer(1, 6 * mm),
        Paragraph(
            f"Difinalkan pada {_tanggal(timezone.localtime(rapat.difinalkan_pada))}. Berita acara ini dibuat "
            "dengan sebenarnya untuk dipergunakan sebagaimana mestinya.",
            normal,
        ),
        Spacer(1, 8 * mm),
        _signatures(members, small),
        Spacer(1, 6 * mm),
        chain_stamp(rantai, small),
    ]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Berita Acara Rapat Talent Review {instansi.nama} {rapat.periode.tahun}",
        author="Talenta",
    )
    document.build(story)
    return buffer.getvalue()


def chain_stamp(rantai: dict, style) -> Table:
    """The decision log's head at printing, in words and as a QR code, to check the paper against the system."""
    text = f"talenta:rantai:{rantai['kunci']}:{rantai['panjang']}:{rantai['hash_kepala']}"
    widget = QrCodeWidget(text)
    left, bottom, right, top = widget.getBounds()
    size = 24 * mm
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    words = Paragraph(
        f"Log keputusan {rantai['kunci']}: {rantai['panjang']} entri.<br/>Hash kepala: {rantai['hash_kepala']}<br/>"
        "Cocokkan dengan halaman Periode atau Log keputusan di Talenta.",
        style,
    )
    table = Table([[drawing, words]], colWidths=[28 * mm, 146 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def _table(rows, widths, style) -> Table:
    table = Table([[Paragraph(str(cell), style) for cell in row] for row in rows], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _signatures(members, style) -> Table:
    """Signature blocks, three per row: role, space to sign, name, NIP, pangkat."""
    blocks = [
        Paragraph(
            f"{m.get_peran_display()}<br/><br/><br/><br/><u>{m.nama}</u><br/>"
            f"NIP {nip_formatted(m.nip) if m.nip else '-'}<br/>{m.pangkat or '-'}",
            style,
        )
        for m in members
    ]
    rows = [blocks[i : i + 3] + [""] * (3 - len(blocks[i : i + 3])) for i in range(0, len(blocks), 3)] or [["", "", ""]]
    table = Table(rows, colWidths=[58 * mm] * 3)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]))
    return table
