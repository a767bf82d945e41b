"""The objection (keberatan) loop: an instansi opens a window per period, an ASN files an objection
against one component of their placement with evidence, the operator reviews it and the Tim
Talenta decides it with a written reason (recorded in the instansi's decision chain). And the
portfolio: an ASN proposes additions with evidence, which count once the operator verifies them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from asn.models import Instansi, Pegawai, PegawaiRowQuerySet, ScopedQuerySet, UniqueMessages
from assessment.models import Periode


class JendelaQuerySet(ScopedQuerySet):
    # When an instansi accepts objections says nothing about anyone: its ASN read it to know
    # whether they may file one.
    shared_with_asn = True


class JendelaKeberatan(UniqueMessages, models.Model):
    """The dates, inclusive, between which the ASN of an instansi may object to a period's result."""

    UNIQUE_MESSAGES = {("periode", "instansi"): "Jendela keberatan instansi ini untuk periode ini sudah ada."}

    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="jendela_keberatan")
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="jendela_keberatan")
    dibuka = models.DateField("tanggal dibuka")
    ditutup = models.DateField("tanggal ditutup")
    diubah_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    diubah = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL)
    objects = JendelaQuerySet.as_manager()

    class Meta:
        verbose_name = "jendela keberatan"
        verbose_name_plural = "jendela keberatan"
        ordering = ["-periode__tahun", "instansi__kode"]
        constraints = [
            models.UniqueConstraint(fields=["periode", "instansi"], name="jendela_keberatan_unik"),
            models.CheckConstraint(condition=Q(ditutup__gte=F("dibuka")), name="jendela_keberatan_urut"),
        ]

    def __str__(self):
        return f"Jendela keberatan {self.instansi_id} periode {self.periode_id}"

    def clean(self):
        if self.dibuka and self.ditutup and self.ditutup < self.dibuka:
            raise ValidationError({"ditutup": "Tanggal ditutup tidak boleh sebelum tanggal dibuka."})

    def is_open_on(self, day) -> bool:
        return self.dibuka <= day <= self.ditutup


ONE_OPEN_PER_COMPONENT = "Anda masih memiliki keberatan yang belum diputuskan untuk komponen ini pada periode ini."


class Keberatan(models.Model):
    class Komponen(models.TextChoices):
        SKP = "skp", "Kinerja (SKP)"
        ASESMEN = "asesmen", "Asesmen kompetensi"
        DISIPLIN = "disiplin", "Hukuman disiplin"
        DATA_INDUK = "data_induk", "Data induk pegawai"

    class Kategori(models.TextChoices):
        DATA_TIDAK_SESUAI = "data_tidak_sesuai", "Data tidak sesuai dokumen"
        DATA_BELUM_TERCATAT = "data_belum_tercatat", "Data belum tercatat"
        DATA_KEDALUWARSA = "data_kedaluwarsa", "Data sudah tidak berlaku"
        PERHITUNGAN = "perhitungan", "Perhitungan tidak sesuai"
        LAINNYA = "lainnya", "Lainnya"

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", "Diajukan"
        DITINJAU = "ditinjau", "Ditinjau operator"
        DITERIMA = "diterima", "Diterima"
        DITOLAK = "ditolak", "Ditolak"

    # Still waiting for a decision: at most one of these per pegawai, period and component.
    OPEN_STATUSES = (Status.DIAJUKAN, Status.DITINJAU)
    DECIDED_STATUSES = (Status.DITERIMA, Status.DITOLAK)

    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="keberatan")
    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="keberatan")
    # The instansi the objection was filed with: it stays there if the pegawai moves on.
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="keberatan")
    komponen = models.CharField(max_length=20, choices=Komponen.choices)
    kategori = models.CharField(max_length=30, choices=Kategori.choices)
    uraian = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DIAJUKAN)
    diajukan = models.DateTimeField("waktu diajukan", auto_now_add=True)
    diajukan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ditinjau = models.DateTimeField("waktu ditinjau", null=True, blank=True)
    ditinjau_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    catatan_tinjauan = models.TextField("catatan tinjauan operator", blank=True)
    diputuskan = models.DateTimeField("waktu diputuskan", null=True, blank=True)
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    alasan_keputusan = models.TextField("alasan keputusan", blank=True)

    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL)
    objects = PegawaiRowQuerySet.as_manager()

    class Meta:
        verbose_name = "keberatan"
        verbose_name_plural = "keberatan"
        ordering = ["-diajukan", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai", "periode", "komponen"],
                condition=Q(status__in=["diajukan", "ditinjau"]),
                name="keberatan_satu_terbuka_per_komponen",
                violation_error_message=ONE_OPEN_PER_COMPONENT,
            ),
            models.CheckConstraint(
                condition=Q(komponen__in=["skp", "asesmen", "disiplin", "data_induk"]), name="keberatan_komponen_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["diajukan", "ditinjau", "diterima", "ditolak"]), name="keberatan_status_valid"
            ),
            # A decision always has its time, its author and its written reason.
            models.CheckConstraint(
                condition=Q(status__in=["diajukan", "ditinjau"])
                | (Q(diputuskan__isnull=False, diputuskan_oleh__isnull=False) & ~Q(alasan_keputusan="")),
                name="keberatan_keputusan_lengkap",
            ),
        ]
        indexes = [models.Index(fields=["instansi", "status", "diajukan"], name="keberatan_instansi_status")]

    def __str__(self):
        return f"Keberatan #{self.pk} {self.get_komponen_display()}"


