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
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from asn.nip import formatted as nip_formatted
from talenta.tabular import format_score, write_xlsx_sheets

from . import selectors

NET_COLUMNS = [
    "no",
    "nip",
    "nama",
    "jabatan",
    "kotak_hitung",
    "kotak_awal",
    "kotak_akhir",
    "alasan",
    "justifikasi",
    "diusulkan_oleh",
    "disetujui_anggota",
    "disetujui_pada",
]
ANNEX_COLUMNS = [
    "no",
    "nip",
    "nama",
    "jabatan",
    "kotak_hitung",
    "kotak_sebelumnya",
    "kotak_baru",
    "alasan",
    "justifikasi",
    "oleh",
    "waktu",
]
CONFLICT_COLUMNS = ["no", "anggota", "nip_anggota", "pegawai", "nip_pegawai", "jenis", "keterangan", "pengunduran_diri"]
DISTRIBUTION_COLUMNS = ["kotak", "sebelum", "sesudah", "selisih"]
MEMBER_COLUMNS = ["no", "nama", "nip", "pangkat", "jabatan", "peran"]
RECUSAL = "tidak memindahkan dan tidak menyetujui pemindahan pegawai ini"

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


def tanggal(day) -> str:
    """A date as Indonesian documents write it: 3 Desember 2026."""
    return f"{day.day} {_BULAN[day.month - 1]} {day.year}"


