from django.core.management.base import BaseCommand, CommandError

from asn.models import Instansi
from decisions.services import chains_verify


class Command(BaseCommand):
    help = "Periksa ulang rantai hash log keputusan; laporkan tautan pertama yang rusak."

    def add_arguments(self, parser):
        parser.add_argument("--instansi", help="kode instansi, mis. 6101, atau 'provinsi' (kosong = semua)")

    def handle(self, *, instansi, **options):
        if instansi and instansi != "provinsi" and not Instansi.objects.filter(kode=instansi).exists():
            raise CommandError(f"Kode instansi {instansi} tidak dikenal.")
        findings = chains_verify(kunci=instansi or None)
        for finding in findings:
            if finding["utuh"]:
                self.stdout.write(f"Rantai {finding['kunci']}: utuh, {finding['panjang']} entri.")
            else:
                self.stdout.write(finding["pesan"])
        broken = [f for f in findings if not f["utuh"]]
        if broken:
            raise CommandError(f"{len(broken)} dari {len(findings)} rantai rusak.")
        self.stdout.write(self.style.SUCCESS(f"{len(findings)} rantai diperiksa, semuanya utuh."))
