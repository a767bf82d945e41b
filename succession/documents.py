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
