from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.selectors import simata_records
from assessment.simata import simata_file
from talenta.commands import add_period_arguments, period_and_instansi


class Command(BaseCommand):
    help = "Ekspor pemetaan talenta satu periode untuk SIASN/SIMATA ke .csv, .json atau .xlsx."

    def add_arguments(self, parser):
        add_period_arguments(parser)
        parser.add_argument("--output", type=Path, required=True, help="FILE.csv, FILE.json atau FILE.xlsx")

    def handle(self, *, tahun, output, instansi, **options):
        suffix = output.suffix.lower()
        if suffix not in (".csv", ".json", ".xlsx"):
            raise CommandError("Berkas keluaran harus berakhiran .csv, .json atau .xlsx.")
        periode, instansi_obj = period_and_instansi(tahun, instansi)
        records = simata_records(user=None, periode=periode, instansi=instansi_obj)
        output.write_bytes(simata_file(records, fmt=suffix[1:], tahun=tahun))
        self.stdout.write(self.style.SUCCESS(f"{len(records)} pegawai ditulis ke {output}."))
        missing = sum(1 for r in records if not r["pns_id"])
        if missing:
            self.stdout.write(
                f"{missing} pegawai belum memiliki PNS ID (impor dari SIASN dahulu); SIASN menolak tanpa itu."
            )
