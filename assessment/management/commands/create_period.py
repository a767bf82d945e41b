import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessment.models import Periode
from assessment.services import periode_create


class Command(BaseCommand):
    help = "Buat periode pemetaan talenta (satu per tahun, berlaku untuk semua instansi)."

    def add_arguments(self, parser):
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--tanggal-acuan", dest="tanggal_acuan", required=True, help="YYYY-MM-DD")
        parser.add_argument("--status", choices=[s.value for s in Periode.Status], default=Periode.Status.OPEN)

    def handle(self, *, tahun, tanggal_acuan, status, **options):
        try:
            acuan = dt.date.fromisoformat(tanggal_acuan)
        except ValueError:
            raise CommandError(f"Tanggal acuan {tanggal_acuan} tidak valid; gunakan YYYY-MM-DD.") from None
        try:
            periode = periode_create(tahun=tahun, tanggal_acuan=acuan, status=status)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Periode {periode.tahun} dibuat (tanggal acuan {periode.tanggal_acuan:%Y-%m-%d}).")
        )
