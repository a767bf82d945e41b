from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from asn import nip as nip_rules
from asn.models import Golongan, Instansi, Jenjang, Pegawai, Role, UnitKerja, User
from asn.permissions import TALENT_REVIEW_ROLES
from asn.reference import KOMPETENSI_FIELDS
from talenta.widgets import use_filter_selects

from .models import (
    AnggotaRapat,
    Asesmen,
    HukumanDisiplin,
    Kalibrasi,
    KonflikKepentingan,
    Periode,
    RapatTalentReview,
    Skema,
    SkpResult,
)
from .scoring import predikat_given_or_derived
from .services import SCHEME_NUMBER_FIELDS, skema_validate

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _PegawaiRecordForm(forms.ModelForm):
    """A record of one pegawai; the natural key must stay unique for that pegawai."""

    key_fields: tuple[str, ...] = ()
    duplicate_message = ""

    def __init__(self, *args, pegawai, **kwargs):
        super().__init__(*args, **kwargs)
        self.pegawai = pegawai

    def clean(self):
        cleaned = super().clean()
        if all(cleaned.get(name) not in (None, "") for name in self.key_fields):
            others = (
                type(self.instance)
                .objects.filter(pegawai=self.pegawai, **{name: cleaned[name] for name in self.key_fields})
                .exclude(pk=self.instance.pk)
            )
            if others.exists():
                raise ValidationError(self.duplicate_message)
        return cleaned


