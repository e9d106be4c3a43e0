"""Settings: one declared table, loaded from <data>/settings.toml, GONGKAI_* and --setting (later wins),
each value checked; `gongkai settings` shows what is in force."""
from __future__ import annotations

import dataclasses
import os

import pytest
from click.testing import CliRunner

from archive.settings import Settings, SettingsError
from web.cli import main


def test_file_then_environment_then_overrides(tmp_path):
    (tmp_path / "settings.toml").write_text("file_timeout_s = 60\nworkers = 3\nocr = false\n", encoding="utf-8")
    st = Settings.load(tmp_path, env={"GONGKAI_WORKERS": "2", "GONGKAI_PAGE_SIZE": "30"},
                       overrides={"page_size": "40"})
    assert (st.file_timeout_s, st.workers, st.ocr, st.page_size) == (60.0, 2, False, 40)
    assert st.data_dir == tmp_path
    assert Settings.load(tmp_path, env={}, file_timeout_s=None).file_timeout_s == 60.0   # None: not given


@pytest.mark.parametrize("overrides, message", [
    ({"workers": "many"}, "setting workers = 'many' (from --setting): not a valid int"),
    ({"backend": "solr"}, "setting backend = 'solr' (from --setting): one of embedded, elasticsearch"),
    ({"max_query_chars": "5"}, "setting max_query_chars = 5 (from --setting): between 10 and 100000"),
    ({"no_such": "1"}, "unknown setting 'no_such' (from --setting); `gongkai settings` lists them"),
    ({"page_size": "500"}, "page_size (500) must not exceed max_page_size (100)"),
])
def test_wrong_values_are_refused_naming_the_setting_and_its_source(tmp_path, overrides, message):
    with pytest.raises(SettingsError) as err:
        Settings.load(tmp_path, env={}, overrides=overrides)
    assert str(err.value) == message


def test_a_wrong_value_in_the_file_names_the_file(tmp_path):
    (tmp_path / "settings.toml").write_text('zip_max_ratio = "lots"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"zip_max_ratio = 'lots' \(from .*settings.toml\)"):
        Settings.load(tmp_path, env={})


def test_what_settings_prints_is_a_settings_file_that_sets_it(tmp_path, monkeypatch):
    for name in [n for n in os.environ if n.startswith("GONGKAI_")]:
        monkeypatch.delenv(name)  # (the CLI reads the process environment)
    shown = CliRunner().invoke(main, ["--data", str(tmp_path), "settings", "--setting", "ocr=false",
                                      "--setting", "backend=elasticsearch", "--setting", "zip_max_ratio=50"], env={})
    assert shown.exit_code == 0, shown.output
    (tmp_path / "settings.toml").write_text(shown.output, encoding="utf-8")
    st = Settings.load(tmp_path, env={})
    assert (st.ocr, st.backend, st.zip_max_ratio, st.data_dir) == (False, "elasticsearch", 50, tmp_path)
    elsewhere = Settings.load(tmp_path / "other", env={}, overrides={"ocr": "false", "backend": "elasticsearch",
                                                                      "zip_max_ratio": "50"})
    assert st == dataclasses.replace(elsewhere, data_dir=tmp_path)   # every other setting as it was


def test_ocr_stops_before_the_file_times_out():
    """Regression guard: the OCR limit (240 s) stayed above a per-file timeout lowered by --timeout."""
    assert Settings(file_timeout_s=30).ocr_budget_s == 24.0
    assert Settings().ocr_budget_s == 240.0


def test_cli_settings_shows_the_values_in_force(tmp_path):
    r = CliRunner().invoke(main, ["--data", str(tmp_path), "settings", "--setting", "search_timeout_s=2"],
                           env={"GONGKAI_FEED_SIZE": "12"})
    assert r.exit_code == 0, r.output
    assert "(default 5.0)\nsearch_timeout_s = 2.0\n" in r.output and "(default 30)\nfeed_size = 12\n" in r.output
    r = CliRunner().invoke(main, ["settings", "--data", str(tmp_path), "--setting", "workers=x"])
    assert r.exit_code == 2 and r.stderr.strip() == \
        "gongkai: configuration: setting workers = 'x' (from --setting): not a valid int"
