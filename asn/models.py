from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.db.models.lookups import Contains
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from . import nip as nip_rules
from . import permissions
from .permissions import INSTANSI_ROLES, Role
from .reference import KOMPETENSI


class UniqueMessages:
    """A unique violation said as one Indonesian sentence, for forms and the Django admin.

    Django's own message glues labels together ("Periode dengan Tahun telah ada."); a model lists
    its unique field sets in `UNIQUE_MESSAGES` with the sentence to show instead.
    """

    UNIQUE_MESSAGES: dict[tuple[str, ...], str] = {}

    def unique_error_message(self, model_class, unique_check):
        message = self.UNIQUE_MESSAGES.get(tuple(unique_check))
        if message is None:
            return super().unique_error_message(model_class, unique_check)
        return ValidationError(message, code="unique")


class ScopedQuerySet(models.QuerySet):
    """The one place where tenancy is decided: every instansi-owned model reads through here."""

    # Lookup from the model to the id of its instansi, overridden per model.
    instansi_lookup = "instansi_id"
    # Lookup from the model to the pegawai a row is about. None: the row is about no single
    # pegawai, so an ASN (role Pegawai) never sees it: their own rows only, everything else 404.
    pegawai_lookup: str | None = None
    # Lookup from the model to the unit kerja a row belongs to. None: an instansi-wide row,
    # which an Operator OPD reads like the rest of its instansi.
    unit_lookup: str | None = None
    # An instansi-wide row that says nothing about other people (the instansi itself, when its
    # data was computed): an ASN reads it for their own instansi.
    shared_with_asn = False

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_instansi:
            return self
        if user.instansi_id is None:
            return self.none()
        scoped = self.filter(**{self.instansi_lookup: user.instansi_id})
        if user.role == Role.PEGAWAI:
            if self.shared_with_asn:
                return scoped
            if self.pegawai_lookup is None or user.pegawai_id is None:
                return self.none()
            return scoped.filter(**{self.pegawai_lookup: user.pegawai_id})
        if user.role == Role.OPERATOR_OPD and self.unit_lookup is not None:
            return scoped.filter(**{f"{self.unit_lookup}__in": user.unit_kerja.values("pk")})
        return scoped


class PegawaiRowQuerySet(ScopedQuerySet):
    """Rows about one pegawai that carry their own instansi (placements, nominations, objections …):
    the row stays with the instansi it was made for when the pegawai later moves on."""

    pegawai_lookup = "pegawai_id"
    unit_lookup = "pegawai__jabatan__unit_kerja_id"


class InstansiQuerySet(ScopedQuerySet):
    instansi_lookup = "pk"
    shared_with_asn = True


class Instansi(models.Model):
    class Jenis(models.TextChoices):
        PROVINSI = "provinsi", "Provinsi"
        KABUPATEN = "kabupaten", "Kabupaten"
        KOTA = "kota", "Kota"

    kode = models.CharField("kode Kemendagri", max_length=4, unique=True)
    nama = models.CharField(max_length=100)
    jenis = models.CharField(max_length=10, choices=Jenis.choices)
    nama_bkd = models.CharField("instansi pengelola kepegawaian", max_length=200)
    singkatan_bkd = models.CharField(max_length=20)
    jabatan_ppk = models.CharField("jabatan PPK", max_length=100)

    objects = InstansiQuerySet.as_manager()

    class Meta:
        ordering = ["kode"]
        verbose_name_plural = "instansi"
        constraints = [
            models.CheckConstraint(
                condition=Q(jenis__in=["provinsi", "kabupaten", "kota"]), name="instansi_jenis_valid"
            )
        ]

    def __str__(self):
        return self.nama

    @property
    def nama_pemerintah(self):
        return f"Pemerintah {self.nama}"


class UserQuerySet(ScopedQuerySet):
    """Accounts belong to an instansi like its data: outsiders never see them."""


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # The default role (operator) needs an instansi; the first administrator, made by
        # `createsuperuser` before any other account exists, is a province-wide admin.
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class UserHistory(HistoricalRecords):
    """Account history without a row per login: a login only touches `last_login`."""

    def post_save(self, instance, created, using=None, **kwargs):
        if kwargs.get("update_fields") == frozenset({"last_login"}):
            return
        super().post_save(instance, created, using=using, **kwargs)


