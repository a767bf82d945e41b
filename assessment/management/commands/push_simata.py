import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessment.selectors import simata_records
from assessment.simata import PushConfig, push
from talenta.commands import add_period_arguments, period_and_instansi


class Command(BaseCommand):
    help = (
        "Kirim pemetaan talenta satu periode ke SIASN/SIMATA (SIMATA_BASE_URL, SIMATA_TOKEN dan "
        "SIMATA_SSO_TOKEN dari lingkungan), per batch dengan pengulangan, lalu laporkan hasilnya."
    )

    def add_arguments(self, parser):
        add_period_arguments(parser)
        parser.add_argument("--batch", type=int, default=100, help="jumlah pegawai per batch (bawaan 100)")
        parser.add_argument("--laporan", help="tulis laporan JSON ke berkas ini")

    def handle(self, *, tahun, instansi, batch, laporan, **options):
        if not (settings.SIMATA_BASE_URL and settings.SIMATA_TOKEN and settings.SIMATA_SSO_TOKEN):
            raise CommandError(
                "SIMATA belum dikonfigurasi: setel SIMATA_BASE_URL, SIMATA_TOKEN dan SIMATA_SSO_TOKEN "
                "di lingkungan. Tidak ada yang dikirim."
            )
        if batch < 1:
            raise CommandError("--batch harus paling sedikit 1.")
        periode, instansi_obj = period_and_instansi(tahun, instansi)
        records = simata_records(user=None, periode=periode, instansi=instansi_obj)
        config = PushConfig(
            base_url=settings.SIMATA_BASE_URL,
            token=settings.SIMATA_TOKEN,
            sso_token=settings.SIMATA_SSO_TOKEN,
            timeout=settings.SIMATA_TIMEOUT,
            retries=settings.SIMATA_RETRIES,
        )

        def report_batch(number, total, report):
            self.stdout.write(
                f"Batch {number}/{total}: {len(report.diterima)} diterima, {len(report.ditolak)} ditolak, "
                f"{len(report.gagal)} gagal sejauh ini."
            )

        report = push(records, config, batch_size=batch, report_batch=report_batch)
        for nip in report.tanpa_pns_id:
            self.stdout.write(f"{nip}: tidak dikirim, belum memiliki PNS ID (impor dari SIASN dahulu).")
        for nip, message in report.ditolak:
            self.stdout.write(f"{nip}: ditolak SIASN ({message}).")
        for nip, message in report.gagal:
            self.stdout.write(f"{nip}: gagal dikirim ({message}).")
        if laporan:
            with open(laporan, "w", encoding="utf-8") as handle:
                json.dump(report.as_dict(), handle, ensure_ascii=False, indent=2)
        summary = (
            f"{len(report.diterima)} dari {len(records)} pegawai diterima SIASN; {len(report.ditolak)} ditolak, "
            f"{len(report.gagal)} gagal, {len(report.tanpa_pns_id)} tanpa PNS ID."
        )
        if not report.complete:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
