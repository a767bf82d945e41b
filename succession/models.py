from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from asn.models import Instansi, Jabatan, Pegawai, PegawaiRowQuerySet, ScopedQuerySet, UniqueMessages
from asn.reference import KOMPETENSI
from assessment.models import Penempatan, Periode

from . import rules


class TargetQuerySet(ScopedQuerySet):
    unit_lookup = "jabatan__unit_kerja_id"


class TargetSuksesi(models.Model):
    """A jabatan target of the open period, found by the recompute with the reasons (§7)."""

    periode = models.ForeignKey(Periode, on_delete=models.CASCADE, related_name="target_suksesi")
    jabatan = models.ForeignKey(Jabatan, on_delete=models.CASCADE, related_name="target_suksesi")
    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    alasan = models.CharField(max_length=200)
    pensiun_pemangku = models.DateField("pensiun pemangku terdekat", null=True, blank=True)
    jumlah_kandidat = models.PositiveIntegerField(default=0)
    dihitung = models.DateTimeField()

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "jabatan target"
        verbose_name_plural = "jabatan target"
        constraints = [models.UniqueConstraint(fields=["periode", "jabatan"], name="target_once_per_periode")]

    def __str__(self):
        return f"{self.jabatan} ({self.alasan})"


class KandidatQuerySet(ScopedQuerySet):
    instansi_lookup = "target__instansi_id"
    # An ASN learns which targets list them, never who else is listed.
    pegawai_lookup = "pegawai_id"
    unit_lookup = "pegawai__jabatan__unit_kerja_id"


class Kandidat(models.Model):
    """One ranked candidate of a target; box, P and K are read from the placement."""

    # Candidates are derived: only the pipeline writes them, in the transaction that writes their
    # target, from placements it has just read under the pair's lock; the pegawai is the placement's
    # own, whose reference keeps its database constraint. Targets, placements and pegawai are deleted
    # only through Django, whose CASCADE runs in Python and removes the candidates without a database
    # constraint. The constraints cost three row-by-row checks per written candidate at commit
    # (docs/scale.md), so they are left out of the database; each column keeps its index.
    target = models.ForeignKey(TargetSuksesi, on_delete=models.CASCADE, related_name="kandidat", db_constraint=False)
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    penempatan = models.ForeignKey(Penempatan, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    peringkat = models.PositiveIntegerField()
    jpm_target = models.DecimalField("JPM terhadap target", max_digits=6, decimal_places=2)
    kesiapan = models.CharField(max_length=30)

    objects = KandidatQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "kandidat"
        constraints = [
            models.UniqueConstraint(fields=["target", "pegawai"], name="kandidat_once_per_target"),
            models.UniqueConstraint(fields=["target", "peringkat"], name="kandidat_rank_unique"),
        ]

    def __str__(self):
        return f"{self.peringkat}. {self.pegawai_id}"


class Nominasi(UniqueMessages, models.Model):
    """A successor nominated by the operator for a target; the PPK approves or rejects."""

    UNIQUE_MESSAGES = {
        ("periode", "jabatan", "pegawai"): "Pegawai ini sudah dinominasikan untuk jabatan ini pada periode ini."
    }

    class Status(models.TextChoices):
        DIUSULKAN = "diusulkan", "Diusulkan"
        DISETUJUI = "disetujui", "Disetujui"
        DITOLAK = "ditolak", "Ditolak"
        MENJABAT = "menjabat", "Menjabat"

    Kesiapan = models.TextChoices("Kesiapan", [(k, k) for k in rules.KESIAPAN])

    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="nominasi")
    jabatan = models.ForeignKey(Jabatan, on_delete=models.PROTECT, related_name="nominasi")
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="nominasi")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DIUSULKAN)
    urutan = models.PositiveSmallIntegerField("urutan di antara nominasi", default=1)
    jpm_target = models.DecimalField("JPM terhadap target", max_digits=6, decimal_places=2, null=True)
    kesiapan_bawaan = models.CharField("kesiapan bawaan", max_length=30, choices=Kesiapan.choices)
    kesiapan_ppk = models.CharField("kesiapan menurut PPK", max_length=30, choices=Kesiapan.choices, blank=True)
    justifikasi_kesiapan = models.TextField(blank=True)
    catatan_keputusan = models.TextField("catatan PPK", blank=True)
    diusulkan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    diputuskan_pada = models.DateTimeField(null=True, blank=True)
    # Set by the candidate recompute when the nominee no longer passes a gate; never deleted.
    perlu_ditinjau = models.BooleanField(default=False)
    alasan_tinjau = models.TextField(blank=True)
    dibuat = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    objects = PegawaiRowQuerySet.as_manager()

    class Meta:
        ordering = ["urutan", "id"]
        verbose_name_plural = "nominasi"
        constraints = [
            models.UniqueConstraint(fields=["periode", "jabatan", "pegawai"], name="nominasi_once"),
            models.CheckConstraint(
                condition=Q(status__in=["diusulkan", "disetujui", "ditolak", "menjabat"]), name="nominasi_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kesiapan_ppk="") | ~Q(justifikasi_kesiapan=""), name="nominasi_override_justified"
            ),
        ]

    def __str__(self):
        return f"{self.pegawai_id} → {self.jabatan_id} ({self.status})"

    @property
    def kesiapan(self) -> str:
        """The PPK's readiness where set, else the default one."""
        return self.kesiapan_ppk or self.kesiapan_bawaan


