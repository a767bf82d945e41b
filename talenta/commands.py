"""A base for the management commands that export one period to .csv or .xlsx."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from talenta import exports


def add_period_arguments(parser) -> None:
    """`--tahun` (required) and `--instansi KODE` (empty: every instansi), as every period command takes them."""
    parser.add_argument("--tahun", type=int, required=True)
    parser.add_argument("--instansi", help="kode instansi, mis. 6101 (kosong = semua)")


def period_and_instansi(tahun: int, kode: str | None):
    """The period of `tahun` and the instansi of `kode` (None when no code is given), or a CommandError."""
    from asn.models import Instansi
    from assessment.models import Periode

    periode = Periode.objects.filter(tahun=tahun).first()
    if periode is None:
        raise CommandError(f"Periode {tahun} belum ada.")
    if not kode:
        return periode, None
    instansi = Instansi.objects.filter(kode=kode).first()
    if instansi is None:
        raise CommandError(f"Kode instansi {kode} tidak dikenal.")
    return periode, instansi


class PeriodExportCommand(BaseCommand):
    """`--tahun`, `--output FILE.csv|FILE.xlsx`, `--instansi KODE`; subclasses name the export kind.

    The file is the one the page's export gives (`talenta.exports`), with every instansi's rows.
    """

    kind: str  # an ExportJob.Kind

    def add_arguments(self, parser):
        add_period_arguments(parser)
        parser.add_argument("--output", type=Path, required=True, help="FILE.csv atau FILE.xlsx")

    def handle(self, *, tahun, output, instansi, **options):
        suffix = output.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise CommandError("Berkas keluaran harus berakhiran .csv atau .xlsx.")
        periode, instansi_obj = period_and_instansi(tahun, instansi)
        rows = list(exports.export_rows(kind=self.kind, user=None, periode=periode, instansi=instansi_obj))
        output.write_bytes(exports.export_body(kind=self.kind, rows=rows, periode=periode, fmt=suffix[1:]))
        self.stdout.write(self.style.SUCCESS(f"{len(rows)} baris ditulis ke {output}."))
