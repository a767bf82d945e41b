import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from asn.models import Instansi, Jenjang, Pegawai, PegawaiRowQuerySet, ScopedQuerySet, UniqueMessages
from asn.reference import KOMPETENSI

from . import scoring


class PegawaiOwnedQuerySet(ScopedQuerySet):
    instansi_lookup = "pegawai__instansi_id"
    pegawai_lookup = "pegawai_id"
    unit_lookup = "pegawai__jabatan__unit_kerja_id"


def _level_field(label):
    return models.PositiveSmallIntegerField(label, validators=[MinValueValidator(1), MaxValueValidator(5)])


class SkpResult(UniqueMessages, models.Model):
    """One year's SKP result (PermenPANRB 6/2022)."""

    UNIQUE_MESSAGES = {("pegawai", "tahun"): "Hasil SKP pegawai ini untuk tahun ini sudah ada."}

    Predikat = models.TextChoices("Predikat", [(p, p) for p in scoring.PREDIKAT])
    Rating = models.TextChoices("Rating", [(r, r) for r in scoring.RATING])

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="skp")
    tahun = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000)])
    predikat = models.CharField(max_length=20, choices=Predikat.choices)
    rating_hasil_kerja = models.CharField("rating hasil kerja", max_length=20, choices=Rating.choices, blank=True)
    rating_perilaku = models.CharField("rating perilaku", max_length=20, choices=Rating.choices, blank=True)
    diubah = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PegawaiOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-tahun"]
        verbose_name = "hasil SKP"
        verbose_name_plural = "hasil SKP"
        constraints = [
            models.UniqueConstraint(fields=["pegawai", "tahun"], name="skp_one_per_year"),
            models.CheckConstraint(condition=Q(tahun__gte=2000), name="skp_tahun_from_2000"),
            models.CheckConstraint(condition=Q(predikat__in=scoring.PREDIKAT), name="skp_predikat_valid"),
            models.CheckConstraint(
                condition=Q(rating_hasil_kerja="", rating_perilaku="")
                | Q(rating_hasil_kerja__in=scoring.RATING, rating_perilaku__in=scoring.RATING),
                name="skp_ratings_both_or_none",
            ),
        ]

    def __str__(self):
        return f"SKP {self.tahun}: {self.predikat}"

    def clean(self):
        message = skp_tahun_error(self.tahun, self.pegawai.tmt_cpns if self.pegawai_id else None)
        if message:
            raise ValidationError({"tahun": message})


def skp_tahun_error(tahun: int | None, tmt_cpns: dt.date | None) -> str | None:
    """Why an SKP year cannot be recorded for this pegawai, or None; the form and the import both ask.

    No one is assessed for a year before they entered service; tmt_cpns is decoded from the NIP
    (PNS only; a PPPK has none, so nothing is checked for them).
    """
    if tmt_cpns and tahun and tahun < tmt_cpns.year:
        return (
            f"Tahun SKP {tahun} sebelum TMT CPNS pegawai ini ({tmt_cpns:%m/%Y}); SKP hanya untuk tahun sejak TMT CPNS."
        )
    return None


