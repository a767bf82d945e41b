"""Realistic SKP, assessment and discipline records for demo pegawai (seed_demo, tests, bench)."""

import datetime as dt
import random
from decimal import Decimal

from asn.reference import KOMPETENSI_FIELDS

from . import scoring
from .models import Asesmen, HukumanDisiplin, SkpResult, skp_tahun_error

PREDIKAT_WEIGHTS = {"Sangat Baik": 22, "Baik": 62, "Butuh Perbaikan": 10, "Kurang/Misconduct": 4, "Sangat Kurang": 2}
LEMBAGA = ["UPT Penilaian Kompetensi BKD Kalbar", "Pusat Penilaian Kompetensi ASN BKN", "Kantor Regional V BKN"]


def generate_records(pegawai_rows, *, tahun: int, today: dt.date, seed: int = 2026, keys: dict | None = None):
    """SKP, asesmen and disiplin objects (unsaved) for `(pegawai_id, standard_level)` pairs.

    Spread on purpose: some SKP years missing, assessments expired or dated after the period's
    reference date, a few sanctions inside and outside the two-year window. `keys` (pegawai id →
    a stable key such as the NIP) draws each pegawai's records from that key instead of the id,
    which a database's sequences give differently from run to run.
    """
    predikat, weights = zip(*PREDIKAT_WEIGHTS.items(), strict=True)
    skp, asesmen, disiplin = [], [], []
    for pegawai_id, level in pegawai_rows:
        # One generator per pegawai: the same pegawai always gets the same records.
        rng = random.Random(f"{seed}-{keys[pegawai_id] if keys else pegawai_id}")
        for year, chance in ((tahun - 1, 0.9), (tahun - 2, 0.86), (tahun - 3, 0.7)):
            if rng.random() < chance:
                skp.append(SkpResult(pegawai_id=pegawai_id, tahun=year, predikat=rng.choices(predikat, weights)[0]))
        if rng.random() < 0.9:
            # Mostly valid; about one in ten expired, one in seven after the reference date.
            assessed = dt.date(tahun, 1, 31) - dt.timedelta(days=rng.randint(-200, 1250))
            assessed = min(assessed, today)
            asesmen.append(
                Asesmen(
                    pegawai_id=pegawai_id,
                    tanggal_asesmen=assessed,
                    lembaga=rng.choice(LEMBAGA),
                    skor_potensi=Decimal(rng.randint(4500, 9600)) / 100,
                    **{name: max(1, min(5, level + rng.choice((-1, 0, 0, 0, 1, 1)))) for name in KOMPETENSI_FIELDS},
                )
            )
        if rng.random() < 0.04:
            disiplin.append(
                HukumanDisiplin(
                    pegawai_id=pegawai_id,
                    tingkat=rng.choices(("Ringan", "Sedang", "Berat"), (6, 3, 1))[0],
                    tanggal_sk=min(today, dt.date(tahun, 1, 31) - dt.timedelta(days=rng.randint(-200, 1200))),
                    keterangan="Data contoh",
                )
            )
    return skp, asesmen, disiplin


DEMO_PERIODS = [(2025, dt.date(2025, 1, 31), "closed"), (2026, dt.date(2026, 1, 31), "open")]


def seed_assessment_data(*, seed: int, today: dt.date) -> int:
    """Records for every pegawai that has none of any kind yet; returns how many were created (with history)."""
    from django.utils import timezone

    from asn.models import Pegawai
    from talenta.bulk import create_with_history

    bare = list(
        Pegawai.objects.filter(skp__isnull=True, asesmen__isnull=True, hukuman_disiplin__isnull=True)
        .values_list("id", "jabatan__jenjang__level_standar", "nip")
        .distinct()
    )
    # Drawn by NIP: the demo is the same data whatever ids the database hands out.
    skp, asesmen, disiplin = generate_records(
        [(pk, level) for pk, level, _ in bare],
        tahun=DEMO_PERIODS[-1][0],
        today=today,
        seed=seed,
        keys={pk: nip for pk, _, nip in bare},
    )
    # The demo holds only what the SKP form and import would accept: no SKP before TMT CPNS.
    tmt_cpns = dict(Pegawai.objects.filter(tmt_cpns__isnull=False).values_list("id", "tmt_cpns"))
    skp = [record for record in skp if not skp_tahun_error(record.tahun, tmt_cpns.get(record.pegawai_id))]
    now = timezone.now()
    for model, objs in ((SkpResult, skp), (Asesmen, asesmen), (HukumanDisiplin, disiplin)):
        for obj in objs:
            obj.diubah = now
        create_with_history(model, objs, user=None, reason="seed_demo", date=now)
    return len(skp) + len(asesmen) + len(disiplin)