class SkpForm(_PegawaiRecordForm):
    key_fields = ("tahun",)
    duplicate_message = "Hasil SKP tahun ini sudah tercatat; ubah data yang ada."

    class Meta:
        model = SkpResult
        fields = ["tahun", "predikat", "rating_hasil_kerja", "rating_perilaku"]
        help_texts = {"predikat": "Boleh dikosongkan bila kedua rating diisi: predikat diturunkan dari matriks."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["predikat"].required = False

    def clean_tahun(self):
        tahun = self.cleaned_data["tahun"]
        this_year = timezone.localdate().year
        if not 2000 <= tahun <= this_year:
            raise ValidationError(f"Tahun harus antara 2000 dan {this_year}.")
        return tahun

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["predikat"] = predikat_given_or_derived(
                predikat=cleaned.get("predikat") or "",
                rating_hasil_kerja=cleaned.get("rating_hasil_kerja") or "",
                rating_perilaku=cleaned.get("rating_perilaku") or "",
            )
        except ValidationError as exc:
            self.add_error("predikat", exc)
        return cleaned


class AsesmenForm(_PegawaiRecordForm):
    key_fields = ("tanggal_asesmen",)
    duplicate_message = "Sudah ada asesmen pada tanggal ini untuk pegawai ini."

    class Meta:
        model = Asesmen
        fields = ["tanggal_asesmen", "lembaga", "skor_potensi", *KOMPETENSI_FIELDS]
        widgets = {"tanggal_asesmen": DATE_WIDGET}

    def clean_tanggal_asesmen(self):
        tanggal = self.cleaned_data["tanggal_asesmen"]
        if tanggal > timezone.localdate():
            raise ValidationError("Tanggal asesmen tidak boleh melewati hari ini.")
        return tanggal


class DisiplinForm(_PegawaiRecordForm):
    key_fields = ("tanggal_sk", "tingkat")
    duplicate_message = "Hukuman disiplin dengan tingkat dan tanggal SK ini sudah tercatat."

    class Meta:
        model = HukumanDisiplin
        fields = ["tingkat", "tanggal_sk", "keterangan"]
        widgets = {"tanggal_sk": DATE_WIDGET, "keterangan": forms.Textarea(attrs={"rows": 3})}

    def clean_tanggal_sk(self):
        tanggal = self.cleaned_data["tanggal_sk"]
        if tanggal > timezone.localdate():
            raise ValidationError("Tanggal SK tidak boleh melewati hari ini.")
        return tanggal


class PeriodeForm(forms.ModelForm):
    class Meta:
        model = Periode
        fields = ["tahun", "tanggal_acuan", "status"]
        widgets = {"tanggal_acuan": DATE_WIDGET}

    def clean(self):
        cleaned = super().clean()
        tahun, acuan = cleaned.get("tahun"), cleaned.get("tanggal_acuan")
        if tahun and acuan and acuan.year != tahun:
            self.add_error("tanggal_acuan", f"Tanggal acuan harus berada di tahun {tahun}.")
        return cleaned


class SkemaCopyForm(forms.ModelForm):
    class Meta:
        model = Skema
        fields = ["nama", "instansi", *SCHEME_NUMBER_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        instansi = Instansi.objects.for_user(user)
        self.fields["instansi"].queryset = instansi
        self.fields["instansi"].required = True
        self.fields["instansi"].empty_label = None
        if not user.sees_all_instansi:
            self.fields["instansi"].disabled = True
            self.fields["instansi"].initial = user.instansi_id
        # Weights and thresholds in the house's decimal comma ("40" or "40,5", not "40.00"); a
        # type=number input can only show a point, so these are localized text inputs.
        for name in SCHEME_NUMBER_FIELDS:
            field = self.fields[name]
            field.localize = True
            field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
            field.widget.is_localized = True
            if self.initial.get(name) is not None:
                self.initial[name] = Decimal(self.initial[name]).normalize()

    def clean(self):
        cleaned = super().clean()
        if all(cleaned.get(name) is not None for name in SCHEME_NUMBER_FIELDS):
            try:
                skema_validate(cleaned)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field, messages)
        return cleaned

    def validate_unique(self):
        pass  # the service checks the (instansi, nama) pair with a clear message


class PilihSkemaForm(forms.Form):
    skema = forms.ModelChoiceField(queryset=None, required=False, empty_label="Skema bawaan")

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skema"].queryset = queryset


class AdopsiSkemaForm(forms.Form):
    justifikasi = forms.CharField(
        label="Justifikasi tertulis", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    dasar_hukum = forms.CharField(
        label="Dasar hukum",
        required=False,
        max_length=300,
        help_text="Pasal PermenPANRB atau nomor SK PPK yang mendasari skema ini.",
    )


# --- nine-box map and talent review -------------------------------------------------------------


def _small(form):
    for field in form.fields.values():
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        field.widget.attrs.setdefault("class", css)


class TalentMapFilterForm(forms.Form):
    """The map's filters; the counts follow them."""

    instansi = forms.ModelChoiceField(queryset=None, required=False, empty_label=None)
    unit_kerja = forms.ModelChoiceField(queryset=None, required=False, empty_label="Semua unit")
    jenjang = forms.ModelChoiceField(queryset=Jenjang.objects.all(), required=False, empty_label="Semua jenjang")
    kelompok = forms.ChoiceField(
        label="Jenis jabatan", required=False, choices=[("", "Semua jenis"), *Jenjang.Kelompok.choices]
    )
    golongan = forms.ModelChoiceField(queryset=Golongan.objects.all(), required=False, empty_label="Semua golongan")
    jenis_asn = forms.ChoiceField(
        label="Jenis ASN", required=False, choices=[("", "PNS dan PPPK"), *Pegawai.JenisAsn.choices]
    )
    jenis_kelamin = forms.ChoiceField(
        label="Jenis kelamin", required=False, choices=[("", "Semua"), *Pegawai.JenisKelamin.choices]
    )
    usia = forms.ChoiceField(
        label="Usia",
        required=False,
        choices=[("", "Semua usia"), ("<30", "< 30"), ("30-39", "30–39"), ("40-49", "40–49"), ("50+", "≥ 50")],
    )
    jpm = forms.ChoiceField(
        label="JPM",
        required=False,
        choices=[
            ("", "Semua JPM"),
            ("optimal", "Optimal (≥ 90)"),
            ("cukup", "Cukup Optimal (78–< 90)"),
            ("kurang", "Kurang Optimal (< 78)"),
            ("tanpa", "Tanpa asesmen berlaku"),
        ],
    )

    def __init__(self, *args, user, instansi, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instansi"].queryset = Instansi.objects.for_user(user)
        if not user.sees_all_instansi:
            del self.fields["instansi"]
        self.fields["unit_kerja"].queryset = UnitKerja.objects.for_user(user).filter(instansi=instansi)
        self.fields["golongan"].label_from_instance = lambda g: g.kode
        _small(self)
        use_filter_selects(self)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if name != "instansi" and value}


class RapatForm(forms.ModelForm):
    class Meta:
        model = RapatTalentReview
        fields = ["tanggal", "tempat", "ketua", "catatan", "batas_sebaran_persen"]
        widgets = {"tanggal": DATE_WIDGET, "catatan": forms.Textarea(attrs={"rows": 3})}


class AnggotaForm(forms.ModelForm):
    class Meta:
        model = AnggotaRapat
        fields = ["user", "nama", "nip", "pangkat", "jabatan", "peran"]
        labels = {"user": "Akun Talenta (boleh kosong untuk peserta tanpa akun)"}

    def __init__(self, *args, instansi, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            role__in=[Role.PPK, Role.TIM_TALENTA], instansi=instansi
        ).order_by("username")
        self.fields["user"].required = False


class KonflikForm(forms.ModelForm):
    nip = forms.CharField(label="NIP pegawai", max_length=25)

    class Meta:
        model = KonflikKepentingan
        fields = ["nip", "jenis", "keterangan"]

    def __init__(self, *args, instansi, **kwargs):
        super().__init__(*args, **kwargs)
        self.instansi = instansi

    def clean_nip(self):
        nip = nip_rules.normalize(self.cleaned_data["nip"])
        pegawai = Pegawai.objects.filter(nip=nip, instansi=self.instansi).first()
        if pegawai is None:
            raise ValidationError(f"NIP {nip} bukan pegawai instansi ini.")
        self.cleaned_data["pegawai"] = pegawai
        return nip


class KalibrasiForm(forms.Form):
    """The move without JavaScript: the same fields the drag-and-drop dialog posts.

    The person is the `penempatan` the page's finder (name or NIP) offered; the service checks that
    it belongs to the meeting.
    """

    penempatan = forms.IntegerField(
        required=True, error_messages={"required": "Cari pegawai dengan nama atau NIP, lalu pilih salah satu."}
    )
    kotak_baru = forms.TypedChoiceField(
        label="Pindahkan ke kotak", coerce=int, choices=[(n, f"Kotak {n}") for n in range(9, 0, -1)]
    )
    jenis_alasan = forms.ChoiceField(
        label="Alasan",
        choices=[("", "Pilih alasan"), *Kalibrasi.JenisAlasan.choices],
        required=False,  # the service refuses a missing one with the domain's message
    )
    alasan = forms.CharField(
        label="Justifikasi tertulis",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # the service refuses an empty one with the domain's message
        help_text="Minimal satu kalimat (20 karakter, 3 kata).",
    )


class KalibrasiFilterForm(forms.Form):
    oleh = forms.ModelChoiceField(queryset=None, required=False, empty_label="Semua anggota", label="Oleh")
    dari = forms.TypedChoiceField(
        label="Dari kotak", coerce=int, required=False, choices=[("", "Semua"), *[(n, n) for n in range(1, 10)]]
    )
    ke = forms.TypedChoiceField(
        label="Ke kotak", coerce=int, required=False, choices=[("", "Semua"), *[(n, n) for n in range(1, 10)]]
    )
    perlu_ditinjau = forms.BooleanField(label="Hanya yang perlu ditinjau", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        users = User.objects.filter(role__in=TALENT_REVIEW_ROLES)
        if not user.sees_all_instansi:
            users = users.filter(instansi=user.instansi_id)
        self.fields["oleh"].queryset = users.order_by("username")

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)} if self.is_valid() else {}