class Asesmen(UniqueMessages, models.Model):
    """A competency and potential assessment result (valid 3 years, Peraturan BKN 26/2019)."""

    UNIQUE_MESSAGES = {("pegawai", "tanggal_asesmen"): "Hasil asesmen pegawai ini pada tanggal ini sudah ada."}

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="asesmen")
    tanggal_asesmen = models.DateField("tanggal asesmen")
    lembaga = models.CharField("lembaga penyelenggara", max_length=200, blank=True)
    skor_potensi = models.DecimalField(
        "skor potensi",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    integritas = _level_field("Integritas")
    kerja_sama = _level_field("Kerja Sama")
    komunikasi = _level_field("Komunikasi")
    orientasi_pada_hasil = _level_field("Orientasi pada Hasil")
    pelayanan_publik = _level_field("Pelayanan Publik")
    pengembangan_diri_dan_orang_lain = _level_field("Pengembangan Diri dan Orang Lain")
    mengelola_perubahan = _level_field("Mengelola Perubahan")
    pengambilan_keputusan = _level_field("Pengambilan Keputusan")
    perekat_bangsa = _level_field("Perekat Bangsa")
    diubah = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PegawaiOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-tanggal_asesmen"]
        verbose_name = "hasil asesmen"
        verbose_name_plural = "hasil asesmen"
        constraints = [
            models.UniqueConstraint(fields=["pegawai", "tanggal_asesmen"], name="asesmen_one_per_day"),
            models.CheckConstraint(
                condition=Q(skor_potensi__gte=0, skor_potensi__lte=100), name="asesmen_skor_potensi_0_100"
            ),
            models.CheckConstraint(
                condition=Q(
                    **{f"{field}__gte": 1 for field, _ in KOMPETENSI},
                    **{f"{field}__lte": 5 for field, _ in KOMPETENSI},
                ),
                name="asesmen_levels_1_5",
            ),
        ]

    def __str__(self):
        return f"Asesmen {self.tanggal_asesmen:%d-%m-%Y}"

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(getattr(self, field) for field, _ in KOMPETENSI)


class HukumanDisiplin(UniqueMessages, models.Model):
    UNIQUE_MESSAGES = {
        ("pegawai", "tanggal_sk", "tingkat"): "Hukuman disiplin dengan tingkat dan tanggal SK ini sudah tercatat."
    }

    Tingkat = models.TextChoices("Tingkat", [(t, t) for t in scoring.TINGKAT_DISIPLIN])

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="hukuman_disiplin")
    tingkat = models.CharField(max_length=10, choices=Tingkat.choices)
    tanggal_sk = models.DateField("tanggal SK")
    keterangan = models.TextField(blank=True)
    diubah = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PegawaiOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-tanggal_sk"]
        verbose_name = "hukuman disiplin"
        verbose_name_plural = "hukuman disiplin"
        constraints = [
            models.UniqueConstraint(fields=["pegawai", "tanggal_sk", "tingkat"], name="disiplin_unique"),
            models.CheckConstraint(condition=Q(tingkat__in=scoring.TINGKAT_DISIPLIN), name="disiplin_tingkat_valid"),
        ]

    def __str__(self):
        return f"Hukuman disiplin {self.tingkat} ({self.tanggal_sk:%d-%m-%Y})"


