"""Accounts, roles, throttling, audit log and document edits (archive side of access control)."""
import pytest

from archive import STAFF, Search
from archive.accounts import AccountError, Throttled, can
from archive.editing import EditError, edit_document
from ingest.pipeline import ingest


def test_users_roles_and_passwords(archive):
    acc = archive.accounts
    acc.add("zhang", "correct horse battery", "editor")
    with pytest.raises(AccountError):
        acc.add("zhang", "another long password", "viewer")
    with pytest.raises(AccountError):
        acc.add("li", "short", "viewer")
    with pytest.raises(AccountError):
        acc.add("li", "long enough password", "superuser")
    assert acc.authenticate("zhang", "correct horse battery")["role"] == "editor"
    assert acc.authenticate("zhang", "wrong password") is None
    assert acc.authenticate("nobody", "whatever password") is None
    row = archive.catalog._db().execute("SELECT password_hash FROM users").fetchone()[0]
    assert "correct horse" not in row and row.startswith(("scrypt:", "pbkdf2:"))
    assert can("admin", "editor") and can("editor", "viewer") and not can("viewer", "editor")
    assert not can(None, "viewer")


def test_login_is_throttled_after_repeated_failures(archive):
    acc = archive.accounts
    acc.add("wang", "correct horse battery", "viewer")
    for _ in range(acc.max_failures):
        assert acc.authenticate("wang", "guess", client="10.0.0.1") is None
    assert acc.throttled("wang")
    with pytest.raises(Throttled):  # refused while throttled, the password unchecked
        acc.authenticate("wang", "correct horse battery")


def test_edit_disclosure_hides_the_document_and_is_audited(archive, corpus):
    ingest(archive, [corpus / "govcn-2019-zhouynf" / "html" / "001_content_5365945.html"])
    doc_id = archive.search(Search(q="双随机"))["hits"][0]["id"]
    with pytest.raises(EditError):
        edit_document(archive, doc_id, {"disclosure": "不予公开"}, "zhang")  # reason required
    diff = edit_document(archive, doc_id, {"disclosure": "不予公开", "disclosure_reason": "涉及国家秘密",
                                           "validity": "已废止"}, "zhang")
    assert diff["disclosure"] == ["主动公开", "不予公开"]
    assert archive.search(Search(q="双随机"))["total"] == 0
    assert archive.search(Search(q="双随机"), STAFF)["total"] == 1
    assert archive.document(doc_id) is None and archive.document(doc_id, STAFF)["extra"]["validity"] == "已废止"
    actions = [e["action"] for e in archive.audit.entries()]
    assert actions[:2] == ["disclosure", "edit"]
    assert "涉及国家秘密" in archive.audit.csv()


def test_staff_see_a_disclosure_facet_the_public_does_not(archive, corpus):
    ingest(archive, [corpus / "govcn-2019-zhouynf" / "html"])
    doc_id = archive.search(Search(q="双随机"))["hits"][0]["id"]
    edit_document(archive, doc_id, {"disclosure": "依申请公开"}, "zhang")
    staff = archive.search(Search(), STAFF)
    assert {b["value"]: b["count"] for b in staff["facets"]["disclosure"]} == {"主动公开": 39, "依申请公开": 1}
    only = archive.search(Search(filters={"disclosure": ["依申请公开"]}), STAFF)
    assert [h["id"] for h in only["hits"]] == [doc_id]
    public = archive.search(Search(filters={"disclosure": ["依申请公开"]}))
    assert "disclosure" not in public["facets"] and public["total"] == 39  # the filter is not theirs to use