class User(AbstractUser):
    role = models.CharField("peran", max_length=20, choices=Role.choices, default=Role.OPERATOR)
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    nip = models.CharField("NIP", max_length=18, blank=True)
    # The pegawai whose own account this is (role Pegawai): their username is their NIP.
    pegawai = models.OneToOneField("asn.Pegawai", on_delete=models.PROTECT, null=True, blank=True, related_name="akun")
    # The unit kerja an Operator OPD works for; empty for every other role.
    unit_kerja = models.ManyToManyField("asn.UnitKerja", blank=True, related_name="operator_opd")
    # Set for an account opened with a one-time password: its first sign-in leads to a new password.
    wajib_ganti_sandi = models.BooleanField("wajib mengganti sandi", default=False)

    # Who opened, changed, deactivated an account; the password hash is never copied.
    history = UserHistory(excluded_fields=["password", "last_login"], user_model=settings.AUTH_USER_MODEL)
    objects = UserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(role__in=[r.value for r in Role]), name="user_role_valid"),
            # Operators and PPKs act for exactly one instansi; BKN monitors for none.
            models.CheckConstraint(
                condition=(
                    Q(role__in=[r.value for r in INSTANSI_ROLES], instansi__isnull=False)
                    | Q(role=Role.BKN, instansi__isnull=True)
                    | Q(role=Role.ADMIN)
                ),
                name="user_role_instansi_consistent",
            ),
            # An ASN account is always the account of one pegawai, and only that role has one.
            models.CheckConstraint(
                condition=(
                    Q(role=Role.PEGAWAI, pegawai__isnull=False) | (~Q(role=Role.PEGAWAI) & Q(pegawai__isnull=True))
                ),
                name="user_pegawai_only_for_asn",
            ),
        ]

    # What a user may do: the rules of asn.permissions, as properties templates can read.
    @property
    def sees_all_instansi(self) -> bool:
        return permissions.sees_all_instansi(self)

    @property
    def scope_instansi_id(self) -> int | None:
        return permissions.scope_instansi_id(self)

    @property
    def scope_instansi(self):
        return permissions.scope_instansi(self)

    @property
    def can_write_data(self) -> bool:
        return permissions.can_write_data(self)

    def may_write_instansi(self, instansi_id: int) -> bool:
        return permissions.may_write_instansi(self, instansi_id)

    @property
    def can_write_records(self) -> bool:
        return permissions.can_write_records(self)

    def may_write_records_in(self, instansi_id: int, unit_kerja_id: int | None = None) -> bool:
        return permissions.may_write_records_in(self, instansi_id, unit_kerja_id)

    def may_write_pegawai(self, pegawai) -> bool:
        """The records of this pegawai (where their jabatan is now)."""
        return self.may_write_records_in(pegawai.instansi_id, pegawai.jabatan.unit_kerja_id)

    @cached_property
    def unit_kerja_ids(self) -> frozenset[int]:
        """The units of an Operator OPD, read once per request."""
        return frozenset(self.unit_kerja.values_list("pk", flat=True)) if self.pk else frozenset()

    @property
    def can_manage_periods(self) -> bool:
        return permissions.can_manage_periods(self)

    @property
    def can_review_talent(self) -> bool:
        return permissions.can_review_talent(self)

    def may_review_instansi(self, instansi_id: int) -> bool:
        return permissions.may_review_instansi(self, instansi_id)

    def is_ppk_of(self, instansi_id: int) -> bool:
        return permissions.is_ppk_of(self, instansi_id)

    def may_decide_nominations(self, instansi_id: int) -> bool:
        return permissions.may_decide_nominations(self, instansi_id)

    def may_manage_scheme(self, instansi_id: int) -> bool:
        return permissions.may_manage_scheme(self, instansi_id)

    def may_draft_succession_decree(self, instansi_id: int) -> bool:
        return permissions.may_draft_succession_decree(self, instansi_id)

    @property
    def can_file_objection(self) -> bool:
        return permissions.can_file_objection(self)

    @property
    def can_see_objections(self) -> bool:
        return permissions.can_see_objections(self)

    def may_manage_objection_window(self, instansi_id: int) -> bool:
        return permissions.may_manage_objection_window(self, instansi_id)

    def may_review_objection(self, instansi_id: int) -> bool:
        return permissions.may_review_objection(self, instansi_id)

    def may_decide_objection(self, instansi_id: int) -> bool:
        return permissions.may_decide_objection(self, instansi_id)

    @property
    def sees_objection_deadlines(self) -> bool:
        return permissions.sees_objection_deadlines(self)

    @property
    def can_propose_portfolio(self) -> bool:
        return permissions.can_propose_portfolio(self)

    @property
    def can_see_portfolio_proposals(self) -> bool:
        return permissions.can_see_portfolio_proposals(self)

    def may_verify_portfolio(self, usulan) -> bool:
        """The proposal's pegawai as they are now (where their jabatan is)."""
        return permissions.may_verify_portfolio(self, usulan.instansi_id, usulan.pegawai.jabatan.unit_kerja_id)

    @property
    def can_see_province_dashboard(self) -> bool:
        return permissions.can_see_province_dashboard(self)

    @property
    def can_set_stage(self) -> bool:
        return permissions.can_set_stage(self)

    @property
    def can_verify_decisions(self) -> bool:
        return permissions.can_verify_decisions(self)

    @property
    def is_talenta_admin(self) -> bool:
        return permissions.is_talenta_admin(self)

    @property
    def is_asn_account(self) -> bool:
        return permissions.is_asn_account(self)

    @property
    def manageable_roles(self) -> frozenset:
        return permissions.manageable_roles(self)

    @property
    def can_manage_users(self) -> bool:
        return permissions.can_manage_users(self)

    def may_assign(self, *, role: str, instansi_id: int | None) -> bool:
        return permissions.may_assign(self, role=role, instansi_id=instansi_id)

    def may_manage_account(self, account) -> bool:
        return permissions.may_manage_account(self, account)

    def may_manage_tokens(self, owner) -> bool:
        return permissions.may_manage_tokens(self, owner)


