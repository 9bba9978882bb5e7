import pytest
from django.urls import reverse

from drafts.models import AuditEvent, Item, Speech
from tests.factories import make_speech, make_user


@pytest.mark.django_db
def test_login_logout_and_failed_login_are_logged_with_the_address(client):
    make_user("clerk")
    client.post(
        reverse("login"), {"username": "clerk", "password": "wrong"}, REMOTE_ADDR="10.1.2.3"
    )
    client.post(
        reverse("login"),
        {"username": "clerk", "password": "pw-someone-123"},
        REMOTE_ADDR="10.1.2.3",
    )
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    rows = list(AuditEvent.objects.order_by("pk").values_list("action", "username", "ip"))
    assert rows == [
        ("login_failed", "clerk", "10.1.2.3"),
        ("login", "clerk", "10.1.2.3"),
        ("logout", "clerk", "10.1.2.3"),
    ]


@pytest.mark.django_db
def test_create_edit_delete_and_download_are_logged(drafter_client, drafter):
    drafter_client.post(reverse("drafts:speech-create"), {"title": "审计测试", "start": "blank"})

    speech = Speech.objects.get()
    item = Item.objects.filter(part__speech=speech).first()
    drafter_client.post(
        reverse("drafts:item-edit", args=[item.pk]), {"lead": "改。", "body": "改。", "version": 1}
    )
    drafter_client.get(reverse("drafts:speech-export-txt", args=[speech.pk]))
    drafter_client.post(reverse("drafts:item-delete", args=[item.pk]))
    drafter_client.post(reverse("drafts:speech-delete", args=[speech.pk]))
    actions = list(
        AuditEvent.objects.exclude(action="login").order_by("pk").values_list("action", "speech_id")
    )
    assert actions == [
        ("create", speech.pk),
        ("edit", speech.pk),
        ("export", speech.pk),
        ("delete", speech.pk),
        ("delete", speech.pk),
    ]
    assert all(event.username == "drafter1" for event in AuditEvent.objects.all())


@pytest.mark.django_db
def test_audit_rows_are_never_changed_or_deleted():
    event = AuditEvent.objects.create(action="login", username="x")
    event.detail = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


@pytest.mark.django_db
def test_administrators_read_and_filter_the_log_but_cannot_change_it(admin_client):
    AuditEvent.objects.create(action="login", username="someone", ip="10.0.0.9")
    event = AuditEvent.objects.create(action="export", username="other")
    page = admin_client.get(
        reverse("admin:drafts_auditevent_changelist"), {"action__exact": "login"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    results = html.split('id="result_list"')[1].split("</table>")[0]
    assert "10.0.0.9" in results and "other" not in results
    before = AuditEvent.objects.count()
    assert (
        admin_client.post(
            reverse("admin:drafts_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEvent.objects.count() == before
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_the_admin_shows_the_speech_text_but_never_writes_it(admin_client, drafter):
    # Issue 11: every write of the text goes through Speech.save_unit, so the admin,
    # which would bypass its version check, revision and audit, only reads it.
    speech = make_speech(owner=drafter)
    item = Item.objects.filter(part__speech=speech).first()
    change = reverse("admin:drafts_speech_change", args=[speech.pk])
    html = admin_client.get(change).content.decode()
    assert speech.opening in html and 'name="opening"' not in html
    admin_client.post(change, {"opening": "管理员改的开场白", "status": speech.status})
    speech.refresh_from_db()
    assert speech.opening != "管理员改的开场白"
    item_change = reverse("admin:drafts_item_change", args=[item.pk])
    assert 'name="body"' not in admin_client.get(item_change).content.decode()
    assert admin_client.post(item_change, {"body": "改"}).status_code == 403