class Periode(UniqueMessages, models.Model):
    """One mapping period per tahun, shared by all instansi (default-scheme.md §1)."""

    UNIQUE_MESSAGES = {("tahun",): "Periode untuk tahun ini sudah ada."}

    class Status(models.TextChoices):
        DRAFT = "draft", "Draf"
        OPEN = "open", "Terbuka"
        CLOSED = "closed", "Ditutup"

    tahun = models.PositiveSmallIntegerField(unique=True)
    tanggal_acuan = models.DateField("tanggal acuan")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    dibuat = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-tahun"]
        verbose_name_plural = "periode"
        constraints = [
            models.CheckConstraint(condition=Q(tanggal_acuan__year=F("tahun")), name="periode_acuan_in_tahun"),
            models.CheckConstraint(condition=Q(status__in=["draft", "open", "closed"]), name="periode_status_valid"),
        ]

    def __str__(self):
        return f"Periode {self.tahun}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class SkemaQuerySet(models.QuerySet):
    def for_user(self, user):
        """The default scheme is visible to everyone; an instansi's versions to its own users."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_instansi:
            return self
        return self.filter(Q(instansi__isnull=True) | Q(instansi_id=user.instansi_id))

    def default(self):
        return self.get(instansi__isnull=True, bawaan=True)


class Skema(UniqueMessages, models.Model):
    """One immutable version of a scoring scheme; changing numbers means a new version."""

    UNIQUE_MESSAGES = {("instansi", "nama"): "Skema dengan nama ini sudah ada di instansi ini."}

    nama = models.CharField(max_length=100)
    instansi = models.ForeignKey(
        Instansi, on_delete=models.PROTECT, null=True, blank=True, related_name="skema", help_text="kosong = bawaan"
    )
    bawaan = models.BooleanField(default=False, help_text="skema bawaan untuk instansi yang tidak memilih")
    disalin_dari = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    bobot_kompetensi = models.DecimalField(max_digits=5, decimal_places=2)
    bobot_potensi = models.DecimalField(max_digits=5, decimal_places=2)
    bobot_kualifikasi = models.DecimalField(max_digits=5, decimal_places=2)
    bobot_disiplin = models.DecimalField("bobot rekam jejak disiplin", max_digits=5, decimal_places=2)
    skor_predikat = models.JSONField("skor predikat SKP")
    skor_pendidikan = models.JSONField("skor pendidikan")
    skor_disiplin = models.JSONField("skor rekam jejak disiplin")
    batas_kinerja_atas = models.DecimalField("batas Di Atas Ekspektasi", max_digits=5, decimal_places=2)
    batas_kinerja_sesuai = models.DecimalField("batas Sesuai Ekspektasi", max_digits=5, decimal_places=2)
    batas_potensial_tinggi = models.DecimalField("batas potensial Tinggi", max_digits=5, decimal_places=2)
    batas_potensial_menengah = models.DecimalField("batas potensial Menengah", max_digits=5, decimal_places=2)
    jumlah_tahun_skp = models.PositiveSmallIntegerField("jumlah tahun SKP", default=2)
    masa_berlaku_asesmen_tahun = models.PositiveSmallIntegerField("masa berlaku asesmen (tahun)", default=3)
    jendela_disiplin_tahun = models.PositiveSmallIntegerField("jendela hukuman disiplin (tahun)", default=2)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    objects = SkemaQuerySet.as_manager()

    class Meta:
        ordering = ["instansi__kode", "nama"]
        verbose_name = "skema penilaian"
        verbose_name_plural = "skema penilaian"
        constraints = [
            models.UniqueConstraint(fields=["instansi", "nama"], name="skema_unique_nama_per_instansi"),
            models.UniqueConstraint(fields=["bawaan"], condition=Q(bawaan=True), name="skema_one_default"),
            models.CheckConstraint(
                condition=Q(
                    bobot_kompetensi__gte=0, bobot_potensi__gte=0, bobot_kualifikasi__gte=0, bobot_disiplin__gte=0
                ),
                name="skema_bobot_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(bobot_kompetensi=100 - F("bobot_potensi") - F("bobot_kualifikasi") - F("bobot_disiplin")),
                name="skema_bobot_sum_100",
            ),
            models.CheckConstraint(
                condition=Q(batas_kinerja_atas__gt=F("batas_kinerja_sesuai"))
                & Q(batas_potensial_tinggi__gt=F("batas_potensial_menengah")),
                name="skema_batas_ordered",
            ),
        ]

    def __str__(self):
        return self.nama

    def params(self) -> scoring.SchemeParams:
        def decimals(mapping):
            return {key: Decimal(str(value)) for key, value in mapping.items()}

        return scoring.SchemeParams(
            bobot_kompetensi=self.bobot_kompetensi,
            bobot_potensi=self.bobot_potensi,
            bobot_kualifikasi=self.bobot_kualifikasi,
            bobot_disiplin=self.bobot_disiplin,
            skor_predikat=decimals(self.skor_predikat),
            skor_pendidikan=decimals(self.skor_pendidikan),
            skor_disiplin=decimals(self.skor_disiplin),
            batas_kinerja_atas=self.batas_kinerja_atas,
            batas_kinerja_sesuai=self.batas_kinerja_sesuai,
            batas_potensial_tinggi=self.batas_potensial_tinggi,
            batas_potensial_menengah=self.batas_potensial_menengah,
            jumlah_tahun_skp=self.jumlah_tahun_skp,
            masa_berlaku_asesmen_tahun=self.masa_berlaku_asesmen_tahun,
            jendela_disiplin_tahun=self.jendela_disiplin_tahun,
        )


class PilihanSkema(UniqueMessages, models.Model):
    """The scheme version an instansi uses in a period; without one, the default scheme."""

    UNIQUE_MESSAGES = {("periode", "instansi"): "Instansi ini sudah memilih skema untuk periode ini."}

    periode = models.ForeignKey(Periode, on_delete=models.CASCADE, related_name="pilihan_skema")
    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    skema = models.ForeignKey(Skema, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "pilihan skema"
        verbose_name_plural = "pilihan skema"
        constraints = [models.UniqueConstraint(fields=["periode", "instansi"], name="pilihan_skema_unique")]

    def __str__(self):
        return f"{self.periode}: {self.skema}"


class Penempatan(models.Model):
    """The computed (and possibly calibrated) place of one pegawai in one period."""

    # Placements are derived: only the pipeline writes them, from the very periode, instansi, jenjang
    # and skema rows it has just read under the pair's lock, and those rows are deleted only through
    # Django, whose PROTECT is checked in Python and needs no database constraint. The constraints
    # cost four row-by-row checks per written placement at commit (docs/scale.md), so they are left
    # out of the database; each column keeps its index. The pegawai reference keeps its constraint:
    # pegawai are entered and imported by people, and a placement must not outlive its pegawai.
    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="penempatan", db_constraint=False)
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="penempatan")
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    jenjang = models.ForeignKey(Jenjang, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    skema = models.ForeignKey(Skema, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    skor_kinerja = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    kategori_kinerja = models.CharField(max_length=20, blank=True)
    skor_potensial = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    kategori_potensial = models.CharField(max_length=10, blank=True)
    jpm = models.DecimalField("JPM", max_digits=6, decimal_places=2, null=True)
    jpm_berikutnya = models.DecimalField("JPM berikutnya", max_digits=6, decimal_places=2, null=True)
    komponen_kompetensi = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    komponen_potensi = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    komponen_kualifikasi = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    komponen_disiplin = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    kotak_hitung = models.PositiveSmallIntegerField("kotak hasil hitung", null=True)
    kotak = models.PositiveSmallIntegerField("kotak akhir", null=True)
    krs = models.BooleanField("anggota KRS", default=False)
    label_krs = models.CharField("label KRS", max_length=30, blank=True)
    alasan_krs = models.TextField("alasan di luar KRS", blank=True)
    lengkap = models.BooleanField(default=False)
    alasan = models.TextField("alasan tidak lengkap", blank=True)
    skp_lengkap = models.BooleanField("SKP semua tahun ada", default=False)
    rincian = models.JSONField(default=dict)
    dihitung = models.DateTimeField("dihitung pada")
    # A hash of everything the recompute writes into this row: a recompute that finds the same hash
    # leaves the row alone, so a refresh with nothing changed writes nothing.
    sidik = models.BigIntegerField("sidik hasil hitung", null=True, editable=False)

    # A placement belongs to the instansi it was computed for: a pegawai who moved on leaves their
    # old placements with the old instansi.
    objects = PegawaiRowQuerySet.as_manager()

    class Meta:
        verbose_name = "penempatan"
        verbose_name_plural = "penempatan"
        constraints = [
            models.UniqueConstraint(fields=["periode", "pegawai"], name="penempatan_one_per_periode"),
            models.CheckConstraint(
                condition=Q(kotak_hitung__isnull=True) | Q(kotak_hitung__gte=1, kotak_hitung__lte=9),
                name="penempatan_kotak_hitung_1_9",
            ),
            models.CheckConstraint(
                condition=Q(kotak__isnull=True) | Q(kotak__gte=1, kotak__lte=9), name="penempatan_kotak_1_9"
            ),
            models.CheckConstraint(
                condition=Q(lengkap=False, kotak_hitung__isnull=True, kotak__isnull=True, krs=False)
                | Q(lengkap=True, kotak_hitung__isnull=False, kotak__isnull=False),
                name="penempatan_box_only_when_complete",
            ),
        ]
        indexes = [
            # The nine-box map: one period and instansi grouped by box and reason, read from the
            # index alone (PostgreSQL covering index; other databases ignore `include`).
            models.Index(fields=["periode", "instansi", "kotak"], include=["alasan"], name="penempatan_peta"),
        ]

    def __str__(self):
        return f"{self.periode} — {self.pegawai_id}"


class RapatTalentReview(models.Model):
    """A talent-review meeting of one instansi in one period, where the talent team calibrates."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draf"
        FINAL = "final", "Final"

    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="rapat")
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="rapat_talent_review")
    tanggal = models.DateField()
    tempat = models.CharField(max_length=200)
    ketua = models.CharField("ketua rapat", max_length=200)
    catatan = models.TextField(blank=True)
    batas_sebaran_persen = models.PositiveSmallIntegerField(
        "batas sebaran per kotak (%)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="peringatan bila satu kotak memuat lebih dari persentase ini",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    difinalkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    difinalkan_pada = models.DateTimeField(null=True, blank=True)
    # The box distribution before and after the meeting, taken at finalisation: the Berita Acara
    # reports what the committee decided, whatever later recomputes do to the live map.
    sebaran_final = models.JSONField("sebaran kotak saat final", null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-tanggal", "-id"]
        verbose_name = "rapat talent review"
        verbose_name_plural = "rapat talent review"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["draft", "final"]), name="rapat_status_valid"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(difinalkan_pada__isnull=False), name="rapat_final_has_time"
            ),
        ]

    def __str__(self):
        return f"Rapat talent review {self.instansi} {self.tanggal:%d-%m-%Y}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class AnggotaQuerySet(ScopedQuerySet):
    instansi_lookup = "rapat__instansi_id"