class Golongan(models.Model):
    """PNS golongan/ruang (I/a–IV/e) or PPPK golongan (I–XVII); the code is the key."""

    kode = models.CharField(max_length=5, primary_key=True)
    jenis_asn = models.CharField(max_length=4)
    pangkat = models.CharField(max_length=60, blank=True)
    urutan = models.PositiveSmallIntegerField(help_text="Urutan dalam jenis ASN-nya, 1 = terendah")

    class Meta:
        ordering = ["jenis_asn", "urutan"]
        verbose_name_plural = "golongan"

    def __str__(self):
        return f"{self.pangkat} ({self.kode})" if self.pangkat else self.kode


class Jenjang(models.Model):
    class Kelompok(models.TextChoices):
        MANAJERIAL = "manajerial", "Manajerial"
        FUNGSIONAL_KEAHLIAN = "fungsional_keahlian", "Fungsional keahlian"
        FUNGSIONAL_KETERAMPILAN = "fungsional_keterampilan", "Fungsional keterampilan"
        PELAKSANA = "pelaksana", "Pelaksana"

    kode = models.CharField(max_length=20, primary_key=True)
    nama = models.CharField(max_length=30, unique=True)
    kelompok = models.CharField(max_length=30, choices=Kelompok.choices)
    level_standar = models.PositiveSmallIntegerField(
        "level kompetensi standar", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    bup = models.PositiveSmallIntegerField("batas usia pensiun")
    urutan = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["urutan"]
        verbose_name_plural = "jenjang"

    def __str__(self):
        return self.nama


class Pendidikan(models.Model):
    kode = models.CharField(max_length=4, primary_key=True)
    nama = models.CharField(max_length=60)
    urutan = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["urutan"]
        verbose_name_plural = "pendidikan"

    def __str__(self):
        return self.kode


class UnitKerjaQuerySet(ScopedQuerySet):
    unit_lookup = "pk"


class UnitKerja(models.Model):
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="unit_kerja")
    nama = models.CharField(max_length=200)
    # SIASN's UNOR ID: a unit renamed in SIASN keeps it, so the import renames ours instead of adding one.
    siasn_id = models.CharField("UNOR ID SIASN", max_length=64, blank=True, editable=False)

    objects = UnitKerjaQuerySet.as_manager()

    class Meta:
        ordering = ["nama"]
        verbose_name = "unit kerja"
        verbose_name_plural = "unit kerja"
        constraints = [
            # Units entered in Talenta are known by their name alone. SIASN's are known by their UNOR ID
            # and may share a leaf name ("Subbagian Umum" of several dinas).
            models.UniqueConstraint(
                fields=["instansi", "nama"],
                condition=Q(siasn_id=""),
                name="unit_kerja_unique_nama",
                violation_error_message="Unit kerja dengan nama ini sudah ada di instansi ini.",
            ),
            models.UniqueConstraint(
                fields=["instansi", "siasn_id"], condition=~Q(siasn_id=""), name="unit_kerja_unique_siasn_id"
            ),
        ]

    def __str__(self):
        return self.nama


