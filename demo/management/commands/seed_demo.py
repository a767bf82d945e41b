from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from asn.demo import generate_pegawai
from asn.models import Instansi, Role
from asn.services import pegawai_bulk_upsert
from asn.siasn_sample import siasn_csv, siasn_records
from assessment.demo import compute_demo_periods, seed_assessment_data, seed_demo_meeting, seed_demo_pipeline
from portal.demo import seed_demo_asn_accounts, seed_demo_objection_windows
from succession.demo import seed_demo_succession

# Local-only demo password, documented in README; never used outside `make run`.
DEMO_PASSWORD = "talenta-demo"


class Command(BaseCommand):
    help = "Isi data contoh Kalimantan Barat dan satu pengguna demo per peran dan instansi."

    def add_arguments(self, parser):
        parser.add_argument("--pegawai", type=int, default=3000, help="jumlah pegawai (default 3000)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--siasn",
            type=Path,
            help="tulis juga berkas bentuk SIASN 'Export Data ASN' dari pegawai demo 6101 (coba impor siasn)",
        )

    @transaction.atomic
    def handle(self, *, pegawai, seed, siasn, **options):
        users = self._ensure_users()
        today = timezone.localdate()
        rows = generate_pegawai(pegawai, seed=seed, today=today)
        summary = pegawai_bulk_upsert(rows, None, "seed_demo")
        records = seed_assessment_data(seed=seed, today=today)
        placements = {tahun: count for tahun, count in compute_demo_periods().items()}
        meeting = seed_demo_meeting()
        succession = seed_demo_succession()
        pipeline = seed_demo_pipeline(user=get_user_model().objects.get(username="bkn"))
        windows = seed_demo_objection_windows()
        accounts = seed_demo_asn_accounts(password=DEMO_PASSWORD)
        self.stdout.write(
            self.style.SUCCESS(
                f"Data demo siap: {summary['baru']} pegawai baru, {summary['tetap']} tetap; "
                f"{records} catatan SKP/asesmen/disiplin baru; penempatan dihitung: "
                + ", ".join(f"periode {tahun} {count}" for tahun, count in placements.items())
                + f"; rapat talent review demo: {meeting}; suksesi demo: {succession}"
                + f"; tahapan BKN dicatat untuk {pipeline} instansi"
                + f"; jendela keberatan dibuka untuk {windows} instansi"
                + f"; {users} pengguna demo (kata sandi: {DEMO_PASSWORD})."
            )
        )
        self._report_asn_accounts(accounts)
        if siasn:
            # One operator's monthly download: the demo pegawai of Kabupaten Sambas, as SIASN writes them.
            sambas = [row for row in rows if row.instansi_kode == "6101"]
            siasn.write_bytes(siasn_csv(siasn_records(sambas, seed=seed)))
            self.stdout.write(
                f"Berkas SIASN {siasn} ditulis: {len(sambas)} pegawai 6101. Coba: "
                f"python manage.py import_data siasn {siasn} --as operator-6101"
            )

    def _report_asn_accounts(self, accounts) -> None:
        if not accounts.asn:
            self.stdout.write(f"Akun ASN demo: {accounts.opd}.")
            return
        self.stdout.write(f"Akun ASN demo 6101 (kata sandi: {DEMO_PASSWORD}, masuk di /saya/):")
        for username, shows in accounts.asn:
            self.stdout.write(f"  {username} — {shows}")
        self.stdout.write(f"Operator OPD demo: {accounts.opd}.")

    def _ensure_users(self) -> int:
        User = get_user_model()
        specs = [("admin", Role.ADMIN, None, "Admin Talenta"), ("bkn", Role.BKN, None, "Monitor BKN")]
        for instansi in Instansi.objects.all():
            specs.append((f"operator-{instansi.kode}", Role.OPERATOR, instansi, f"Operator {instansi.nama}"))
            specs.append((f"ppk-{instansi.kode}", Role.PPK, instansi, f"PPK {instansi.nama}"))
            specs.append((f"tim-{instansi.kode}", Role.TIM_TALENTA, instansi, f"Tim Talenta {instansi.nama}"))
        for username, role, instansi, full_name in specs:
            first, _, last = full_name.partition(" ")
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"role": role, "instansi": instansi, "first_name": first, "last_name": last},
            )
            if created:
                user.is_staff = user.is_superuser = role == Role.ADMIN
                user.set_password(DEMO_PASSWORD)
                user.save()
        return len(specs)
