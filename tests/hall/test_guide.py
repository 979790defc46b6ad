"""An item's guide on one page: every element of the published guide, in a definition list
and tables with headers; blank forms and samples downloaded with the right bytes and
headers; nothing of an item the hall does not offer."""

import hashlib
import re
from urllib.parse import unquote

import pytest

from egov.hall.views import content_disposition
from egov.services.models import PublishedServiceFile
from egov.services.seed import demo_pdf

pytestmark = pytest.mark.django_db


def guide_page(client, row, language="zh-hans"):
    response = client.get(f"/hall/items/{row.implementation_code}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_guide_shows_every_element_of_an_item_with_fees_and_faq(client, seeded):
    row = seeded["居民身份证遗失补领"]
    html = guide_page(client, row, "en")
    guide = row.guide
    assert re.search(r"<h1>Replacing a lost resident identity card</h1>", html)
    for text in (
        # type, body, audience, handling, limits with their units
        "Other administrative power",
        row.body_name_en or row.body_name_zh,
        "Natural persons",
        "Promised time",
        "60 natural days",
        "20 working days",
        # legal basis, conditions
        "《中华人民共和国居民身份证法》第十一条。",
        "居民身份证丢失的。",
        # fees and standard, waiting for payment
        "居民身份证遗失补领工本费",
        "40.00 yuan",
        "发改价格〔2003〕2322号",
        "The result is delivered once the fees are paid.",
        # materials: name, form, copies, required and when not, source
        "近期免冠证件照片",
        "现场采集人像的无需提供",
        # process, place, hours, phone, complaints, visits, online depth
        "Accept",
        "Close",
        guide["place"],
        guide["hours"],
        guide["phone"],
        guide["complaint_channel"],
        "1 visit",
        "Level 2: forms to download",
        # results, FAQ
        "Resident identity card",
        "补领期间需要乘车怎么办？",
        "可以申请临时居民身份证",
        # codes and version
        row.implementation_code,
        row.basic_code,
        "Version 1",
    ):
        assert text in html, text
    for material in guide["materials"]:
        assert material["name"] in html
    for step in guide["process"]:
        assert step["description"] in html
    # Structure: a definition list for the guide, tables with headers.
    assert '<dl class="guide">' in html and '<dl class="guide faq">' in html
    assert html.count('<th scope="col">') >= 12 and '<th scope="row">' in html
    assert html.count("<h1>") == 1
    # Not applied for online yet (depth 2), and no application link in this slice at all.
    assert "/apply/" not in html


def test_the_guide_of_an_item_with_blank_forms_samples_and_an_immediate_handling(client, seeded):
    row = seeded["个体工商户设立登记"]
    html = guide_page(client, row, "en")
    assert "On the spot" in html  # 即办件
    assert "Handled on the spot" in html
    assert "3 working days" in html  # statutory
    assert "Free of charge" in html and "This service is free of charge." in html
    assert "Business licence" in html  # the result's e-licence, and a material's stand-in
    assert "个体工商户必须起名称吗？" in html and "可以用住宅作为经营场所吗？" in html
    material = row.guide["materials"][0]
    for ref in (material["blank_form"], material["sample"], row.guide["results"][0]["sample"]):
        url = f"/hall/items/{row.implementation_code}/files/{ref['sha256']}/"
        assert f'href="{url}"' in html
        assert ref["name"] in html
    # Life event and stage lead back to the hall's lists.
    assert 'href="/hall/?event=employment"' in html and 'href="/hall/?stage=start"' in html


def test_the_guide_is_in_chinese_by_default(client, seeded):
    html = guide_page(client, seeded["居民身份证遗失补领"])
    assert "<h1>居民身份证遗失补领</h1>" in html
    assert '<html lang="zh-Hans"' in html


def test_a_blank_form_downloads_with_its_bytes_type_and_utf8_name(client, seeded):
    row = seeded["个体工商户设立登记"]
    ref = row.guide["materials"][0]["blank_form"]
    response = client.get(f"/hall/items/{row.implementation_code}/files/{ref['sha256']}/")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data == demo_pdf("blank form 010601001000-1")
    assert hashlib.sha256(data).hexdigest() == ref["sha256"]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(data))
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    name = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert unquote(name) == ref["name"]
    assert ref["name"].startswith("个体工商户登记") and ref["name"].endswith("申请书.pdf")
    assert 'filename="' in disposition  # an ASCII fallback for old clients
    assert disposition.encode("latin-1")  # a header must be ASCII / Latin-1


def test_a_sample_image_downloads_as_an_image(client, make_item):
    from .conftest import publish_and_deliver

    item = make_item(name="测试许可")
    publish_and_deliver(item.versions.get())
    html = client.get(f"/hall/items/{item.implementation_code}/").content.decode()
    sample = PublishedServiceFile.objects.get(content_type="image/png")
    url = f"/hall/items/{item.implementation_code}/files/{sample.sha256}/"
    assert url in html
    response = client.get(url)
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    assert (
        "filename*=UTF-8''%E7%94%B3%E8%AF%B7%E4%B9%A6%E7%A4%BA%E4%BE%8B.png"
        in (response["Content-Disposition"])
    )
    # 工本费 20 yuan and the FAQ of the test item are on its page too.
    assert "工本费" in html and "要多久？" in html


def test_files_are_served_only_through_an_item_that_names_them(client, seeded):
    gaj = seeded["居民身份证换领"]
    scjg = seeded["个体工商户设立登记"]
    ref = scjg.guide["materials"][0]["blank_form"]
    # The file exists, but 居民身份证换领 does not name it.
    assert (
        client.get(f"/hall/items/{gaj.implementation_code}/files/{ref['sha256']}/").status_code
        == 404
    )
    assert (
        client.get(f"/hall/items/{scjg.implementation_code}/files/{'0' * 64}/").status_code == 404
    )
    assert (
        client.get(f"/hall/items/{scjg.implementation_code}/files/..%2Fsecret/").status_code == 404
    )
    assert client.get("/hall/items/NOSUCHCODE000/").status_code == 404


def test_a_withdrawn_items_files_are_no_longer_served(client, seeded):
    from egov.exchange.transports import loopback
    from egov.services import services
    from egov.services.models import ServiceItem

    row = seeded["个体工商户设立登记"]
    url = f"/hall/items/{row.implementation_code}/files/{row.guide['materials'][0]['blank_form']['sha256']}/"
    assert client.get(url).status_code == 200
    services.withdraw_item(
        ServiceItem.objects.get(implementation_code=row.implementation_code), None, reason="停用"
    )
    loopback.deliver()
    assert client.get(url).status_code == 404


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name():
    assert content_disposition("申请书.pdf") == (
        "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E7%94%B3%E8%AF%B7%E4%B9%A6.pdf"
    )
    assert content_disposition('form "a".pdf').startswith('attachment; filename="form_a.pdf"')
