"""The tamper-evident decision log: one hash chain per instansi (and one for province-wide decisions).

An entry's hash is the SHA-256 of its canonical JSON, which includes the previous entry's hash, so
editing, deleting or inserting an entry breaks every link after it. The chain row keeps the head
(length and last hash) that pages and printed documents show, so a removed tail is seen too.
Entries are append-only: the code has no update or delete path, and on PostgreSQL a trigger refuses
UPDATE and DELETE on the entry table (migration 0002).
"""

from django.conf import settings
from django.db import models

from asn.models import Instansi

PROVINCE_CHAIN = "provinsi"


class RantaiKeputusan(models.Model):
    """One chain: its key (an instansi's kode, or "provinsi"), its head, and the last verification."""

    kunci = models.CharField(max_length=20, unique=True)
    instansi = models.OneToOneField(
        Instansi, on_delete=models.PROTECT, null=True, blank=True, related_name="rantai_keputusan"
    )
    panjang = models.PositiveIntegerField(default=0)
    hash_kepala = models.CharField("hash kepala", max_length=64, blank=True)
    diperiksa = models.DateTimeField("terakhir diperiksa", null=True, blank=True)
    rusak = models.TextField("temuan pemeriksaan terakhir", blank=True)

    class Meta:
        verbose_name = "rantai keputusan"
        verbose_name_plural = "rantai keputusan"
        ordering = ["kunci"]

    def __str__(self):
        return self.kunci


class EntriKeputusan(models.Model):
    class Jenis(models.TextChoices):
        KALIBRASI = "kalibrasi", "Kalibrasi kotak"
        PERSETUJUAN_KALIBRASI = "persetujuan_kalibrasi", "Persetujuan anggota kedua atas kalibrasi"
        BUANG_DRAF = "buang_draf", "Pembuangan draf kalibrasi rapat"
        FINALISASI_RAPAT = "finalisasi_rapat", "Finalisasi rapat talent review"
        KEPUTUSAN_NOMINASI = "keputusan_nominasi", "Keputusan nominasi suksesor"
        KESIAPAN = "kesiapan", "Penetapan kesiapan oleh PPK"
        DILUAR_RENCANA = "diluar_rencana", "Pengangkatan di luar rencana suksesi"
        PILIHAN_SKEMA = "pilihan_skema", "Penetapan skema"
        STATUS_PERIODE = "status_periode", "Status periode"
        KEPUTUSAN_KEBERATAN = "keputusan_keberatan", "Keputusan keberatan ASN"
        ADOPSI_SKEMA = "adopsi_skema", "Adopsi skema setelah simulasi"

    rantai = models.ForeignKey(RantaiKeputusan, on_delete=models.PROTECT, related_name="entri")
    urutan = models.PositiveIntegerField()
    jenis = models.CharField(max_length=30, choices=Jenis.choices)
    objek = models.CharField(max_length=100)
    nilai_lama = models.JSONField("nilai lama", null=True)
    nilai_baru = models.JSONField("nilai baru", null=True)
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    oleh_nama = models.CharField("nama pengguna", max_length=150)
    waktu = models.DateTimeField()
    justifikasi = models.TextField(blank=True)
    hash_sebelumnya = models.CharField("hash sebelumnya", max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "entri keputusan"
        verbose_name_plural = "entri keputusan"
        ordering = ["rantai", "urutan"]
        constraints = [models.UniqueConstraint(fields=["rantai", "urutan"], name="entri_keputusan_urutan_unik")]

    def __str__(self):
        return f"{self.rantai.kunci} #{self.urutan} {self.get_jenis_display()}"
