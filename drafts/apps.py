from django.apps import AppConfig


class DraftsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "drafts"
    verbose_name = "讲话稿"

    def ready(self):
        # Logins and logouts happen in Django's own views: the audit log listens to them.
        from django.contrib.auth import signals

        from . import audit
        from .models import AuditEvent

        def logged_in(sender, request, user, **kwargs):
            audit.record(request, AuditEvent.Action.LOGIN, user=user)

        def logged_out(sender, request, user, **kwargs):
            if user is not None:
                audit.record(request, AuditEvent.Action.LOGOUT, user=user)

        def login_failed(sender, credentials, request=None, **kwargs):
            username = str(credentials.get("username", ""))
            audit.record(request, AuditEvent.Action.LOGIN_FAILED, username=username)

        signals.user_logged_in.connect(logged_in, weak=False, dispatch_uid="audit-login")
        signals.user_logged_out.connect(logged_out, weak=False, dispatch_uid="audit-logout")
        signals.user_login_failed.connect(login_failed, weak=False, dispatch_uid="audit-failed")
