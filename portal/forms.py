from django import forms

from asn.models import Instansi
from assessment.models import Periode

from .models import Keberatan, UsulanPortofolio

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class KeberatanForm(forms.Form):
    """What an ASN says in an objection. It has no pegawai field: the pegawai is the account's own."""

    periode = forms.ModelChoiceField(queryset=Periode.objects.none(), empty_label=None)
    komponen = forms.ChoiceField(choices=Keberatan.Komponen.choices)
    kategori = forms.ChoiceField(choices=Keberatan.Kategori.choices)
    uraian = forms.CharField(
        label="Uraian keberatan", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, strip=True
    )

    def __init__(self, *args, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].queryset = Periode.objects.filter(pk__in=[w.periode_id for w in windows])
        self.fields["periode"].error_messages["invalid_choice"] = (
            "Jendela keberatan periode ini tidak sedang dibuka untuk instansi Anda."
        )


class TinjauanForm(forms.Form):
    catatan = forms.CharField(label="Catatan tinjauan", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class KeputusanForm(forms.Form):
    hasil = forms.ChoiceField(
        choices=[(Keberatan.Status.DITERIMA, "Diterima"), (Keberatan.Status.DITOLAK, "Ditolak")],
        widget=forms.RadioSelect,
    )
    alasan = forms.CharField(label="Alasan keputusan", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class JendelaForm(forms.Form):
    """The window's dates; saving an existing period and instansi moves its window (jendela_save)."""

    periode = forms.ModelChoiceField(queryset=Periode.objects.none(), empty_label=None)
    instansi = forms.ModelChoiceField(queryset=Instansi.objects.none(), empty_label=None)
    dibuka = forms.DateField(label="Tanggal dibuka", widget=DATE_WIDGET)
    ditutup = forms.DateField(label="Tanggal ditutup", widget=DATE_WIDGET)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].queryset = Periode.objects.exclude(status=Periode.Status.CLOSED)
        self.fields["instansi"].queryset = Instansi.objects.for_user(user)


FORGED_PEGAWAI = "Usulan portofolio hanya dapat diajukan untuk data Anda sendiri."


class UsulanPortofolioForm(forms.Form):
    """What an ASN proposes. It has no pegawai field: the pegawai is the account's own, and a
    request that names another one is refused rather than quietly filed for the account."""

    jenis = forms.ChoiceField(choices=UsulanPortofolio.Jenis.choices)
    judul = forms.CharField(label="Nama pelatihan/penghargaan/pendidikan", max_length=255)
    penyelenggara = forms.CharField(label="Penyelenggara/pemberi", max_length=255)
    tanggal = forms.DateField(label="Tanggal (selesai/diterima/lulus)", widget=DATE_WIDGET)
    jp = forms.IntegerField(
        label="Jam pelajaran (JP)", required=False, min_value=1, help_text="Wajib untuk pelatihan/diklat."
    )

    def __init__(self, *args, pegawai, **kwargs):
        super().__init__(*args, **kwargs)
        self.pegawai = pegawai
        self.fields["jp"].error_messages["min_value"] = "Jam pelajaran (JP) harus lebih dari 0."

    def clean(self):
        cleaned = super().clean()
        named = {self.data.get(key) for key in ("pegawai", "pegawai_id")} - {None, "", str(self.pegawai.pk)}
        if named:
            raise forms.ValidationError(FORGED_PEGAWAI)
        if cleaned.get("jenis") == UsulanPortofolio.Jenis.DIKLAT and not cleaned.get("jp"):
            self.add_error("jp", "Isikan jumlah jam pelajaran (JP) diklat, lebih dari 0.")
        return cleaned


class VerifikasiPortofolioForm(forms.Form):
    hasil = forms.ChoiceField(
        choices=[(UsulanPortofolio.Status.DIVERIFIKASI, "Diverifikasi"), (UsulanPortofolio.Status.DITOLAK, "Ditolak")],
        widget=forms.RadioSelect,
    )
    catatan = forms.CharField(
        label="Catatan (wajib bila ditolak)", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )
