"""Demo data of the portal: every instansi's objection window for the newest open period is open
for 30 days from the day the demo is seeded, so the objection loop can be tried at once."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from asn.models import Instansi
from assessment.models import Periode

from .services import jendela_save

WINDOW_DAYS = 30


def seed_demo_objection_windows() -> int:
    periode = Periode.objects.filter(status=Periode.Status.OPEN).order_by("-tahun").first()
    if periode is None:
        return 0
    today = timezone.localdate()
    operators = {user.instansi_id: user for user in get_user_model().objects.filter(username__startswith="operator-")}
    count = 0
    for instansi in Instansi.objects.filter(pk__in=list(operators)):
        jendela_save(
            user=operators[instansi.pk],
            periode=periode,
            instansi=instansi,
            dibuka=today,
            ditutup=today + dt.timedelta(days=WINDOW_DAYS),
        )
        count += 1
    return count
