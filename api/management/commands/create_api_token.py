from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.services import token_create


class Command(BaseCommand):
    help = "Buat token API untuk seorang pengguna (oleh admin server); kunci dicetak sekali ini saja."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--nama", default="token baris perintah", help="untuk apa token ini")

    def handle(self, *args, **options):
        try:
            owner = get_user_model().objects.get(username=options["username"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"Pengguna {options['username']} tidak ada.") from None
        # The server's operator acts as the owner: whoever runs manage.py already holds every key.
        token, key = token_create(actor=owner, owner=owner, nama=options["nama"])
        self.stderr.write(
            f"Token {token.awalan}… untuk {owner.username} dibuat. Simpan kunci ini; tidak ditampilkan lagi:"
        )
        self.stdout.write(key)
