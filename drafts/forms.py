"""Forms of the editing pages; crispy helpers live here, never in views.

Every text is limited in length so that a runaway paste is refused with a message
instead of being stored; the limits are far above any real speech.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.core.validators import MaxLengthValidator

from .models import Item, Speech

TEXT_MAX = 20_000
TITLE_MAX = 200


def unit_helper(form: forms.BaseForm, action: str) -> FormHelper:
    """The helper of a form that saves one editable unit in place."""
    helper = FormHelper(form)
    helper.form_action = action
    # htmx saves in place; without JavaScript the form posts and the page reloads.
    helper.attrs = {"hx-post": action, "hx-target": "closest .unit", "hx-swap": "outerHTML"}
    helper.add_input(Submit("save", "保存", css_class="btn-sm"))
    return helper


def version_field() -> forms.IntegerField:
    """The version of the unit the drafter loaded, sent back with every save."""
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SpeechCreateForm(forms.Form):
    START_BLANK = "blank"
    START_COPY = "copy"

    title = forms.CharField(
        label="标题",
        max_length=TITLE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="标题较长时可按回车分两行。",
    )
    start = forms.ChoiceField(
        label="从哪里开始",
        choices=[(START_BLANK, "空白模板"), (START_COPY, "复制已有讲话稿")],
        initial=START_BLANK,
        widget=forms.RadioSelect,
    )
    source = forms.ModelChoiceField(
        label="要复制的讲话稿", queryset=Speech.objects.none(), required=False
    )

    def __init__(self, *args, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources if sources is not None else Speech.objects.none()
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("create", "创建讲话稿"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") == self.START_COPY and not cleaned.get("source"):
            self.add_error("source", "请选择要复制的讲话稿。")
        return cleaned


class SpeechHeaderForm(forms.ModelForm):
    version = version_field()

    class Meta:
        model = Speech
        fields = ["title", "occasion", "organization", "speaker", "date", "salutation", "pace"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        self.fields["title"].max_length = TITLE_MAX
        self.fields["title"].widget.attrs["maxlength"] = TITLE_MAX
        self.fields["title"].error_messages["required"] = "请填写标题。"
        self.helper = unit_helper(self, action)
        self.helper.layout = Layout(
            "version",
            Field("title"),
            Div(
                Div("occasion", css_class="col-md-6"),
                Div("organization", css_class="col-md-6"),
                css_class="row",
            ),
            Div(
                Div("speaker", css_class="col-md-4"),
                Div("date", css_class="col-md-3"),
                Div("salutation", css_class="col-md-3"),
                Div("pace", css_class="col-md-2"),
                css_class="row",
            ),
        )

    def clean_title(self):
        # Keep the drafter's line break (回行) but no blank lines or stray spaces.
        lines = [line.strip() for line in self.cleaned_data["title"].splitlines()]
        return "\n".join(line for line in lines if line)


class TextForm(forms.Form):
    """One text of the speech or of a part: the opening, a heading, a transition…"""

    version = version_field()
    text = forms.CharField(
        required=False, max_length=TEXT_MAX, strip=True, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, action: str, label: str, rows: int = 3, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].widget.attrs["rows"] = rows
        self.helper = unit_helper(self, action)


class ItemForm(forms.ModelForm):
    version = version_field()

    class Meta:
        model = Item
        fields = ["lead", "body"]
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 1}),
            "body": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead", "body"):
            self.fields[name].max_length = TEXT_MAX
            self.fields[name].widget.attrs["maxlength"] = TEXT_MAX
            self.fields[name].validators.append(MaxLengthValidator(TEXT_MAX))
        if self.instance.has_lead:
            self.fields["lead"].help_text = "领句单独成句，导出时加粗；编号自动生成，不必输入。"
        else:
            # Lessons and shortcomings are one sentence or a few, joined inline.
            del self.fields["lead"]
            self.fields["body"].label = "内容"
            self.fields["body"].widget.attrs["rows"] = 2
            self.fields["body"].help_text = "编号（一是、二是）和句末标点自动添加。"
        self.helper = unit_helper(self, action)
