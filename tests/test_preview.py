"""A pull request's preview: the site without strict mode, then each download that can be
made; one that fails is reported and the rest still run (CI uploads what there is)."""

from __future__ import annotations

import subprocess
import types

from scripts import preview


def test_preview_keeps_going_when_a_download_fails(tmp_path, monkeypatch, capsys):
    commands = []

    def fake_run(command, **kwargs):
        commands.append(command)
        (tmp_path / "site").mkdir()
        return subprocess.CompletedProcess(command, 0, "", "")

    made = []
    modules = {
        "scripts.pdf": types.SimpleNamespace(make_pdf=lambda site: made.append("pdf") or 0),
        "scripts.epub": types.SimpleNamespace(make_epub=lambda site: (_ for _ in ()).throw(RuntimeError("no pandoc"))),
        "scripts.offline": types.SimpleNamespace(make_offline=lambda site: made.append("offline") or 1),
    }
    monkeypatch.setattr(preview.subprocess, "run", fake_run)
    monkeypatch.setattr(preview.importlib, "import_module", lambda name, package=None: modules[f"{package}{name}"])
    assert preview.preview(tmp_path / "site") == 0
    assert "--no-strict" in commands[0] and "--strict" not in commands[0]
    assert made == ["pdf", "offline"]
    err = capsys.readouterr().err
    assert "preview: PDF made" in err
    assert "preview: EPUB could not be made (RuntimeError: no pandoc)" in err
    assert "preview: offline zip could not be made (1)" in err


def test_preview_fails_only_when_the_site_cannot_be_built(tmp_path, monkeypatch):
    monkeypatch.setattr(preview.subprocess, "run", lambda command, **kw: subprocess.CompletedProcess(command, 1, "", "boom\n"))
    assert preview.preview(tmp_path / "site") == 1