class PengangkatanDiluarRencana(UniqueMessages, models.Model):
    """Someone appointed to a target who was not its approved nominee: recorded with a justification."""

    UNIQUE_MESSAGES = {
        ("periode", "jabatan", "pegawai"): "Pengangkatan pegawai ini ke jabatan ini pada periode ini sudah dicatat."
    }

    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="+")
    jabatan = models.ForeignKey(Jabatan, on_delete=models.PROTECT, related_name="+")
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    terdeteksi = models.DateTimeField(default=timezone.now)
    justifikasi = models.TextField(blank=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = PegawaiRowQuerySet.as_manager()

    class Meta:
        verbose_name = "pengangkatan di luar rencana"
        verbose_name_plural = "pengangkatan di luar rencana"
        constraints = [models.UniqueConstraint(fields=["periode", "jabatan", "pegawai"], name="pengangkatan_luar_once")]

    def __str__(self):
        return f"{self.pegawai_id} → {self.jabatan_id}"


class ItemRencanaQuerySet(ScopedQuerySet):
    instansi_lookup = "nominasi__instansi_id"
    # The items of an ASN's own development plan, with their status.
    pegawai_lookup = "nominasi__pegawai_id"
    unit_lookup = "nominasi__pegawai__jabatan__unit_kerja_id"


class ItemRencana(models.Model):
    """One item of a nominee's development plan (Rencana Pengembangan Individu)."""

    class Jenis(models.TextChoices):
        PELATIHAN = "pelatihan", "Pelatihan/diklat"
        PENDIDIKAN = "pendidikan", "Pendidikan formal/tugas belajar"
        MENTORING = "mentoring", "Mentoring"
        COACHING = "coaching", "Coaching"
        ROTASI = "rotasi", "Rotasi/penugasan"

    class Status(models.TextChoices):
        RENCANA = "rencana", "Direncanakan"
        BERJALAN = "berjalan", "Berjalan"
        SELESAI = "selesai", "Selesai"
        BATAL = "batal", "Dibatalkan"

    nominasi = models.ForeignKey(Nominasi, on_delete=models.CASCADE, related_name="rencana")
    kompetensi = models.CharField(max_length=40, choices=KOMPETENSI, blank=True)
    kesenjangan = models.PositiveSmallIntegerField("kesenjangan level", null=True, blank=True)
    judul = models.CharField(max_length=200)
    jenis = models.CharField(max_length=12, choices=Jenis.choices)
    tanggal_target = models.DateField("target selesai")
    mentor = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RENCANA)
    bukti = models.TextField("bukti/catatan", blank=True)
    diubah = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ItemRencanaQuerySet.as_manager()

    class Meta:
        ordering = ["tanggal_target", "id"]
        verbose_name = "item rencana pengembangan"
        verbose_name_plural = "item rencana pengembangan"

    def __str__(self):
        return self.judul

    @property
    def terlambat(self) -> bool:
        return self.status in (self.Status.RENCANA, self.Status.BERJALAN) and self.tanggal_target < timezone.localdate()