class AnggotaRapat(models.Model):
    """An attendee; those linked to a user account may move people on the grid."""

    class Peran(models.TextChoices):
        KETUA = "ketua", "Ketua"
        SEKRETARIS = "sekretaris", "Sekretaris"
        ANGGOTA = "anggota", "Anggota"

    rapat = models.ForeignKey(RapatTalentReview, on_delete=models.CASCADE, related_name="anggota")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    nama = models.CharField(max_length=200)
    nip = models.CharField("NIP", max_length=18, blank=True)
    pangkat = models.CharField("pangkat/golongan", max_length=100, blank=True)
    jabatan = models.CharField(max_length=200, blank=True)
    peran = models.CharField(max_length=12, choices=Peran.choices, default=Peran.ANGGOTA)

    history = HistoricalRecords()
    objects = AnggotaQuerySet.as_manager()

    class Meta:
        ordering = ["peran", "nama"]
        verbose_name = "anggota rapat"
        verbose_name_plural = "anggota rapat"
        constraints = [
            models.UniqueConstraint(
                fields=["rapat", "user"], condition=Q(user__isnull=False), name="anggota_rapat_user_once"
            )
        ]

    def __str__(self):
        return self.nama


class KonflikKepentingan(UniqueMessages, models.Model):
    """A member's declared conflict of interest with one pegawai: they may not move that person."""

    UNIQUE_MESSAGES = {("anggota", "pegawai"): "Konflik kepentingan anggota ini dengan pegawai ini sudah dicatat."}

    class Jenis(models.TextChoices):
        KELUARGA = "keluarga", "Hubungan keluarga"
        ATASAN_LANGSUNG = "atasan_langsung", "Atasan langsung"
        LAINNYA = "lainnya", "Lainnya"

    rapat = models.ForeignKey(RapatTalentReview, on_delete=models.CASCADE, related_name="konflik")
    anggota = models.ForeignKey(AnggotaRapat, on_delete=models.CASCADE, related_name="konflik")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="+")
    jenis = models.CharField(max_length=20, choices=Jenis.choices)
    keterangan = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "konflik kepentingan"
        verbose_name_plural = "konflik kepentingan"
        constraints = [models.UniqueConstraint(fields=["anggota", "pegawai"], name="konflik_once_per_member_pegawai")]

    def __str__(self):
        return f"{self.anggota} — {self.pegawai_id} ({self.get_jenis_display()})"