class JabatanQuerySet(ScopedQuerySet):
    instansi_lookup = "unit_kerja__instansi_id"
    unit_lookup = "unit_kerja_id"


def _level_field(label):
    return models.PositiveSmallIntegerField(
        f"standar {label}",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )


class Jabatan(UniqueMessages, models.Model):
    """One jabatan name at one jenjang in one unit (default-scheme.md §4)."""

    UNIQUE_MESSAGES = {
        ("unit_kerja", "nama", "jenjang"): "Jabatan dengan nama dan jenjang ini sudah ada di unit kerja ini."
    }

    unit_kerja = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="jabatan")
    nama = models.CharField(max_length=200)
    jenjang = models.ForeignKey(Jenjang, on_delete=models.PROTECT, related_name="+")
    # SIASN's JABATAN ID within the unit: a jabatan renamed in SIASN keeps it (see UnitKerja.siasn_id).
    siasn_id = models.CharField("JABATAN ID SIASN", max_length=64, blank=True, editable=False)
    kritikal = models.BooleanField(default=False)
    # Recorded in the organisation structure (jabatan form or import), so it can be vacant;
    # a jabatan that only ever came from pegawai rows is not (default-scheme.md §7).
    dalam_struktur = models.BooleanField("tercatat dalam struktur", default=False)
    golongan_minimal = models.ForeignKey(
        Golongan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"jenis_asn": "PNS"},
        help_text="kosong = minimal bawaan jenjang bila jabatan ini menjadi target suksesi",
    )
    # The nine required levels; all empty means the default of the jenjang.
    std_integritas = _level_field("Integritas")
    std_kerja_sama = _level_field("Kerja Sama")
    std_komunikasi = _level_field("Komunikasi")
    std_orientasi_pada_hasil = _level_field("Orientasi pada Hasil")
    std_pelayanan_publik = _level_field("Pelayanan Publik")
    std_pengembangan_diri_dan_orang_lain = _level_field("Pengembangan Diri dan Orang Lain")
    std_mengelola_perubahan = _level_field("Mengelola Perubahan")
    std_pengambilan_keputusan = _level_field("Pengambilan Keputusan")
    std_perekat_bangsa = _level_field("Perekat Bangsa")

    history = HistoricalRecords()
    objects = JabatanQuerySet.as_manager()

    class Meta:
        ordering = ["nama"]
        verbose_name_plural = "jabatan"
        constraints = [
            models.UniqueConstraint(fields=["unit_kerja", "nama", "jenjang"], name="jabatan_unique_in_unit"),
            models.UniqueConstraint(
                fields=["unit_kerja", "siasn_id"], condition=~Q(siasn_id=""), name="jabatan_unique_siasn_id"
            ),
            models.CheckConstraint(
                condition=(
                    Q(**{f"std_{field}__isnull": True for field, _ in KOMPETENSI})
                    | Q(
                        # CHECK passes on NULL, so "all set" must say so explicitly.
                        **{f"std_{field}__isnull": False for field, _ in KOMPETENSI},
                        **{f"std_{field}__gte": 1 for field, _ in KOMPETENSI},
                        **{f"std_{field}__lte": 5 for field, _ in KOMPETENSI},
                    )
                ),
                name="jabatan_standar_all_or_none",
            ),
        ]

    def __str__(self):
        return f"{self.nama} ({self.jenjang_id and self.jenjang.nama})"

    @property
    def stored_levels(self) -> tuple | None:
        levels = tuple(getattr(self, f"std_{field}") for field, _ in KOMPETENSI)
        return None if levels[0] is None else levels

    @property
    def required_levels(self) -> tuple:
        """The nine required levels: the jabatan's own, else the jenjang default."""
        return self.stored_levels or (self.jenjang.level_standar,) * len(KOMPETENSI)


