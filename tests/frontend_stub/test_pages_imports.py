"""The secretariat's roster import pages: upload → preview of every row → confirm, the progress the page polls,
bad files said next to the file input. Rules: jianglian.rosters.jobs (tests/jianglian/test_imports.py)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from experts.models import Expert
from jianglian.models import RosterUpload
from tests import factories
from tests.jianglian.test_imports import MESSY, queued  # noqa: F401
from tests.rosters import person, table, workbook_of_sheets, xlsx

# Transactional: the upload's commit runs the (eager) task before the redirect, as without a broker.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def skills(db):
    return [factories.make_skill(code="distillation", name="精馏与分离节能", synonyms=["精馏"])]


def post_file(client, data, name="名册.xlsx", kind="experts"):
    return client.post(reverse("web:roster_imports"), {"kind": kind, "file": SimpleUploadedFile(name, data)})


def test_only_the_secretariat_opens_the_import_pages(web, secretariat, enterprise_user, expert_user):
    upload = RosterUpload.objects.create(kind="experts", filename="a.xlsx", uploaded_by=secretariat)
    urls = [reverse("web:roster_imports"), reverse("web:roster_import", args=[upload.token]),
            reverse("web:roster_import_progress", args=[upload.token]),
            reverse("web:roster_import_template", args=["experts"])]
    for url in urls:
        assert web().get(url).status_code == 302
        assert web(enterprise_user[0]).get(url).status_code == 403
        assert web(expert_user[0]).get(url).status_code == 403
        assert web(secretariat).get(url).status_code == 200
    confirm = reverse("web:roster_import_confirm", args=[upload.token])
    assert web(enterprise_user[0]).post(confirm, {"valid_rows_only": "1"}).status_code == 403


def test_the_dashboard_links_to_the_import_page(web, secretariat):
    assert reverse("web:roster_imports") in web(secretariat).get(reverse("web:secretariat")).content.decode()


def test_upload_preview_and_import_the_valid_rows(web, secretariat, skills):
    client = web(secretariat)
    response = post_file(client, xlsx(MESSY))
    upload = RosterUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:roster_import", args=[upload.token])

    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert [(r.row, r.status) for r in preview.context["page"]] == [(2, "new"), (3, "error"), (4, "new"), (5, "error")]
    assert "联系电话" in html and "“12345”不是手机号" in html
    assert "H: 备注" in html and "量子纠缠" in html
    assert "只导入正确的 2 行" in html and Expert.objects.count() == 0

    errors_only = client.get(response["Location"] + "?status=error")
    assert [r.row for r in errors_only.context["page"]] == [3, 5]

    done = client.post(reverse("web:roster_import_confirm", args=[upload.token]), {"valid_rows_only": "1"}, follow=True)
    assert done.context["upload"].status == "imported"
    assert "已导入：新建 2 行，更新 0 行。" in done.content.decode()
    assert sorted(Expert.objects.values_list("name", flat=True)) == ["专家001", "专家003"]


def test_confirming_without_choosing_the_valid_rows_imports_nothing_and_says_why(web, secretariat, skills):
    client = web(secretariat)
    post_file(client, xlsx(MESSY))
    token = RosterUpload.objects.get().token
    page = client.post(reverse("web:roster_import_confirm", args=[token]), follow=True)
    assert "有 2 行错误" in page.content.decode()
    assert page.context["upload"].status == "checked" and Expert.objects.count() == 0


def test_a_clean_file_is_confirmed_in_one_click(web, secretariat, skills):
    client = web(secretariat)
    post_file(client, xlsx(table([person(1), person(2)])))
    upload = RosterUpload.objects.get()
    html = client.get(reverse("web:roster_import", args=[upload.token])).content.decode()
    assert "确认后导入 2 行" in html
    client.post(reverse("web:roster_import_confirm", args=[upload.token]))
    assert Expert.objects.count() == 2


def test_a_bad_file_is_said_next_to_the_file_input_and_nothing_is_kept(web, secretariat):
    response = post_file(web(secretariat), xlsx(table([person(1)])), name="roster.csv")
    assert response.status_code == 400
    assert response.context["form"].errors["file"][0].startswith("文件“roster.csv”的扩展名与内容不符")
    assert RosterUpload.objects.count() == 0


def test_while_a_worker_has_not_run_the_check_the_page_shows_progress_and_polls_it(web, secretariat, skills,
                                                                                   queued):  # noqa: F811
    client = web(secretariat)
    post_file(client, xlsx(MESSY))
    upload = RosterUpload.objects.get()
    html = client.get(reverse("web:roster_import", args=[upload.token])).content.decode()
    assert "data-import-progress" in html and "排队等待处理" in html
    RosterUpload.objects.filter(pk=upload.pk).update(status="checking", phase="check", done=2, total=4)
    progress = client.get(reverse("web:roster_import_progress", args=[upload.token])).json()
    assert (progress["running"], progress["percent"], progress["text"]) == (True, 50, "已检查 2 / 4 行")


def test_the_template_downloads_from_the_page(web, secretariat):
    response = web(secretariat).get(reverse("web:roster_import_template", args=["studios"]))
    assert response["Content-Disposition"] == 'attachment; filename="studios-template.xlsx"'


def test_the_preview_of_a_workbook_of_several_sheets_says_the_others_were_not_read(web, secretariat, skills):
    client = web(secretariat)
    response = post_file(client, workbook_of_sheets({"一厂": table([person(1)]), "二厂": table([person(2)])}))

    html = client.get(response["Location"]).content.decode()

    assert "data-ignored-sheets" in html and "其他工作表未读取：“二厂”" in html