def compute_demo_periods() -> dict[int, int]:
    """The demo periods exist and are computed; a closed one is computed once, before closing."""
    from talenta import pipeline

    from .models import Periode

    counts = {}
    for tahun, acuan, status in DEMO_PERIODS:
        periode, created = Periode.objects.get_or_create(tahun=tahun, defaults={"tanggal_acuan": acuan})
        if periode.is_closed:
            continue
        counts[tahun] = pipeline.refresh_now(periode_id=periode.pk)["penempatan"]
        if status != periode.status:
            periode.status = status
            periode.save(update_fields=["status"])
    return counts


DEMO_MOVES = [
    (
        5,
        8,
        "konteks_penugasan",
        "Memimpin transformasi layanan daring tahun 2025; potensial dinilai lebih tinggi oleh tim.",
    ),
    (8, 5, "bukti_kinerja", "Dua keluhan layanan tercatat pada 2025; tim sepakat menunggu asesmen ulang."),
    (7, 9, "bukti_kinerja", "Kinerja konsisten di atas ekspektasi dan berhasil memimpin tim lintas bidang."),
]


def seed_demo_meeting(instansi_kode: str = "6101") -> str:
    """A finalised talent-review meeting with a few calibrations, once, for the demo instansi."""
    from django.contrib.auth import get_user_model

    from asn.models import Instansi

    from .models import Penempatan, Periode, RapatTalentReview
    from .services import anggota_add, kalibrasi_agree, kalibrasi_propose, rapat_create, rapat_finalise

    instansi = Instansi.objects.get(kode=instansi_kode)
    periode = Periode.objects.exclude(status=Periode.Status.CLOSED).order_by("-tahun").first()
    if periode is None:
        return "tidak ada periode terbuka"
    if RapatTalentReview.objects.filter(instansi=instansi, periode=periode).exists():
        return "sudah ada"
    User = get_user_model()
    ppk = User.objects.get(username=f"ppk-{instansi_kode}")
    tim = User.objects.get(username=f"tim-{instansi_kode}")
    rapat = rapat_create(
        user=ppk,
        periode=periode,
        instansi=instansi,
        data={
            "tanggal": periode.tanggal_acuan.replace(month=3, day=12),
            "tempat": f"Ruang Rapat {instansi.singkatan_bkd} {instansi.nama}",
            "ketua": "Sekretaris Daerah",
            "catatan": "Kalibrasi peta talenta jabatan administrator dan pengawas.",
        },
    )
    anggota_add(user=ppk, rapat=rapat, data={"user": tim, "nama": tim.get_full_name(), "peran": "sekretaris"})
    moved = 0
    for from_box, to_box, kind, reason in DEMO_MOVES:
        placement = (
            Penempatan.objects.filter(periode=periode, instansi=instansi, kotak=from_box, kotak_hitung=from_box)
            .order_by("pegawai__nip")
            .first()
        )
        if placement is not None:
            move = kalibrasi_propose(
                user=tim, rapat=rapat, penempatan_id=placement.pk, kotak_baru=to_box, jenis_alasan=kind, alasan=reason
            )
            if scoring.needs_second_agreement(from_box, to_box):
                kalibrasi_agree(user=ppk, kalibrasi=move)
            moved += 1
    rapat_finalise(user=ppk, rapat=rapat)
    return f"{moved} kalibrasi di {instansi.nama}, periode {periode.tahun}"


DEMO_PIPELINE = {
    "61": ("berjalan", 300, "SK persetujuan BKN diterima; penempatan lewat pertek."),
    "6101": ("disetujui", 120, "Persetujuan BKN setelah ekspose November."),
    "6171": ("ekspose", 45, "Ekspose di Kanreg V BKN."),
    "6112": ("ekspose", 20, "Menunggu jadwal ekspose."),
    "6106": ("berproses", 90, "Tim MT dibentuk, profil ASN sedang dilengkapi."),
    "6102": ("berproses", 75, "Perbup manajemen talenta disusun."),
    "6103": ("berproses", 30, "Input data SKP 2024–2025."),
    "6105": ("berproses", 150, "Asesmen massal dijadwalkan."),
    "6107": ("berproses", 200, "Belum ada pembaruan."),
    "6172": ("berproses", 10, "Profil ASN dimutakhirkan."),
}


def seed_demo_pipeline(*, user) -> int:
    """Spread the 15 instansi over BKN's pipeline, once; the rest stay 'Belum memulai'."""
    from asn.models import Instansi

    from .models import TahapanInstansi
    from .services import tahapan_set

    if TahapanInstansi.objects.exists():
        return 0
    from django.utils import timezone

    today = timezone.localdate()
    for instansi in Instansi.objects.filter(kode__in=DEMO_PIPELINE):
        tahap, days, note = DEMO_PIPELINE[instansi.kode]
        tahapan_set(user=user, instansi=instansi, tahap=tahap, sejak=today - dt.timedelta(days=days), catatan=note)
    return len(DEMO_PIPELINE)