class PegawaiQuerySet(ScopedQuerySet):
    pegawai_lookup = "pk"
    unit_lookup = "jabatan__unit_kerja_id"

    def with_profile_relations(self):
        return self.select_related("instansi", "jabatan__unit_kerja", "jabatan__jenjang", "golongan", "pendidikan")


class Pegawai(models.Model):
    class JenisAsn(models.TextChoices):
        PNS = nip_rules.PNS, "PNS"
        PPPK = nip_rules.PPPK, "PPPK"

    class JenisKelamin(models.TextChoices):
        LAKI_LAKI = "L", "Laki-laki"
        PEREMPUAN = "P", "Perempuan"

    nip = models.CharField("NIP", max_length=18, unique=True, error_messages={"unique": "NIP ini sudah terdaftar."})
    nama = models.CharField(max_length=150)
    gelar_depan = models.CharField("gelar depan", max_length=50, blank=True)
    gelar_belakang = models.CharField("gelar belakang", max_length=80, blank=True)
    jenis_asn = models.CharField("jenis ASN", max_length=4, choices=JenisAsn.choices)
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="pegawai")
    jabatan = models.ForeignKey(Jabatan, on_delete=models.PROTECT, related_name="pemangku")
    golongan = models.ForeignKey(Golongan, on_delete=models.PROTECT, related_name="+")
    pendidikan = models.ForeignKey(
        Pendidikan, on_delete=models.PROTECT, related_name="+", verbose_name="pendidikan terakhir"
    )
    tmt_jabatan = models.DateField("TMT jabatan", null=True, blank=True)
    # SIASN's own id of the ASN: the key its talent mapping travels back to SIASN/SIMATA with.
    pns_id = models.CharField("PNS ID", max_length=64, blank=True, editable=False)
    # Decoded from the NIP and the jenjang; stored so that lists filter and sort in SQL.
    tanggal_lahir = models.DateField("tanggal lahir", editable=False)
    jenis_kelamin = models.CharField("jenis kelamin", max_length=1, choices=JenisKelamin.choices, editable=False)
    tmt_cpns = models.DateField("TMT CPNS", null=True, editable=False)
    tanggal_pensiun = models.DateField("tanggal pensiun (BUP)", editable=False)
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL)
    objects = PegawaiQuerySet.as_manager()

    class Meta:
        ordering = ["nama", "nip"]
        verbose_name_plural = "pegawai"
        constraints = [
            models.CheckConstraint(condition=Q(nip__regex=r"^[0-9]{18}$"), name="pegawai_nip_18"),
            models.UniqueConstraint(
                fields=["pns_id"],
                condition=~Q(pns_id=""),
                name="pegawai_pns_id_unique",
                violation_error_message="PNS ID ini sudah dipakai pegawai lain.",
            ),
            models.CheckConstraint(condition=Q(jenis_asn__in=["PNS", "PPPK"]), name="pegawai_jenis_asn_valid"),
            models.CheckConstraint(condition=Q(jenis_kelamin__in=["L", "P"]), name="pegawai_jenis_kelamin_valid"),
            # PNS golongan codes carry a ruang letter ("III/b"), PPPK codes never do ("IX").
            models.CheckConstraint(
                condition=Q(Q(jenis_asn="PNS"), Contains(F("golongan_id"), "/"))
                | Q(Q(jenis_asn="PPPK"), ~Q(Contains(F("golongan_id"), "/"))),
                name="pegawai_golongan_matches_jenis_asn",
            ),
        ]
        indexes = [
            # The pegawai list: one instansi, ordered by name.
            models.Index(fields=["instansi", "nama", "nip"], name="pegawai_instansi_nama"),
            # The province-wide list of BKN monitors, ordered by name.
            models.Index(fields=["nama", "nip"], name="pegawai_nama"),
        ]

    def __str__(self):
        return f"{self.nama_lengkap} ({self.nip})"

    @property
    def nama_lengkap(self) -> str:
        name = f"{self.gelar_depan} {self.nama}".strip()
        return f"{name}, {self.gelar_belakang}" if self.gelar_belakang else name

    @property
    def nip_formatted(self) -> str:
        return nip_rules.formatted(self.nip)

    def derive_from_nip(self, *, bup_years: int) -> None:
        """Fill the fields the NIP and the jenjang determine; raises ValidationError on a bad NIP."""
        info = nip_rules.decode(self.nip, self.jenis_asn)
        self.tanggal_lahir = info.tanggal_lahir
        self.jenis_kelamin = info.jenis_kelamin
        self.tmt_cpns = info.tmt_cpns
        self.tanggal_pensiun = nip_rules.retirement_date(info.tanggal_lahir, bup_years)


