from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from asn.models import Instansi
from assessment.models import Periode
from succession.selectors import EXPORT_COLUMNS, candidate_export_rows
from talenta.tabular import write_csv, write_xlsx


class Command(BaseCommand):
    help = "Ekspor jabatan target dan kandidat berperingkat ke .csv atau .xlsx."

    def add_arguments(self, parser):
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--output", type=Path, required=True, help="FILE.csv atau FILE.xlsx")
        parser.add_argument("--instansi", help="kode instansi, mis. 6101 (kosong = semua)")

    def handle(self, *, tahun, output, instansi, **options):
        suffix = output.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise CommandError("Berkas keluaran harus berakhiran .csv atau .xlsx.")
        periode = Periode.objects.filter(tahun=tahun).first()
        if periode is None:
            raise CommandError(f"Periode {tahun} belum ada.")
        instansi_obj = None
        if instansi:
            instansi_obj = Instansi.objects.filter(kode=instansi).first()
            if instansi_obj is None:
                raise CommandError(f"Kode instansi {instansi} tidak dikenal.")
        rows = candidate_export_rows(user=None, periode=periode, instansi=instansi_obj)
        if suffix == ".csv":
            output.write_bytes(write_csv(EXPORT_COLUMNS, rows))
        else:
            output.write_bytes(write_xlsx(EXPORT_COLUMNS, rows, sheet_title=f"Kandidat {tahun}"))
        self.stdout.write(self.style.SUCCESS(f"{len(rows)} baris ditulis ke {output}."))
