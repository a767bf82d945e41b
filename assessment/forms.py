from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from asn.models import Instansi
from asn.reference import KOMPETENSI_FIELDS

from .models import Asesmen, HukumanDisiplin, Periode, Skema, SkpResult
from .services import SCHEME_NUMBER_FIELDS, skema_validate, skp_predikat

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
            cleaned["predikat"] = skp_predikat(
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