class BuktiQuerySet(ScopedQuerySet):
    instansi_lookup = "keberatan__instansi_id"
    pegawai_lookup = "keberatan__pegawai_id"
    unit_lookup = "keberatan__pegawai__jabatan__unit_kerja_id"


class EvidenceFile(models.Model):
    """An evidence file (PDF or JPG), kept under MEDIA_ROOT (never served by URL) and read only
    through its view; an objection's and a portfolio proposal's are alike but for what they prove."""

    class Jenis(models.TextChoices):
        PDF = "pdf", "PDF"
        JPG = "jpg", "JPG"

    nama_asli = models.CharField("nama berkas", max_length=255)
    jenis = models.CharField(max_length=3, choices=Jenis.choices)
    ukuran = models.PositiveIntegerField("ukuran (byte)")
    diunggah = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.nama_asli

    @property
    def content_type(self) -> str:
        return "application/pdf" if self.jenis == self.Jenis.PDF else "image/jpeg"


class BuktiKeberatan(EvidenceFile):
    keberatan = models.ForeignKey(Keberatan, on_delete=models.PROTECT, related_name="bukti")
    berkas = models.FileField(upload_to="keberatan/%Y/%m/", max_length=255)

    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL)
    objects = BuktiQuerySet.as_manager()

    class Meta:
        verbose_name = "bukti keberatan"
        verbose_name_plural = "bukti keberatan"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(jenis__in=["pdf", "jpg"]), name="bukti_keberatan_jenis_valid")
        ]


class UsulanQuerySet(PegawaiRowQuerySet):
    def verified(self):
        """The proposals that count: only what the operator has checked against the evidence."""
        return self.filter(status=UsulanPortofolio.Status.DIVERIFIKASI)


class UsulanPortofolio(models.Model):
    """An addition to an ASN's portfolio proposed by the ASN themselves (a diklat with its JP, an
    award, an education), with evidence; it counts nowhere until the operator has verified it."""

    class Jenis(models.TextChoices):
        DIKLAT = "diklat", "Pelatihan/diklat"
        PENGHARGAAN = "penghargaan", "Penghargaan"
        PENDIDIKAN = "pendidikan", "Pendidikan"

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", "Menunggu verifikasi"
        DIVERIFIKASI = "diverifikasi", "Diverifikasi"
        DITOLAK = "ditolak", "Ditolak"

    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="usulan_portofolio")
    # The instansi the proposal was made to: it stays there if the pegawai moves on.
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="usulan_portofolio")
    jenis = models.CharField(max_length=12, choices=Jenis.choices)
    judul = models.CharField("nama kegiatan/penghargaan/pendidikan", max_length=255)
    penyelenggara = models.CharField("penyelenggara/pemberi", max_length=255)
    tanggal = models.DateField("tanggal (selesai/diterima/lulus)")
    jp = models.PositiveIntegerField("jumlah jam pelajaran (JP)", null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DIAJUKAN)
    diajukan = models.DateTimeField("waktu diajukan", auto_now_add=True)
    diajukan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    catatan = models.TextField("catatan verifikasi", blank=True)
    diverifikasi = models.DateTimeField("waktu verifikasi", null=True, blank=True)
    diverifikasi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL)
    objects = UsulanQuerySet.as_manager()

    class Meta:
        verbose_name = "usulan portofolio"
        verbose_name_plural = "usulan portofolio"
        ordering = ["-tanggal", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(jenis__in=["diklat", "penghargaan", "pendidikan"]), name="usulan_portofolio_jenis_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["diajukan", "diverifikasi", "ditolak"]), name="usulan_portofolio_status_valid"
            ),
            # A diklat counts by its hours: without JP it says nothing.
            models.CheckConstraint(condition=~Q(jenis="diklat") | Q(jp__gt=0), name="usulan_portofolio_diklat_ber_jp"),
            # A verification always has its time and its author; a refusal also its reason.
            models.CheckConstraint(
                condition=Q(status="diajukan")
                | (
                    Q(diverifikasi__isnull=False, diverifikasi_oleh__isnull=False)
                    & (Q(status="diverifikasi") | ~Q(catatan=""))
                ),
                name="usulan_portofolio_verifikasi_lengkap",
            ),
        ]
        indexes = [models.Index(fields=["instansi", "status", "diajukan"], name="usulan_portofolio_status")]

    def __str__(self):
        return f"Usulan portofolio #{self.pk} {self.judul}"

    def clean(self):
        if self.jenis == self.Jenis.DIKLAT and not self.jp:
            raise ValidationError({"jp": "Isikan jumlah jam pelajaran (JP) diklat, lebih dari 0."})


class BuktiPortofolioQuerySet(ScopedQuerySet):
    instansi_lookup = "usulan__instansi_id"
    pegawai_lookup = "usulan__pegawai_id"
    unit_lookup = "usulan__pegawai__jabatan__unit_kerja_id"


class BuktiPortofolio(EvidenceFile):
    usulan = models.ForeignKey(UsulanPortofolio, on_delete=models.PROTECT, related_name="bukti")
    berkas = models.FileField(upload_to="portofolio/%Y/%m/", max_length=255)

    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL)
    objects = BuktiPortofolioQuerySet.as_manager()

    class Meta:
        verbose_name = "bukti portofolio"
        verbose_name_plural = "bukti portofolio"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(jenis__in=["pdf", "jpg"]), name="bukti_portofolio_jenis_valid")
        ]
