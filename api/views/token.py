"""Personal API tokens: a user creates and revokes their own; an admin those of the users of their scope."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import ApiToken
from ..permissions import BrowserSessionForNewTokens
from ..schema import errors
from ..serializers import TokenBaruSerializer, TokenFilter, TokenInputSerializer, TokenSerializer
from ..services import token_create, token_revoke
from .common import query_params

TAG = "token"


def _owner(actor, username: str | None):
    """Whose token to create: the actor's own, or (admins) a user of their scope by username."""
    if not username or username == actor.username:
        return actor
    if not actor.is_talenta_admin:
        raise PermissionDenied("Hanya admin yang dapat membuat token untuk pengguna lain.")
    return get_object_or_404(get_user_model().objects.for_user(actor), username=username)


class TokenList(generics.ListAPIView):
    serializer_class = TokenSerializer
    permission_classes = [IsAuthenticated, BrowserSessionForNewTokens]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        params = query_params(self.request, TokenFilter)
        tokens = ApiToken.objects.for_user(self.request.user).select_related("user", "dibuat_oleh")
        if params.get("aktif") is not None:
            tokens = tokens.filter(dicabut__isnull=params["aktif"])
        return tokens

    @extend_schema(
        summary="Token API Anda",
        description="Token milik Anda; admin melihat juga token pengguna lingkupnya. Kunci tidak pernah "
        "ditampilkan lagi, hanya awalannya.",
        parameters=[TokenFilter],
        responses={200: TokenSerializer(many=True), **errors(400)},
        tags=[TAG],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Buat token API",
        description="Hanya dari sesi browser (masuk dengan kata sandi, dengan CSRF), bukan dengan token lain. "
        "`kunci` ditampilkan sekali ini saja; yang disimpan hanya hash-nya.",
        request=TokenInputSerializer,
        responses={201: TokenBaruSerializer, **errors(400)},
        tags=[TAG],
    )
    def post(self, request):
        body = TokenInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        owner = _owner(request.user, body.validated_data.get("pengguna"))
        token, key = token_create(actor=request.user, owner=owner, nama=body.validated_data["nama"])
        return Response({**TokenSerializer(token).data, "kunci": key}, status=status.HTTP_201_CREATED)


class TokenDetail(APIView):
    def _token(self, request, pk) -> ApiToken:
        return get_object_or_404(ApiToken.objects.for_user(request.user).select_related("user", "dibuat_oleh"), pk=pk)

    @extend_schema(summary="Satu token API", responses={200: TokenSerializer, **errors()}, tags=[TAG])
    def get(self, request, pk):
        return Response(TokenSerializer(self._token(request, pk)).data)

    @extend_schema(
        summary="Cabut token API",
        description="Token yang dicabut langsung ditolak (401). Mencabut dua kali tidak mengubah waktu cabut.",
        responses={204: OpenApiResponse(description="Token dicabut."), **errors()},
        tags=[TAG],
    )
    def delete(self, request, pk):
        token_revoke(actor=request.user, token=self._token(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
