"""Every Word export of a stored speech names the speech and the version it shows
(drafts/export_origin.py), in parts that validate and that Word, WPS and LibreOffice
keep, so a reviewed copy is read back against the text its reviewer saw."""

import io
import shutil
import subprocess
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from drafts.assembly import assemble
from drafts.docx_export import ExportOptions, render_docx
from drafts.export_origin import (
    CUSTOM_PART,
    Origin,
    item_ids_of,
    origin_of,
    read_origin,
    stamp_of,
)
from drafts.models import Snapshot, Speech
from drafts.reading import ImportRefused
from drafts.speech_json import to_document
from drafts.structure import Speech as SpeechData
from tests.test_docx_schema import XSD_DIR, parts, schema

RESOURCES = Path(__file__).parent / "resources"


def stored(speech) -> SpeechData:
    return Speech.objects.with_structure().get(pk=speech.pk).as_structure()


def act(client, speech, name, note="说明文字"):
    # The sample speech has placeholders, which are 校对 errors: a submit confirms them.
    fields = {f"{name}-note": note, f"{name}-proof_confirmed": "on"}
    response = client.post(reverse("drafts:speech-action", args=[speech.pk, name]), fields)
    assert response.status_code == 302
    return response


@pytest.mark.django_db
def test_the_word_download_names_the_speech_and_carries_the_version_shown(drafter_client, speech):
    docx = drafter_client.get(reverse("drafts:speech-export-docx", args=[speech.pk])).content
    origin = read_origin(docx)
    data = stored(speech)
    assert (origin.speech, origin.snapshot) == (speech.pk, None)
    assert origin.document == to_document(data)
    assert origin.item_ids == item_ids_of(data)
    assert all(i for ids in origin.item_ids.values() for i in ids)
    assert origin.stamp == stamp_of(to_document(data), item_ids_of(data))
    assert not origin.changes_author


@pytest.mark.django_db
def test_a_version_download_names_its_snapshot(drafter_client, speech):
    act(drafter_client, speech, "submit")
    snapshot = Snapshot.objects.get(speech=speech)
    url = reverse("drafts:version-export-docx", args=[speech.pk, snapshot.pk])
    origin = read_origin(drafter_client.get(url).content)
    assert (origin.speech, origin.snapshot) == (speech.pk, snapshot.pk)
    assert origin.document == snapshot.document
    assert origin.item_ids == snapshot.item_ids


@pytest.mark.django_db
def test_a_redline_names_the_new_version_and_its_own_changes(drafter_client, drafter, speech):
    act(drafter_client, speech, "submit")
    snapshot = Snapshot.objects.get(speech=speech)
    url = reverse("drafts:speech-compare-redline", args=[speech.pk])
    origin = read_origin(drafter_client.get(url, {"old": snapshot.pk, "new": "current"}).content)
    assert (origin.speech, origin.snapshot) == (speech.pk, None)
    assert origin.document == to_document(stored(speech))
    # The export's changes are by the last editor at the last edit, as docx_changes wrote.
    assert origin.changes_author == drafter.username
    assert origin.changes_date.endswith("Z")


@pytest.mark.django_db
def test_the_export_command_writes_the_origin_too(tmp_path, speech):
    path = tmp_path / "out.docx"
    call_command("export_speech", speech.pk, "--format", "docx", "-o", str(path), stdout=StringIO())
    assert read_origin(path.read_bytes()).speech == speech.pk


def test_a_file_from_elsewhere_names_no_origin():
    assert read_origin((RESOURCES / "speech_emergency_libreoffice.docx").read_bytes()) is None
    assert read_origin(render_docx(assemble(SpeechData(opening="开场。")))) is None


def test_a_broken_file_is_refused_as_the_import_refuses_it():
    with pytest.raises(ImportRefused):
        read_origin(b"PK\x03\x04 broken")


def exported(origin: Origin) -> bytes:
    return render_docx(assemble(SpeechData(opening="开场。")), ExportOptions(origin=origin))


def rewritten(docx: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            archive.writestr(item, change(data) if item.filename == name else data)
    return buffer.getvalue()


def origin_part(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return next(n for n in archive.namelist() if b"speechdraft:origin" in archive.read(n))


def test_without_its_custom_xml_part_the_properties_still_name_the_version():
    origin = origin_of(12, SpeechData(opening="开场。"), snapshot_id=5)
    docx = exported(origin)
    name = origin_part(docx)
    # An editor that dropped the part, or a part damaged: the properties remain.
    for change in (lambda data: b"<other/>", lambda data: data.replace(b"{", b"[")):
        read = read_origin(rewritten(docx, name, change))
        assert (read.speech, read.snapshot, read.stamp) == (12, 5, origin.stamp)
        assert read.document in (None, origin.document)
    gone = rewritten(docx, CUSTOM_PART, lambda data: b"<Properties/>")
    assert read_origin(rewritten(gone, name, lambda data: b"<other/>")) is None


@pytest.mark.skipif(not (XSD_DIR / "wml.xsd").is_file(), reason="OOXML schemas not found")
def test_the_origin_parts_validate_and_are_declared():
    docx = exported(origin_of(12, SpeechData(opening="开场。"), snapshot_id=5))
    files = parts(docx)
    custom = schema("shared-documentPropertiesCustom.xsd")
    assert custom.validate(etree.fromstring(files[CUSTOM_PART])), custom.error_log.last_error
    item = origin_part(docx)
    properties = item.replace("item", "itemProps")
    store = schema("shared-customXmlDataProperties.xsd")
    assert store.validate(etree.fromstring(files[properties])), store.error_log.last_error
    types = files["[Content_Types].xml"].decode()
    assert f'PartName="/{CUSTOM_PART}"' in types and f'PartName="/{properties}"' in types
    rels = files["word/_rels/document.xml.rels"].decode()
    assert f'Target="../{item}"' in rels
    assert "custom-properties" in files["_rels/.rels"].decode()


@pytest.mark.render
@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice (soffice) on PATH")
def test_libreoffice_keeps_the_origin_when_it_saves(tmp_path):
    origin = origin_of(12, SpeechData(opening="开场。"), snapshot_id=5)
    (tmp_path / "in.docx").write_bytes(exported(origin))
    saved = libreoffice_docx(tmp_path, tmp_path / "in.docx")
    assert read_origin(saved.read_bytes()) == origin


def libreoffice_docx(folder: Path, path: Path) -> Path:
    """``path`` opened and saved again as .docx by LibreOffice."""
    out = folder / "saved"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}", "--headless"]
        + ["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out / path.name
