"""`gongkai user …`: add (password prompted twice or read from stdin), list, set-role, set-password."""
from click.testing import CliRunner

from archive import Archive, Settings
from web.cli import main


def run(data, *args, input=None):
    return CliRunner().invoke(main, ["--data", str(data), "user", *args], input=input)


def test_user_add_list_set_role_and_password(tmp_path):
    data = tmp_path / "data"
    r = run(data, "add", "zhang", "--role", "editor", "--password-stdin", input="correct horse battery\n")
    assert r.exit_code == 0 and "added zhang (editor)" in r.output
    r = run(data, "add", "li", input="another long password\nanother long password\n")  # prompted twice
    assert r.exit_code == 0 and "added li (viewer)" in r.output
    r = run(data, "add", "wang", input="one long password\na different one\none long password\none long password\n")
    assert r.exit_code == 0                                 # a mismatch asks again
    r = run(data, "add", "zhang", "--password-stdin", input="correct horse battery\n")
    assert r.exit_code == 1 and "已存在" in r.output
    r = run(data, "add", "zhao", "--password-stdin", input="short\n")
    assert r.exit_code == 1 and "密码至少" in r.output
    r = run(data, "add", "x", "--role", "root", "--password-stdin", input="whatever long\n")
    assert r.exit_code == 2                                 # unknown role: a usage error
    r = run(data, "set-role", "li", "admin")
    assert r.exit_code == 0 and "li: admin" in r.output
    r = run(data, "set-role", "wang", "viewer", "--disable")
    assert "(disabled)" in r.output
    assert run(data, "set-role", "nobody", "viewer").exit_code == 1
    lines = run(data, "list").output.splitlines()
    assert [line.split()[:3] for line in lines] == [["li", "admin", "active"], ["wang", "viewer", "disabled"],
                                                    ["zhang", "editor", "active"]]
    r = run(data, "set-password", "zhang", "--password-stdin", input="a brand new password\n")
    assert r.exit_code == 0
    a = Archive(Settings(data_dir=data))
    assert a.accounts.authenticate("zhang", "a brand new password")["role"] == "editor"
    assert a.accounts.authenticate("wang", "one long password") is None     # disabled
    assert "correct horse" not in (data / "catalog.sqlite3").read_bytes().decode("latin-1")
    assert [e["detail"]["change"] for e in a.audit.entries(action="user")] == [
        "password", "update", "update", "add", "add", "add"]
    a.close()
