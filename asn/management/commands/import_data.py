from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from asn.services import IMPORT_KINDS, import_run, siasn_mapping_save
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
        parser.add_argument(
            "--terima-tebakan",
            action="store_true",
            help="siasn: simpan tebakan yang ditampilkan sebagai pemetaan nilai, lalu impor",
        )

    def handle(self, *, kind, file, username, terima_tebakan, **options):
        user = _importing_user(username) if username else None
        if not file.is_file():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        # Refused before reading: a huge file must not be loaded into memory first.
        too_big = size_error(file.stat().st_size, max_bytes=settings.IMPORT_MAX_BYTES)
        if too_big:
            raise CommandError(f"{too_big} Tidak ada data yang disimpan.")

        def report(stage, done, total):
            if options["verbosity"] >= 2:
                self.stdout.write(f"{stage}: {done}/{total}")

        data = file.read_bytes()
        outcome = import_run(kind=kind, data=data, filename=file.name, user=user, write=True, report=report)
        if outcome.ok and outcome.questions:
            self._ask(outcome.questions, accept=terima_tebakan, user=user)
            outcome = import_run(kind=kind, data=data, filename=file.name, user=user, write=True, report=report)
        self._print_outcome(kind, outcome)

    def _print_outcome(self, kind: str, outcome) -> None:
        """Warnings, then the row errors (the command fails) or the summary of what was written."""
        for warning in outcome.warnings:
            self.stderr.write(f"Peringatan: {warning}")
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(
                    f"Baris {error.row}, kolom {error.column or '-'}"
                    f"{f' ({error.value})' if error.value else ''}: {error.message}"
                )
            raise CommandError(f"Berkas tidak valid: {len(outcome.errors)} kesalahan. Tidak ada data yang disimpan.")
        counts = {key: value for key, value in outcome.summary.items() if not key.startswith("daftar_")}
        summary = ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Impor {kind} selesai: {summary}."))
        # The server's administrator writes without the browser's consent step; the near matches
        # are still named, so a typo can be corrected right after.
        for item in outcome.structure.get("daftar", []):
            if item["mirip"]:
                name = item["unit_kerja"] if item["jenis"] == "unit_kerja" else f"{item['jabatan']} ({item['jenjang']})"
                nearby = ", ".join(f'"{near["nama"]}"' for near in item["mirip"])
                label = "Unit kerja" if item["jenis"] == "unit_kerja" else "Jabatan"
                self.stderr.write(f'Peringatan: {label} baru "{name}" (baris {item["baris"]}) mirip dengan {nearby}.')
        for item in outcome.summary.get("daftar_tidak_ada_di_siasn", []):
            self.stdout.write(f"Tidak ada di SIASN: {item['nip']} {item['nama']} ({item['keterangan']})")

    def _ask(self, questions, *, accept: bool, user):
        """Nothing is guessed silently: list the values to map and stop, or save the shown guesses."""
        for q in questions:
            guess = q["tebakan"] or "(tidak ada tebakan)"
            self.stderr.write(
                f'Perlu pemetaan {q["jenis"]} instansi {q["instansi"] or "?"}: "{q["nilai"]}" '
                f"({q['baris']} baris) -> tebakan {guess}"
            )
        unanswered = [q for q in questions if not q["tebakan"]]
        if not accept or unanswered:
            raise CommandError(
                f"{len(questions)} nilai SIASN belum dipetakan; tidak ada data yang disimpan. Petakan di halaman "
                "Pemetaan SIASN (Impor data), atau jalankan lagi dengan --terima-tebakan bila setiap tebakan benar."
            )
        try:
            siasn_mapping_save(
                user=user, answers=[(q["instansi"], q["jenis"], q["nilai"], q["tebakan"]) for q in questions]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"{len(questions)} pemetaan nilai SIASN disimpan dari tebakan.")


def _importing_user(username: str):
    """The user the import is made as: their rights and instansi apply, as on the import page."""
    try:
        user = get_user_model().objects.select_related("instansi").get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"Pengguna {username} tidak ada.") from None
    if not user.can_write_data:
        raise CommandError(f"Pengguna {username} tidak berhak mengimpor data.")
    return user
