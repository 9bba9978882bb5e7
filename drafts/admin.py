from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from .downloads import content_disposition
from .forms import WordingCsvForm
from .models import (
    Agency,
    AuditEvent,
    Comment,
    DeletedItem,
    Item,
    Membership,
    Part,
    Revision,
    Snapshot,
    Speech,
    Suggestion,
    Transition,
    WordingRule,
)
from .wording_csv import write_csv


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are read, never added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The speech's text is written only through ``Speech.save_unit`` (version check,
# merge, revision, audit) and its lists only through ``Item`` (locked, renumbered):
# the admin shows the text and the order, and the editing page is where they change.
SPEECH_TEXT = ("title", "occasion", "organization", "speaker", "date", "salutation")
SPEECH_TEXT += ("opening", "closing", "pace", "target_minutes")
PART_TEXT = ("position", "kind", "heading", "intro", "lessons_intro", "shortcomings_intro")
PART_TEXT += ("transition",)


class PartInline(admin.StackedInline):
    model = Part
    extra = 0
    fields = readonly_fields = PART_TEXT
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Speech)
class SpeechAdmin(admin.ModelAdmin):
    list_display = [
        "display_title",
        "status",
        "agency",
        "organization",
        "owner",
        "updated_at",
        "deleted_at",
    ]
    # 删除时间 “空” are the live speeches, “非空” those in the trash (回收站).
    list_filter = ["status", "agency", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "occasion", "organization", "speaker"]
    readonly_fields = [
        *SPEECH_TEXT,
        "version",
        "opening_version",
        "closing_version",
        "created_at",
        "updated_at",
        "deleted_at",
        "deleted_by",
    ]
    inlines = [PartInline]


@admin.register(Part)
class PartAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "position", "kind", "heading"]
    list_select_related = ["speech"]


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "part", "kind", "position", "lead", "updated_at"]
    list_filter = ["kind"]
    list_select_related = ["part__speech"]
    search_fields = ["lead", "body"]


@admin.register(DeletedItem)
class DeletedItemAdmin(ReadOnlyAdmin):
    """Items in the trash, to look at: they are restored on the 回收站 page (which puts
    them back in their list and re-opens their comments) and purged by ``purge_trash``."""

    list_display = ["label", "part", "deleted_by", "deleted_at"]
    list_select_related = ["part__speech", "deleted_by"]
    search_fields = ["lead", "body"]


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    """The review's record (who submitted, returned, approved, when and why): read only,
    as the audit log is; the review pages are where it grows."""

    list_display = ["speech", "action", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["action", "to_status"]
    list_select_related = ["speech", "actor"]


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "speech", "created_at"]
    list_select_related = ["speech"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["label", "speech", "author", "created_at"]
    list_select_related = ["speech", "author"]
    search_fields = ["label"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "speech", "anchor", "author", "created_at", "resolved_at"]
    list_select_related = ["speech", "author"]


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    """Suggestions are accepted through the save (``Suggestion.accept``), which a
    change here would bypass: the admin reads them."""

    list_display = ["label", "speech", "made_by", "status", "source", "created_at"]
    list_filter = ["status", "source"]
    list_select_related = ["speech", "author"]
    search_fields = ["label", "proposed", "author_name"]

    @admin.display(description="建议人")
    def made_by(self, suggestion):
        return suggestion.author_label


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log page for administrators: filter, search, read; never change."""

    list_display = ["created_at", "username", "action", "ip", "speech_id", "detail"]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter), "username"]
    search_fields = ["username", "ip", "detail", "speech_id"]
    date_hierarchy = "created_at"


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "drafters_suggest"]
    search_fields = ["name"]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    verbose_name_plural = "所属机构"


# Users are given their agency on their own admin page, beside their groups (roles).
admin.site.unregister(User)


@admin.register(User)
class UserWithAgencyAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = [*UserAdmin.list_display, "membership"]
    list_select_related = ["membership__agency"]


@admin.register(WordingRule)
class WordingRuleAdmin(admin.ModelAdmin):
    """The house wording list (规范用词) the proofreading checks against (issue 15),
    with CSV import and export for offices that keep it in Excel."""

    list_display = ["wrong", "right", "condition", "exceptions", "severity", "enabled", "note"]
    list_editable = ["enabled"]
    list_filter = ["condition", "severity", "enabled"]
    search_fields = ["wrong", "right", "note", "exceptions"]
    actions = ["export_selected"]
    change_list_template = "admin/drafts/wordingrule/change_list.html"

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_csv),
                name="drafts_wordingrule_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_csv),
                name="drafts_wordingrule_export",
            ),
        ]
        return urls + super().get_urls()

    @admin.action(description="导出所选规范用词为 CSV")
    def export_selected(self, request, queryset):
        return csv_download(queryset)

    def export_csv(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return csv_download(WordingRule.objects.all())

    def import_csv(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = WordingCsvForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            added, updated = WordingRule.store_rows(form.cleaned_data["file"])
            messages.success(request, f"已导入：新增 {added} 条，更新 {updated} 条。")
            return redirect("admin:drafts_wordingrule_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "导入规范用词 CSV",
        }
        status = 422 if form.errors else 200
        return TemplateResponse(
            request, "admin/drafts/wordingrule/import.html", context, status=status
        )


def csv_download(rules) -> HttpResponse:
    text = write_csv(rule.as_row() for rule in rules)
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition("规范用词.csv")
    return response
