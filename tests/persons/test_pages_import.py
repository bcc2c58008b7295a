"""The key-person ledger through the pages: upload → preview with every error by row and
column (the identity values never echoed) → commit all or nothing; the template and the
masked ledger export; 404 for anyone who is not police."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.core.models import AuditRecord
from huxiao.persons.models import KeyPerson
from tests.persons.conftest import ID_A, PHONE_A
from tests.persons.test_import import HEADERS, ID_1, ID_2, good_rows, xlsx


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, data, name="重点人员台账.xlsx"):
    return client.post(
        reverse("persons:key_person_import"), {"file": SimpleUploadedFile(name, data)}
    )


def test_the_page_offers_the_upload_template_and_masked_export(client_for, people):
    response = client_for("officer_a").get(reverse("persons:key_person_import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("persons:key_person_import_template") in html
    assert reverse("persons:key_person_ledger") in html
    assert 'name="ledger"' not in html  # one ledger only: no choice offered


def test_a_checksum_error_is_shown_by_row_and_column_and_nothing_is_written(client_for, schools):
    rows = good_rows()
    bad = ID_2[:-1] + ("0" if ID_2[-1] != "0" else "1")
    rows[1][1] = bad
    client = client_for("officer_a")
    response = upload(client, xlsx(*rows))
    assert response.status_code == 302
    preview = response["Location"]
    page = client.get(preview).content.decode()
    table = page.split("data-import-errors")[1].split("</table>")[0]
    # the second data row is row 3 of the sheet (row 1 holds the headers)
    assert '<td class="hx-mono">3</td>' in table
    assert "身份证号" in table and "校验位错误" in table
    assert bad not in page  # identity values are not echoed back
    token = preview.rstrip("/").split("/")[-1]
    response = client.post(reverse("schools:school_import_commit", args=[token]))
    assert response.status_code == 302
    assert not KeyPerson.objects.exists()


def test_a_clean_file_creates_the_people(client_for, schools, people):
    client = client_for("officer_a")
    preview = upload(client, xlsx(*good_rows()))["Location"]
    page = client.get(preview).content.decode()
    assert 'data-count="creates">2<' in page and 'data-count="errors">0<' in page
    token = preview.rstrip("/").split("/")[-1]
    response = client.post(reverse("schools:school_import_commit", args=[token]))
    assert response.status_code == 302
    result = client.get(preview).content.decode()
    assert "data-import-done" in result
    one = KeyPerson.objects.get(name="测试导入一")
    assert (one.id_number, one.officer, one.station) == (
        ID_1,
        people.officer_a,
        schools[0].organization.parent,
    )
    assert KeyPerson.objects.get(name="测试导入二").id_number == ID_2


def test_a_file_that_is_not_a_ledger_is_refused_on_the_page(client_for):
    response = upload(client_for("officer_a"), b"not a spreadsheet", name="名单.txt")
    assert response.status_code == 400
    assert "data-import-error" in response.content.decode()


def test_the_template_has_the_ledgers_columns(client_for):
    response = client_for("officer_a").get(reverse("persons:key_person_import_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]
    assert all(h in headers for h in HEADERS)


def test_the_ledger_export_is_masked_and_recorded(client_for, person_a, person_b):
    response = client_for("officer_a").get(reverse("persons:key_person_ledger"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    text = "\n".join(
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
    )
    assert "测试甲某" in text and "测试乙某" not in text
    assert ID_A not in text and PHONE_A not in text
    assert "510402********" + ID_A[-4:] in text
    assert AuditRecord.objects.filter(action="export", object_type="persons.keyperson").exists()


@pytest.mark.parametrize("who", ["edu_officer", "chief", "guard", "outsider", "admin"])
def test_it_answers_404_to_anyone_not_police(client_for, who):
    client = client_for(who)
    for name in (
        "persons:key_person_import",
        "persons:key_person_import_template",
        "persons:key_person_ledger",
    ):
        assert client.get(reverse(name)).status_code == 404, name
    assert upload(client, xlsx(*good_rows())).status_code == 404
    assert not KeyPerson.objects.exists()