class ImportKind(models.TextChoices):
    PEGAWAI = "pegawai", "Pegawai"
    KINERJA = "kinerja", "Kinerja (SKP)"
    ASESMEN = "asesmen", "Asesmen"
    DISIPLIN = "disiplin", "Hukuman disiplin"
    JABATAN = "jabatan", "Jabatan (struktur dan standar kompetensi)"
    SIASN = "siasn", "Pegawai (SIASN)"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Menunggu validasi"
    VALIDATING = "validating", "Sedang divalidasi"
    INVALID = "invalid", "Tidak valid"
    # A SIASN file names values with no saved mapping yet: the operator answers before the preview.
    MAPPING = "mapping", "Menunggu pemetaan nilai"
    VALID = "valid", "Siap diimpor"
    IMPORTING = "importing", "Sedang diimpor"
    DONE = "done", "Selesai"
    FAILED = "failed", "Gagal"


class ImportJob(models.Model):
    """One uploaded file on its way through validation, preview and the all-or-nothing write."""

    Kind = ImportKind
    Status = ImportStatus

    kind = models.CharField("jenis data", max_length=20, choices=ImportKind.choices)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField("nama berkas", max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs")
    # The uploader's instansi (empty for province-wide admins): who may see the job.
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, null=True, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    # The unit kerja and jabatan the file would create (the preview lists them, near matches of
    # existing names marked): counts, the list and a fingerprint of the whole set.
    struktur = models.JSONField("struktur baru", default=dict, blank=True)
    # The fingerprint the operator accepted when confirming; the write refuses a file whose new
    # structure is not exactly the accepted one.
    struktur_diterima = models.CharField("struktur baru diterima", max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Every status change sets it: a running job whose status has not moved for long has lost its worker.
    status_changed_at = models.DateTimeField("status terakhir berubah", default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "impor data"
        verbose_name_plural = "impor data"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ImportStatus]), name="importjob_status_valid"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.original_name}"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.VALIDATING, self.Status.IMPORTING}


class PemetaanSiasn(models.Model):
    """How one instansi reads a SIASN value Talenta has no spelling of (siasn-format.md §1).

    Answered once in an import's preview, kept for the next monthly file, editable on its own page.
    """

    class Jenis(models.TextChoices):
        JENIS_PEGAWAI = "jenis_pegawai", "JENIS PEGAWAI NAMA → jenis ASN"
        PENDIDIKAN = "pendidikan", "TINGKAT PENDIDIKAN NAMA → pendidikan"
        INSTANSI = "instansi", "INSTANSI KERJA NAMA → instansi"
        JENJANG = "jenjang", "JABATAN NAMA → jenjang"

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="pemetaan_siasn")
    jenis = models.CharField(max_length=20, choices=Jenis.choices)
    # As SIASN writes it (inner spaces collapsed); matched case-insensitively.
    nilai_siasn = models.CharField("nilai SIASN", max_length=200)
    nilai_talenta = models.CharField("nilai Talenta", max_length=30)
    diubah = models.DateTimeField(auto_now=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["instansi", "jenis", "nilai_siasn"]
        verbose_name = "pemetaan nilai SIASN"
        verbose_name_plural = "pemetaan nilai SIASN"
        constraints = [
            models.UniqueConstraint("instansi", "jenis", Lower("nilai_siasn"), name="pemetaan_siasn_unique_nilai"),
            models.CheckConstraint(
                condition=Q(jenis__in=["jenis_pegawai", "pendidikan", "instansi", "jenjang"]),
                name="pemetaan_siasn_jenis_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_jenis_display()}: {self.nilai_siasn} → {self.nilai_talenta}"
