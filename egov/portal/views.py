from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe
from wagtail.models import Site

from egov.portal.selectors import site_chrome


@require_safe
def report_error(request):
    """Public: 我为政府网站找错. Until the error-report form arrives, the page says whom to
    contact, and names the page the visitor came from."""
    if Site.find_for_request(request) is None:
        raise Http404("no site of the group answers for this host")
    chrome = site_chrome(request)
    return render(
        request,
        "portal/report_error.html",
        {"portal": chrome, "reported_page": request.GET.get("page", "")[:300]},
    )
