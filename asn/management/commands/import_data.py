from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from asn.services import IMPORT_KINDS, run_import
from talenta.tabular import size_error


class Command(BaseCommand):
    help = "Impor berkas .xlsx atau .csv (semua atau tidak sama sekali)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORT_KINDS), help="jenis data")
        parser.add_argument("file", type=Path, help="berkas .xlsx atau .csv")
        parser.add_argument(
            "--as",
            dest="username",
            help="impor atas nama pengguna ini (hak dan instansinya berlaku; tercatat di riwayat)",
        )

    def handle(self, *, kind, file, username, **options):
        user = None
        if username:
            try:
                user = get_user_model().objects.select_related("instansi").get(username=username)
            except get_user_model().DoesNotExist:
                raise CommandError(f"Pengguna {username} tidak ada.") from None
            if not user.can_write_data:
                raise CommandError(f"Pengguna {username} tidak berhak mengimpor data.")
        if not file.is_file():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        # Refused before reading: a huge file must not be loaded into memory first.
        too_big = size_error(file.stat().st_size, max_bytes=settings.IMPORT_MAX_BYTES)
        if too_big:
            raise CommandError(f"{too_big} Tidak ada data yang disimpan.")

        def report(stage, done, total):
            if options["verbosity"] >= 2:
                self.stdout.write(f"{stage}: {done}/{total}")

        outcome = run_import(
            kind=kind, data=file.read_bytes(), filename=file.name, user=user, write=True, report=report
        )
        for warning in outcome.warnings:
            self.stderr.write(f"Peringatan: {warning}")
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(
                    f"Baris {error.row}, kolom {error.column or '-'}"
                    f"{f' ({error.value})' if error.value else ''}: {error.message}"
                )
            raise CommandError(f"Berkas tidak valid: {len(outcome.errors)} kesalahan. Tidak ada data yang disimpan.")
        summary = ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in outcome.summary.items())
        self.stdout.write(self.style.SUCCESS(f"Impor {kind} selesai: {summary}."))
