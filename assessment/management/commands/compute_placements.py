import time

from django.core.management.base import BaseCommand, CommandError

from asn.models import Instansi
from assessment.models import Periode
from assessment.services import PeriodeClosed, placements_compute


class Command(BaseCommand):
    help = "Hitung ulang penempatan sembilan kotak untuk satu periode (langsung, tanpa antrean)."

    def add_arguments(self, parser):
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--instansi", help="kode instansi, mis. 6101 (kosong = semua)")

    def handle(self, *, tahun, instansi, **options):
        try:
            periode = Periode.objects.get(tahun=tahun)
        except Periode.DoesNotExist:
            raise CommandError(f"Periode {tahun} belum ada; buat dengan create_period.") from None
        instansi_id = None
        if instansi:
            try:
                instansi_id = Instansi.objects.get(kode=instansi).pk
            except Instansi.DoesNotExist:
                raise CommandError(f"Kode instansi {instansi} tidak dikenal.") from None

        def report(stage, done, total):
            if options["verbosity"] >= 2:
                self.stdout.write(f"{stage}: {done}/{total}")

        start = time.perf_counter()
        try:
            count = placements_compute(periode_id=periode.pk, instansi_id=instansi_id, report=report)
        except PeriodeClosed as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Periode {tahun}: {count} penempatan dihitung dalam {time.perf_counter() - start:.1f} detik."
            )
        )
