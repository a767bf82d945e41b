from django import forms

from asn.models import Golongan, Jabatan, UnitKerja
from asn.reference import KOMPETENSI_FIELDS

from . import rules
from .models import ItemRencana


class JabatanForm(forms.ModelForm):
    class Meta:
        model = Jabatan
        fields = [
            "unit_kerja",
            "nama",
            "jenjang",
            "kritikal",
            "golongan_minimal",
            *[f"std_{f}" for f in KOMPETENSI_FIELDS],
        ]

    def __init__(self, *args, instansi, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_kerja"].queryset = UnitKerja.objects.filter(instansi=instansi)
        self.fields["golongan_minimal"].queryset = Golongan.objects.filter(jenis_asn="PNS")

    def clean(self):
        cleaned = super().clean()
        levels = [cleaned.get(f"std_{f}") for f in KOMPETENSI_FIELDS]
        if any(v is not None for v in levels) and any(v is None for v in levels):
            raise forms.ValidationError("Isi kesembilan level kompetensi standar, atau kosongkan semuanya.")
        return cleaned


class KeputusanForm(forms.Form):
    keputusan = forms.ChoiceField(choices=[("setujui", "Setujui"), ("tolak", "Tolak")])
    catatan = forms.CharField(label="Catatan", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class KesiapanForm(forms.Form):
    kesiapan = forms.ChoiceField(
        label="Kesiapan menurut PPK",
        required=False,
        choices=[("", "Pakai kesiapan bawaan"), *[(k, k) for k in rules.KESIAPAN]],
    )
    justifikasi = forms.CharField(label="Justifikasi", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class UrutanForm(forms.Form):
    # The rank is a small integer in the database; a form field keeps letters and huge numbers out.
    urutan = forms.IntegerField(
        min_value=1,
        max_value=999,
        error_messages={
            "required": "Isi urutan nominasi.",
            "invalid": "Urutan harus bilangan bulat, mis. 1.",
            "min_value": "Urutan paling kecil 1.",
            "max_value": "Urutan paling besar 999.",
        },
    )


class ItemRencanaForm(forms.ModelForm):
    class Meta:
        model = ItemRencana
        fields = ["judul", "kompetensi", "jenis", "tanggal_target", "mentor", "status", "bukti"]
        widgets = {
            "tanggal_target": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "bukti": forms.Textarea(attrs={"rows": 2}),
        }


class JustifikasiForm(forms.Form):
    justifikasi = forms.CharField(label="Justifikasi", widget=forms.Textarea(attrs={"rows": 2}), required=False)