class KalibrasiQuerySet(ScopedQuerySet):
    instansi_lookup = "penempatan__instansi_id"
    # An ASN sees the calibrations of their own placement: they may object to them.
    pegawai_lookup = "penempatan__pegawai_id"
    unit_lookup = "penempatan__pegawai__jabatan__unit_kerja_id"


class Kalibrasi(models.Model):
    """One proposed move of a placement to another box in a meeting.

    Provisional while the meeting is a draft; once the meeting is finalised, the latest move of the
    latest finalised meeting is the placement's final box.
    """

    class JenisAlasan(models.TextChoices):
        BUKTI_KINERJA = "bukti_kinerja", "Bukti kinerja terbaru"
        HASIL_ASESMEN = "hasil_asesmen", "Hasil asesmen baru"
        KONTEKS_PENUGASAN = "konteks_penugasan", "Konteks penugasan"
        KOREKSI_DATA = "koreksi_data", "Koreksi data"

    rapat = models.ForeignKey(RapatTalentReview, on_delete=models.PROTECT, related_name="kalibrasi")
    penempatan = models.ForeignKey(Penempatan, on_delete=models.CASCADE, related_name="kalibrasi")
    kotak_hitung = models.PositiveSmallIntegerField("kotak hasil hitung")
    kotak_sebelumnya = models.PositiveSmallIntegerField("kotak sebelumnya dalam rapat")
    kotak_baru = models.PositiveSmallIntegerField("kotak baru")
    # Blank only on moves recorded before reasons were asked for; the service requires one.
    jenis_alasan = models.CharField("alasan", max_length=20, choices=JenisAlasan.choices, blank=True)
    alasan = models.TextField("justifikasi")
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    waktu = models.DateTimeField(auto_now_add=True)
    # A second member's agreement, for a move of more than one box on an axis or into box 9. A member
    # who leaves the meeting takes their agreement with them.
    disetujui_oleh = models.ForeignKey(
        AnggotaRapat, on_delete=models.SET_NULL, null=True, blank=True, related_name="persetujuan"
    )
    disetujui_pada = models.DateTimeField(null=True, blank=True)
    # Set by a recompute whose computed box differs from `kotak_hitung`: review at the next meeting.
    perlu_ditinjau = models.BooleanField("perlu ditinjau", default=False)
    kotak_hitung_terbaru = models.PositiveSmallIntegerField("kotak hasil hitung terbaru", null=True, blank=True)

    history = HistoricalRecords()
    objects = KalibrasiQuerySet.as_manager()

    class Meta:
        ordering = ["-waktu", "-id"]
        verbose_name = "kalibrasi"
        verbose_name_plural = "kalibrasi"
        constraints = [
            models.CheckConstraint(
                condition=Q(kotak_baru__gte=1, kotak_baru__lte=9)
                & Q(kotak_hitung__gte=1, kotak_hitung__lte=9)
                & Q(kotak_sebelumnya__gte=1, kotak_sebelumnya__lte=9),
                name="kalibrasi_kotak_1_9",
            ),
            models.CheckConstraint(condition=~Q(alasan=""), name="kalibrasi_alasan_required"),
        ]
        indexes = [models.Index(fields=["penempatan", "-waktu"], name="kalibrasi_latest")]

    def __str__(self):
        return f"Kalibrasi {self.kotak_sebelumnya} → {self.kotak_baru}"


class TahapanInstansi(models.Model):
    """A step of an instansi along BKN's follow-through pipeline; the latest one is its stage."""

    class Tahap(models.TextChoices):
        BELUM_MEMULAI = "belum_memulai", "Belum memulai"
        BERPROSES = "berproses", "Berproses"
        EKSPOSE = "ekspose", "Ekspose ke BKN"
        DISETUJUI = "disetujui", "Disetujui BKN"
        BERJALAN = "berjalan", "Berjalan"

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="tahapan")
    tahap = models.CharField(max_length=20, choices=Tahap.choices)
    sejak = models.DateField("sejak tanggal")
    catatan = models.TextField(blank=True)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    dicatat_pada = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-sejak", "-id"]
        verbose_name = "tahapan instansi"
        verbose_name_plural = "tahapan instansi"
        constraints = [
            models.CheckConstraint(
                condition=Q(tahap__in=["belum_memulai", "berproses", "ekspose", "disetujui", "berjalan"]),
                name="tahapan_valid",
            )
        ]
        indexes = [models.Index(fields=["instansi", "-sejak", "-id"], name="tahapan_terbaru")]

    def __str__(self):
        return f"{self.instansi}: {self.get_tahap_display()} sejak {self.sejak:%d-%m-%Y}"


class Perhitungan(models.Model):
    """Where the derived data of one instansi in one period stands (the recompute pipeline's state).

    Kept in the database, not the cache: a page must say when its figures were computed and whether a
    recompute is queued or running even when the cache is down, and the queue flag coalesces a burst of
    changes into one run with a plain conditional UPDATE.
    """

    periode = models.ForeignKey(Periode, on_delete=models.CASCADE, related_name="perhitungan")
    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="perhitungan")
    diantrekan = models.DateTimeField("diantrekan pada", null=True, blank=True)
    dimulai = models.DateTimeField("dimulai pada", null=True, blank=True)
    selesai = models.DateTimeField("selesai pada", null=True, blank=True)
    jumlah_penempatan = models.PositiveIntegerField(default=0)
    jumlah_target = models.PositiveIntegerField(default=0)
    galat = models.TextField("galat terakhir", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "perhitungan"
        verbose_name_plural = "perhitungan"
        constraints = [models.UniqueConstraint(fields=["periode", "instansi"], name="perhitungan_unique")]

    def __str__(self):
        return f"{self.periode} — {self.instansi_id}"


class ExportJob(models.Model):
    """A large export written in the background, downloaded from its page when ready.

    Who may see it follows the owner's scope, as for imports: its `instansi` is the owner's
    (empty for province-wide users), so an export only ever holds what its viewers may read.
    """

    class Kind(models.TextChoices):
        PETA_TALENTA = "peta_talenta", "Peta talenta"
        KANDIDAT = "kandidat", "Kandidat suksesi"

    class Status(models.TextChoices):
        PENDING = "pending", "Menunggu"
        RUNNING = "running", "Sedang disusun"
        DONE = "done", "Siap diunduh"
        FAILED = "failed", "Gagal"

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx)"
        CSV = "csv", "CSV"

    kind = models.CharField("jenis ekspor", max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.XLSX)
    periode = models.ForeignKey(Periode, on_delete=models.CASCADE, related_name="+")
    # The instansi exported; empty: every instansi the owner sees.
    instansi_ekspor = models.ForeignKey(Instansi, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    # The owner's instansi (empty for province-wide users): who may see the job and its file.
    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    total_rows = models.PositiveIntegerField("jumlah baris", default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField("nama berkas", max_length=200)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "ekspor data"
        verbose_name_plural = "ekspor data"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "done", "failed"]), name="exportjob_status_valid"
            )
        ]

    def __str__(self):
        return self.filename

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.RUNNING}


