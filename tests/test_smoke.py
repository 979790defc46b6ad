import pytest


@pytest.mark.django_db
def test_home_page_answers_in_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-Hans"' in html
    assert "永川" in html or "Yongchuan" in html
