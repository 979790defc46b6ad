"""Background work of accounts, run by the Huey worker."""

import logging
import urllib.error
import urllib.parse
import urllib.request

from huey.contrib.djhuey import db_task

log = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=60)
def send_backchannel_logout(policy_pk: int, user_pk: int, issuer: str) -> int:
    """POST a logout token to a client system's back-channel logout address; a refusal or
    an unreachable system is retried by the worker, then logged."""
    from django.contrib.auth import get_user_model

    from .backchannel import logout_token
    from .models import ClientPolicy
    from .oidc import subject_of

    policy = ClientPolicy.objects.select_related("application").get(pk=policy_pk)
    user = get_user_model().objects.get(pk=user_pk)
    token = logout_token(
        issuer=issuer, client_id=policy.application.client_id, sub=subject_of(user)
    )
    if not policy.backchannel_logout_uri.startswith(("https://", "http://")):
        raise ValueError("a back-channel logout address is http(s)")
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        policy.backchannel_logout_uri,
        data=urllib.parse.urlencode({"logout_token": token}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - registered
            return response.status
    except (urllib.error.URLError, OSError) as exc:
        log.warning("back-channel logout to %s failed: %s", policy.application.client_id, exc)
        raise
