"""Succession's documents: each builder takes what a selector returned and gives the file's bytes."""

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
