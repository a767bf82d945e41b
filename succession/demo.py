"""Demo succession data: critical positions, nominations, approvals and development plans."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from asn.models import Instansi, Jabatan, Jenjang
from assessment.models import Periode
from talenta import pipeline

from .models import ItemRencana, TargetSuksesi
from .services import (
    jabatan_save,
    nomination_create,
    nomination_decide,
    plan_item_save,
    plan_propose,
)

VACANT_JABATAN = "Kepala Seksi Transformasi Digital"


def seed_demo_succession(instansi_kode: str = "6101") -> str:
    periode = Periode.objects.filter(status=Periode.Status.OPEN).order_by("-tahun").first()
    if periode is None:
        return "tidak ada periode terbuka"
    instansi = Instansi.objects.get(kode=instansi_kode)
    if Jabatan.objects.filter(unit_kerja__instansi=instansi, nama=VACANT_JABATAN).exists():
        return "sudah ada"
    unit = instansi.unit_kerja.order_by("pk").first()
    if unit is None:
        # A small demo (`seed_demo --pegawai 15`) may leave the demo instansi without any pegawai.
        return f"dilewati, belum ada unit kerja di {instansi.nama}"
    User = get_user_model()
    operator = User.objects.get(username=f"operator-{instansi_kode}")
    ppk = User.objects.get(username=f"ppk-{instansi_kode}")

    critical = Jabatan.objects.filter(unit_kerja__instansi=instansi, jenjang__nama="Administrator").order_by("pk")[:4]
    for jabatan in critical:
        jabatan_save(user=operator, jabatan=jabatan, data={"kritikal": True})
    if critical:
        unit = critical[0].unit_kerja
    jabatan_save(
        user=operator,
        jabatan=Jabatan(
            unit_kerja=unit, nama="Kepala Seksi Transformasi Digital", jenjang=Jenjang.objects.get(nama="Pengawas")
        ),
        data={},
    )
    pipeline.refresh_now(periode_id=periode.pk, instansi_ids=[instansi.pk])

    nominated = 0
    targets = TargetSuksesi.objects.filter(periode=periode, instansi=instansi, jumlah_kandidat__gte=2).order_by(
        "jabatan__nama"
    )[:3]
    today = timezone.localdate()
    for target in targets:
        top = list(target.kandidat.order_by("peringkat").values_list("pegawai_id", flat=True)[:2])
        first, _second = nomination_create(user=operator, periode=periode, jabatan=target.jabatan, pegawai_ids=top)
        nomination_decide(user=ppk, nomination=first, approve=True, catatan="Disetujui dalam rapat Baperjakat.")
        nominated += 2
        items = plan_propose(user=operator, nomination=first)
        plan_item_save(
            user=operator,
            item=ItemRencana(nominasi=first),
            data={
                "judul": "Mentoring kepemimpinan oleh pejabat pemangku",
                "jenis": ItemRencana.Jenis.MENTORING,
                "tanggal_target": today - dt.timedelta(days=30),  # overdue on purpose
                "mentor": "Sekretaris Daerah",
                "status": ItemRencana.Status.BERJALAN,
            },
        )
        if items:
            plan_item_save(
                user=operator,
                item=items[0],
                data={"status": ItemRencana.Status.SELESAI, "bukti": "Sertifikat pelatihan"},
            )
    return f"{len(critical)} jabatan kritikal, {nominated} nominasi di {instansi.nama}"
