"""OpenID Connect back-channel logout: when a person logs out of egov, each client system
that holds tokens for them and registered a back-channel logout address is sent a signed
logout token (https://openid.net/specs/openid-connect-backchannel-1_0.html), by the worker.
"""

from __future__ import annotations

import json
import time
import uuid

from jwcrypto import jwk, jwt
from oauth2_provider.settings import oauth2_settings

EVENT = "http://schemas.openid.net/event/backchannel-logout"


def signing_key() -> jwk.JWK:
    return jwk.JWK.from_pem(oauth2_settings.OIDC_RSA_PRIVATE_KEY.encode("utf8"))


def logout_token(*, issuer: str, client_id: str, sub: str) -> str:
    key = signing_key()
    header = {"typ": "logout+jwt", "alg": "RS256", "kid": key.thumbprint()}
    claims = {
        "iss": issuer,
        "aud": client_id,
        "iat": int(time.time()),
        "exp": int(time.time()) + 120,
        "jti": str(uuid.uuid4()),
        "sub": sub,
        "events": {EVENT: {}},
    }
    token = jwt.JWT(header=json.dumps(header), claims=json.dumps(claims))
    token.make_signed_token(key)
    return token.serialize()


def notify_logout(user_pk: int, application_ids, issuer: str) -> None:
    """Queue one notification per client system that asked for them."""
    from .models import ClientPolicy
    from .tasks import send_backchannel_logout

    policies = ClientPolicy.objects.filter(application__in=application_ids).exclude(
        backchannel_logout_uri=""
    )
    for policy in policies:
        send_backchannel_logout(policy.pk, user_pk, issuer)
