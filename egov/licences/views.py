"""The wallet (the holder's licences, login) and the public verification page (the QR code's
address: number and verification code; any mismatch is 404, so numbers cannot be walked
through). External and combined zones."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .issue import signature_valid
from .models import WalletLicence
from .selectors import wallet_of


@login_required
@require_safe
def wallet(request):
    return render(request, "licences/wallet.html", {"licences": wallet_of(request.user)})


@login_required
@require_safe
def pdf(request, number: str):
    licence = wallet_of(request.user).filter(number=number).first()
    if licence is None:
        raise Http404("No such licence in your wallet.")
    response = FileResponse(licence.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{licence.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _pdf_intact(licence: WalletLicence) -> bool:
    with licence.pdf.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest() == licence.pdf_sha256


@require_safe
def verify(request, number: str, code: str):
    licence = WalletLicence.objects.filter(number=number, verification_code=code).first()
    if licence is None:
        raise Http404("No licence with this number and code.")
    signed = signature_valid(licence) and _pdf_intact(licence)
    context = {
        "licence": licence,
        "signed": signed,
        "valid": signed and licence.status == "valid",
    }
    return render(request, "licences/verify.html", context)