class Simulasi(models.Model):
    """A what-if run of a scheme version for one instansi, or the whole province, in a period, before
    it is adopted.

    Its placements go to `SimulasiPenempatan`, never to the official tables; the diff page compares
    them with the official placements, and adopting it chooses the scheme for the period.
    """

    class Status(models.TextChoices):
        ANTRE = "antre", "Menunggu giliran"
        BERJALAN = "berjalan", "Sedang dihitung"
        SELESAI = "selesai", "Selesai"
        GAGAL = "gagal", "Gagal"

    periode = models.ForeignKey(Periode, on_delete=models.CASCADE, related_name="+")
    # Empty: a province-wide run (started by a province admin) over every instansi, one after another.
    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    skema = models.ForeignKey(Skema, on_delete=models.PROTECT, related_name="+")
    # The scheme the instansi used when the run started: what the diff compares against. Empty for a
    # province-wide run, where each instansi is compared with its own official placements.
    skema_berlaku = models.ForeignKey(Skema, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ANTRE)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuat = models.DateTimeField(auto_now_add=True)
    dimulai = models.DateTimeField(null=True, blank=True)
    selesai = models.DateTimeField(null=True, blank=True)
    jumlah = models.PositiveIntegerField("jumlah pegawai dihitung", default=0)
    pesan = models.TextField(blank=True)
    diadopsi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    diadopsi_pada = models.DateTimeField(null=True, blank=True)
    justifikasi = models.TextField(blank=True)
    dasar_hukum = models.CharField("dasar hukum", max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-dibuat", "-id"]
        verbose_name = "simulasi skema"
        verbose_name_plural = "simulasi skema"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["antre", "berjalan", "selesai", "gagal"]), name="simulasi_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(diadopsi_pada__isnull=True) | (~Q(justifikasi="") & ~Q(dasar_hukum="")),
                name="simulasi_adoption_justified",
            ),
        ]

    def __str__(self):
        return f"Simulasi {self.skema} ({self.instansi or 'seluruh provinsi'}, {self.periode})"

    @property
    def is_province(self) -> bool:
        return self.instansi_id is None

    @property
    def cakupan(self) -> str:
        """What the run covers, as its pages and exports name it."""
        return self.instansi.nama if self.instansi else "Seluruh provinsi"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.ANTRE, self.Status.BERJALAN)


class SimulasiPenempatan(models.Model):
    """One pegawai's placement in a simulation: the scratch copy of what the recompute would write."""

    simulasi = models.ForeignKey(Simulasi, on_delete=models.CASCADE, related_name="penempatan")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="+")
    skor_kinerja = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    skor_potensial = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    kotak_hitung = models.PositiveSmallIntegerField("kotak hasil hitung", null=True)
    kotak = models.PositiveSmallIntegerField("kotak akhir", null=True)
    krs = models.BooleanField("anggota KRS", default=False)
    lengkap = models.BooleanField(default=False)
    # The assessment the placement read (its levels rank a KRS member among a target's candidates).
    asesmen = models.ForeignKey(Asesmen, on_delete=models.CASCADE, null=True, related_name="+")

    class Meta:
        verbose_name = "penempatan simulasi"
        verbose_name_plural = "penempatan simulasi"
        constraints = [models.UniqueConstraint(fields=["simulasi", "pegawai"], name="simulasi_penempatan_once")]

    def __str__(self):
        return f"{self.simulasi_id}: {self.pegawai_id} → {self.kotak}"
