"""Appending to the decision log. Called by the services that take a decision, inside their transaction."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .hashing import GENESIS, hash_of
from .models import PROVINCE_CHAIN, EntriKeputusan, RantaiKeputusan
from .selectors import chain_verify


def _chain_for_update(instansi) -> RantaiKeputusan:
    """The chain row, locked: appends to one chain serialise, other instansi append alongside."""
    kunci = instansi.kode if instansi is not None else PROVINCE_CHAIN
    RantaiKeputusan.objects.get_or_create(kunci=kunci, defaults={"instansi": instansi})
    return RantaiKeputusan.objects.select_for_update().get(kunci=kunci)


def decision_record(
    *, instansi, jenis: str, objek: str, nilai_lama, nilai_baru, oleh, justifikasi: str = ""
) -> EntriKeputusan:
    """Append one decision to its instansi's chain (`instansi=None`: the province-wide chain).

    `nilai_lama` and `nilai_baru` are small JSON values (strings, integers, lists, dicts of them).
    """
    if jenis not in EntriKeputusan.Jenis.values:
        raise ValueError(f"unknown decision type {jenis!r}")
    with transaction.atomic():
        chain = _chain_for_update(instansi)
        # Microseconds kept: the stored time must give back the exact hashed text.
        waktu = timezone.now().astimezone(dt.UTC)
        entry = EntriKeputusan(
            rantai=chain,
            urutan=chain.panjang + 1,
            jenis=jenis,
            objek=objek,
            nilai_lama=nilai_lama,
            nilai_baru=nilai_baru,
            oleh=oleh,
            oleh_nama=oleh.username,
            waktu=waktu,
            justifikasi=justifikasi,
            hash_sebelumnya=chain.hash_kepala or GENESIS,
        )
        entry.hash = hash_of(entry, kunci=chain.kunci)
        entry.save()
        chain.panjang = entry.urutan
        chain.hash_kepala = entry.hash
        chain.save(update_fields=["panjang", "hash_kepala"])
    return entry


def chains_verify(*, kunci: str | None = None) -> list[dict]:
    """Recompute every chain (or one) and store the finding; returns one finding per chain."""
    chains = RantaiKeputusan.objects.order_by("kunci")
    if kunci is not None:
        chains = chains.filter(kunci=kunci)
    findings = []
    for chain in chains:
        finding = chain_verify(chain)
        RantaiKeputusan.objects.filter(pk=chain.pk).update(diperiksa=timezone.now(), rusak=finding["pesan"] or "")
        findings.append(finding)
    return findings
