import time

from django.core.management.base import BaseCommand, CommandError

from asn.models import Instansi
from assessment.models import Periode
from talenta import pipeline
from talenta.commands import add_period_arguments


class Command(BaseCommand):
    help = (
        "Hitung ulang data turunan satu periode — penempatan sembilan kotak, KRS, jabatan target dan kandidat "
        "suksesor — per instansi, langsung di proses ini (tanpa antrean)."
    )

    def add_arguments(self, parser):
        add_period_arguments(parser)

    def handle(self, *, tahun, instansi, **options):
        try:
            periode = Periode.objects.get(tahun=tahun)
        except Periode.DoesNotExist:
            raise CommandError(f"Periode {tahun} belum ada; buat dengan create_period.") from None
        if periode.is_closed:
            raise CommandError(f"Periode {tahun} sudah ditutup; penempatannya tidak dihitung ulang.")
        instansi_ids = None
        if instansi:
            try:
                instansi_ids = [Instansi.objects.get(kode=instansi).pk]
            except Instansi.DoesNotExist:
                raise CommandError(f"Kode instansi {instansi} tidak dikenal.") from None

        def report(step, stage, done, total):
            if options["verbosity"] >= 2:
                self.stdout.write(f"{step} — {stage}: {done}/{total}")

        start = time.perf_counter()
        totals = pipeline.refresh_now(periode_id=periode.pk, instansi_ids=instansi_ids, report=report)
        self.stdout.write(
            self.style.SUCCESS(
                f"Periode {tahun}: {totals['penempatan']} penempatan dan {totals['target']} jabatan target dihitung "
                f"dalam {time.perf_counter() - start:.1f} detik."
            )
        )
