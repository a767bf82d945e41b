from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.validators import MaxLengthValidator

from talenta.tabular import size_error
from talenta.widgets import use_filter_selects

from . import nip as nip_rules
from .models import Golongan, Jenjang, Pegawai, Role, User
from .permissions import INSTANSI_ROLES
from .selectors import instansi_for_user, jabatan_for_user, unit_kerja_for_user
from .services import IMPORT_KINDS, INSTANSI_WIDE_KINDS


class LoginForm(AuthenticationForm):
    """Django's Indonesian catalogue puts "nama pengguna" before the field's own label
    ("nama pengguna nama pengguna"); the message is written out once here instead."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Nama pengguna atau sandi salah. Huruf besar dan kecil dibedakan.",
    }


class PegawaiRulesMixin:
    """The checks every pegawai form makes (pages and admin): golongan of the jenis ASN, a valid NIP."""

    def clean(self):
        cleaned = super().clean()
        golongan, jenis = cleaned.get("golongan"), cleaned.get("jenis_asn")
        if golongan and jenis and golongan.jenis_asn != jenis:
            self.add_error(
                "golongan",
                f"Golongan {golongan.kode} adalah golongan {golongan.jenis_asn}, "
                f"tidak sesuai dengan jenis ASN {jenis}.",
            )
        nip = cleaned.get("nip")
        if nip and jenis:
            try:
                nip_rules.decode(nip, jenis)
            except forms.ValidationError as exc:
                self.add_error("nip", exc)
        return cleaned


class PegawaiForm(PegawaiRulesMixin, forms.ModelForm):
    class Meta:
        model = Pegawai
        fields = [
            "nip",
            "nama",
            "gelar_depan",
            "gelar_belakang",
            "jenis_asn",
            "jabatan",
            "golongan",
            "pendidikan",
            "tmt_jabatan",
        ]
        widgets = {"tmt_jabatan": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"nip": "18 digit; spasi boleh diketik, mis. 19860926 201505 1 001."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jabatan"].queryset = jabatan_for_user(user=user).order_by(
            "unit_kerja__instansi__kode", "unit_kerja__nama", "nama"
        )
        self.fields["jabatan"].label_from_instance = lambda j: (f"{j.unit_kerja.nama} — {j.nama} ({j.jenjang.nama})")
        # Spaces between the NIP groups may be typed; they are removed before the 18-digit check.
        self.fields["nip"].max_length = 25
        self.fields["nip"].validators = [MaxLengthValidator(25)]
        self.fields["nip"].widget.attrs["maxlength"] = 25

    def clean_nip(self):
        return nip_rules.normalize(self.cleaned_data["nip"])


class PegawaiFilterForm(forms.Form):
    q = forms.CharField(label="Cari NIP atau nama", required=False)
    instansi = forms.ModelChoiceField(queryset=None, required=False, empty_label="Semua instansi")
    unit_kerja = forms.ModelChoiceField(queryset=None, required=False, empty_label="Semua unit")
    jenjang = forms.ModelChoiceField(queryset=Jenjang.objects.all(), required=False, empty_label="Semua jenjang")
    golongan = forms.ModelChoiceField(queryset=Golongan.objects.all(), required=False, empty_label="Semua golongan")
    jenis_asn = forms.ChoiceField(
        label="Jenis ASN", required=False, choices=[("", "PNS dan PPPK"), *Pegawai.JenisAsn.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_kerja"].queryset = unit_kerja_for_user(user=user)
        if user.sees_all_instansi:
            self.fields["instansi"].queryset = instansi_for_user(user=user)
            # Every instansi has its "Dinas Kesehatan": name the instansi too.
            self.fields["unit_kerja"].label_from_instance = lambda u: f"{u.nama} — {u.instansi.nama}"
        else:
            del self.fields["instansi"]
        self.fields["golongan"].label_from_instance = lambda g: g.kode
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
            )
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["placeholder"] = "NIP atau nama"
        use_filter_selects(self)

    def lookups(self) -> dict:
        data = self.cleaned_data
        return {
            "instansi": data.get("instansi"),
            "jabatan__unit_kerja": data.get("unit_kerja"),
            "jabatan__jenjang": data.get("jenjang"),
            "golongan": data.get("golongan"),
            "jenis_asn": data.get("jenis_asn"),
        }


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label="Jenis data", choices=[])
    file = forms.FileField(label="Berkas (.xlsx atau .csv)")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # An Operator OPD is offered the kinds it may import (services.INSTANSI_WIDE_KINDS are not).
        self.fields["kind"].choices = [
            (k, h.label) for k, h in IMPORT_KINDS.items() if actor.can_write_data or k not in INSTANSI_WIDE_KINDS
        ]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("Berkas harus berformat .xlsx atau .csv.")
        if uploaded.size == 0:
            raise forms.ValidationError("Berkas kosong.")
        too_big = size_error(uploaded.size, max_bytes=settings.IMPORT_MAX_BYTES)
        if too_big:
            raise forms.ValidationError(too_big)
        return uploaded


# --- user accounts ----------------------------------------------------------------------------------


class UserRoleRulesMixin:
    """The role rules of every account form (pages and Django admin), those of the database constraint
    `user_role_instansi_consistent`: operator, PPK and Tim Talenta act for one instansi, a BKN monitor for
    none, an admin for one instansi or (left empty) for all."""

    def clean(self):
        cleaned = super().clean()
        role, instansi = cleaned.get("role"), cleaned.get("instansi")
        if role in INSTANSI_ROLES and instansi is None:
            self.add_error("instansi", f"Peran {Role(role).label} wajib memilih instansi.")
        elif role == Role.BKN and instansi is not None:
            self.add_error("instansi", "Monitor BKN tidak terikat pada satu instansi; kosongkan instansi.")
        return cleaned


class UserAccountForm(UserRoleRulesMixin, forms.ModelForm):
    """Open or change an account; the roles and instansi offered are those the actor may assign."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "nip", "email", "role", "instansi", "unit_kerja"]
        help_texts = {
            "username": "Huruf, angka dan @ . + - _ saja; dipakai untuk masuk.",
            "instansi": "Wajib untuk operator, PPK dan Tim Talenta; kosong untuk monitor BKN dan admin provinsi.",
            "unit_kerja": "Hanya untuk Operator OPD: unit kerja yang pegawainya ia kelola.",
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # An ASN account belongs to a pegawai record: opened in bulk (`asn_accounts_create`), and
        # its role is not changed by hand (the account would lose or keep a pegawai it should not).
        self.fields["role"].choices = [
            (r.value, r.label) for r in Role if r in actor.manageable_roles and r != Role.PEGAWAI
        ]
        if self.instance.role == Role.PEGAWAI and self.instance.pk is not None:
            self.fields["role"].choices = [(Role.PEGAWAI.value, Role.PEGAWAI.label)]
            self.fields["role"].disabled = True
        self.fields["unit_kerja"].queryset = unit_kerja_for_user(user=actor).select_related("instansi")
        self.fields["unit_kerja"].required = False
        instansi = self.fields["instansi"]
        instansi.queryset = instansi_for_user(user=actor)
        instansi.empty_label = "— tanpa instansi —"
        if not actor.sees_all_instansi:
            # An instansi's own staff open accounts of that instansi only.
            if self.instance.pk is None:
                self.initial["instansi"] = actor.instansi_id
            instansi.disabled = True
            instansi.help_text = ""
        # Spaces between the NIP groups may be typed; they are removed before the 18-digit check.
        self.fields["nip"].max_length = 25
        self.fields["nip"].validators = [MaxLengthValidator(25)]
        self.fields["nip"].widget.attrs["maxlength"] = 25

    def clean_nip(self):
        nip = nip_rules.normalize(self.cleaned_data["nip"])
        if nip and not (nip.isdigit() and len(nip) == 18):
            raise forms.ValidationError("NIP terdiri dari 18 digit.")
        return nip


class AsnAccountsForm(forms.Form):
    """Which instansi's ASN accounts to open (asked only of those who see every instansi)."""

    instansi = forms.ModelChoiceField(queryset=None, empty_label="— pilih instansi —")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instansi"].queryset = instansi_for_user(user=actor)


class UserFilterForm(forms.Form):
    q = forms.CharField(label="Cari nama pengguna atau nama", required=False)
    instansi = forms.ModelChoiceField(queryset=None, required=False, empty_label="Semua instansi")
    role = forms.ChoiceField(label="Peran", required=False)
    aktif = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Aktif dan nonaktif"), ("1", "Aktif"), ("0", "Nonaktif")]
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "Semua peran")] + [
            (r.value, r.label) for r in Role if r in actor.manageable_roles
        ]
        if actor.sees_all_instansi:
            self.fields["instansi"].queryset = instansi_for_user(user=actor)
        else:
            del self.fields["instansi"]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
            )
        self.fields["q"].widget.input_type = "search"

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        aktif = {"1": True, "0": False}.get(data["aktif"])
        return {"query": data["q"], "instansi": data.get("instansi"), "role": data["role"], "aktif": aktif}


class PasswordSetForm(SetPasswordForm):
    """Django's form (AUTH_PASSWORD_VALIDATORS), noting in the account history how the password was set."""

    def save(self, commit=True):
        self.user._change_reason = "Sandi diatur lewat tautan sekali pakai"
        self.user.wajib_ganti_sandi = False
        return super().save(commit=commit)


class PasswordChangeRequiredForm(PasswordChangeForm):
    """The owner replaces a one-time password (or any password) with their own."""

    def save(self, commit=True):
        self.user._change_reason = "Sandi diganti oleh pemiliknya"
        self.user.wajib_ganti_sandi = False
        return super().save(commit=commit)