def _waktu(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _user_name(user) -> str:
    return user.get_full_name() or user.username


def identity(rapat) -> str:
    """What names the meeting on every page of its documents."""
    return (
        f"Berita Acara Rapat Talent Review {rapat.instansi.nama} · {tanggal(rapat.tanggal)} · "
        f"periode {rapat.periode.tahun} · rapat no. {rapat.pk}"
    )


def net_rows(rapat) -> list[list]:
    """One row per person moved: first box → last box of the meeting, not every back-and-forth."""
    return [
        [
            number,
            k.penempatan.pegawai.nip,
            k.penempatan.pegawai.nama_lengkap,
            k.penempatan.pegawai.jabatan.nama,
            k.kotak_hitung,
            k.dari,
            k.ke,
            k.get_jenis_alasan_display(),
            k.alasan,
            _user_name(k.oleh),
            k.disetujui_oleh.nama if k.disetujui_oleh else "",
            _waktu(k.disetujui_pada) if k.disetujui_oleh else "",
        ]
        for number, k in enumerate(selectors.meeting_net_moves(rapat=rapat), start=1)
    ]


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
    """Every move in the order it was made."""
    return [
        [
            number,
            k.penempatan.pegawai.nip,
            k.penempatan.pegawai.nama_lengkap,
            k.penempatan.pegawai.jabatan.nama,
            k.kotak_hitung,
            k.kotak_sebelumnya,
            k.kotak_baru,
            k.get_jenis_alasan_display(),
            k.alasan,
            _user_name(k.oleh),
            _waktu(k.waktu),
        ]
        for number, k in enumerate(reversed(selectors.meeting_moves(rapat=rapat)), start=1)
    ]


def conflict_rows(rapat) -> list[list]:
    conflicts = rapat.konflik.select_related("anggota", "pegawai").order_by("anggota__nama", "pegawai__nama")
    return [
        [number, c.anggota.nama, c.anggota.nip, c.pegawai.nama_lengkap, c.pegawai.nip, c.get_jenis_display(),
         c.keterangan, RECUSAL]
        for number, c in enumerate(conflicts, start=1)
    ]  # fmt: skip


def distribution_rows(rapat) -> list[list]:
    """Box counts before and after the meeting, as taken at finalisation."""
    sebaran = rapat.sebaran_final or selectors.meeting_distribution(rapat=rapat)
    rows = []
    for box in range(9, 0, -1):
        before, after = sebaran["sebelum"][str(box)], sebaran["sesudah"][str(box)]
        rows.append([box, before, after, after - before])
    return rows


def member_rows(members) -> list[list]:
    return [
        [number, m.nama, m.nip, m.pangkat, m.jabatan, m.get_peran_display()]
        for number, m in enumerate(members, start=1)
    ]


def berita_acara_xlsx(rapat) -> bytes:
    """The annex: the same content as the PDF, one sheet each, the meeting named on every printed page."""
    return write_xlsx_sheets(
        [
            ("Hasil kalibrasi", NET_COLUMNS, net_rows(rapat)),
            ("Riwayat pemindahan", ANNEX_COLUMNS, annex_rows(rapat)),
            ("Konflik kepentingan", CONFLICT_COLUMNS, conflict_rows(rapat)),
            ("Sebaran kotak", DISTRIBUTION_COLUMNS, distribution_rows(rapat)),
            ("Peserta", MEMBER_COLUMNS, member_rows(rapat.anggota.all())),
        ],
        print_header=identity(rapat),
    )


def _nip(nip: str) -> str:
    return nip_formatted(nip) if nip else "-"


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
            f"Pada tanggal {tanggal(rapat.tanggal)} bertempat di {rapat.tempat}, telah dilaksanakan rapat talent "
            f"review {instansi.nama_pemerintah} yang dipimpin oleh {rapat.ketua}, untuk mengkalibrasi peta "
            f"talenta periode {rapat.periode.tahun} (tanggal acuan {tanggal(rapat.periode.tanggal_acuan)}). "
            f"Setiap pemindahan kotak di bawah ini disertai alasan dan justifikasi tertulis.",
            normal,
        ),
    ]
    if rapat.catatan:
        story += [Spacer(1, 3 * mm), Paragraph(f"Catatan: {rapat.catatan}", normal)]

    members = list(rapat.anggota.all())
    story += [Spacer(1, 4 * mm), Paragraph("<b>I. Peserta rapat</b>", normal)]
    story.append(
        _table(
            [["No", "Nama", "NIP", "Jabatan", "Peran"]]
            + [
                [str(i), m.nama, _nip(m.nip), m.jabatan or "-", m.get_peran_display()] for i, m in enumerate(members, 1)
            ],
            [10 * mm, 50 * mm, 42 * mm, 50 * mm, 22 * mm],
            small,
        )
    )

    conflicts = conflict_rows(rapat)
    story += [Spacer(1, 4 * mm), Paragraph("<b>II. Konflik kepentingan dan pengunduran diri</b>", normal)]
    if conflicts:
        story.append(
            _table(
                [["No", "Anggota", "Pegawai", "Jenis", "Pengunduran diri"]]
                + [
                    [
                        str(no),
                        f"{anggota}<br/>NIP {_nip(nip_a)}",
                        f"{pegawai}<br/>NIP {_nip(nip_p)}",
                        jenis + (f": {keterangan}" if keterangan else ""),
                        recusal,
                    ]
                    for no, anggota, nip_a, pegawai, nip_p, jenis, keterangan, recusal in conflicts
                ],  # fmt: skip
                [10 * mm, 42 * mm, 42 * mm, 40 * mm, 40 * mm],
                small,
            )
        )
    else:
        story.append(Paragraph("Tidak ada anggota yang menyatakan konflik kepentingan.", normal))

    net = net_rows(rapat)
    count = rapat.kalibrasi.count()
    story += [
        Spacer(1, 4 * mm),
        Paragraph(f"<b>III. Hasil kalibrasi ({len(net)} pegawai, {count} pemindahan dicatat)</b>", normal),
    ]
    if net:
        story.append(
            _table(
                [["No", "Pegawai", "Kotak", "Alasan dan justifikasi", "Diusulkan / disetujui"]]
                + [
                    [
                        str(no),
                        f"{nama}<br/>NIP {_nip(nip)}",
                        f"{hitung} / {dari} → {ke}",
                        f"{jenis}: {alasan}",
                        oleh + (f"<br/>disetujui {setuju}, {pada}" if setuju else ""),
                    ]
                    for no, nip, nama, _, hitung, dari, ke, jenis, alasan, oleh, setuju, pada in net
                ],  # fmt: skip
                [10 * mm, 46 * mm, 22 * mm, 62 * mm, 34 * mm],
                small,
            )
        )
        story.append(
            Paragraph(
                "Kolom kotak: hasil hitung / kotak sebelum rapat → kotak hasil rapat (pemindahan bersih; "
                "riwayat setiap pemindahan ada di lampiran Excel dan log keputusan).",
                small,
            )
        )
    else:
        story.append(Paragraph("Tidak ada pemindahan kotak.", normal))

    distribution = distribution_rows(rapat)
    story += [Spacer(1, 4 * mm), Paragraph("<b>IV. Sebaran kotak sebelum dan sesudah rapat</b>", normal)]
    story.append(
        _table(
            [["", *[f"Kotak {box}" for box, *_ in distribution], "Jumlah"]]
            + [
                [label, *[str(row[column]) for row in distribution], str(sum(row[column] for row in distribution))]
                for label, column in (("Sebelum", 1), ("Sesudah", 2))
            ]
            + [["Selisih", *[f"{row[3]:+d}" for row in distribution], ""]],
            [20 * mm] + [15.5 * mm] * 9 + [14.5 * mm],
            small,
        )
    )

    story += [
        Spacer(1, 6 * mm),
        Paragraph(
            f"Difinalkan pada {tanggal(timezone.localtime(rapat.difinalkan_pada))}. Berita acara ini dibuat "
            "dengan sebenarnya untuk dipergunakan sebagaimana mestinya.",
            normal,
        ),
        Spacer(1, 8 * mm),
        _signatures(rapat, members, small),
        Spacer(1, 6 * mm),
        chain_stamp(rantai, small),
    ]

    header = identity(rapat)

    def page_header(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(document.leftMargin, A4[1] - 9 * mm, header)
        canvas.restoreState()

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
    document.build(story, onFirstPage=page_header, onLaterPages=page_header, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


class _NumberedCanvas(Canvas):
    """Holds every page until the end so each can say "Halaman n dari m"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("Helvetica", 7.5)
            self.drawRightString(A4[0] - 18 * mm, 8 * mm, f"Halaman {self._pageNumber} dari {total}")
            super().showPage()
        super().save()


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


def _signatures(rapat, members, style) -> Table:
    """Signature blocks, three per row: the Ketua first, then every member: role, space, name, NIP, pangkat."""
    chairs = [m for m in members if m.peran == m.Peran.KETUA]
    blocks = []
    if not chairs:
        # The Ketua named on the meeting is not among the attendees: they sign all the same.
        blocks.append(
            Paragraph(f"Ketua Rapat<br/><br/><br/><br/><u>{rapat.ketua}</u><br/>NIP ....................", style)
        )
    blocks += [
        Paragraph(
            f"{'Ketua Rapat' if m.peran == m.Peran.KETUA else m.get_peran_display()}<br/><br/><br/><br/>"
            f"<u>{m.nama}</u><br/>NIP {_nip(m.nip)}<br/>{m.pangkat or '-'}",
            style,
        )
        for m in chairs + [m for m in members if m.peran != m.Peran.KETUA]
    ]
    rows = [blocks[i : i + 3] + [""] * (3 - len(blocks[i : i + 3])) for i in range(0, len(blocks), 3)]
    table = Table(rows, colWidths=[58 * mm] * 3)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]))
    return table


SIMULATION_MOVED_COLUMNS = ["nip", "nama", "jabatan", "unit_kerja", "kotak_sekarang", "kotak_simulasi", "krs_sekarang",
                            "krs_simulasi"]  # fmt: skip


def simulasi_xlsx(*, simulasi, diff: dict, dibanding=None) -> bytes:
    """The diff page of a simulation (`selectors.simulasi_diff`): the movement table, then every moved person
    in the page's order, then who enters and who leaves the talent pool. Against another simulation
    (`dibanding`), "sekarang" is that simulation's box."""

    def people(rows):
        return [
            [r["nip"], r["nama"], r["jabatan"], r["unit"], r["dari"], r["ke"],
             "ya" if r["krs_sekarang"] else "tidak", "ya" if r["krs_simulasi"] else "tidak"]
            for r in rows
        ]  # fmt: skip

    movement = [[row["dari"], *[cell["jumlah"] for cell in row["sel"]], row["jumlah"]] for row in diff["matriks"]]
    return write_xlsx_sheets(
        [
            ("Perpindahan", ["kotak_sekarang→simulasi", *diff["kolom"], "jumlah"], movement),
            ("Pegawai pindah", SIMULATION_MOVED_COLUMNS, people(diff["pindah"])),
            ("Masuk KRS", SIMULATION_MOVED_COLUMNS, people(diff["masuk_krs"])),
            ("Keluar KRS", SIMULATION_MOVED_COLUMNS, people(diff["keluar_krs"])),
        ],
        print_header=(
            f"Simulasi skema {simulasi.skema.nama} · "
            f"{simulasi.cakupan} · periode {simulasi.periode.tahun} · "
            f"simulasi no. {simulasi.pk}"
            + (f" dibanding simulasi no. {dibanding.pk} ({dibanding.skema.nama})" if dibanding else "")
        ),
    )
