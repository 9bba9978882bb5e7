"""Forms of the editing pages; crispy helpers live here, never in views.

Every text is limited in length so that a runaway paste is refused with a message
instead of being stored: a field stored in a column of fixed width by its width, any
other by its budget (``models.text_limit``, settings.BUDGETS), so that SQLite and
PostgreSQL keep and refuse the same texts.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator

from . import budgets as budgeting
from . import (
    importing,
    parsing,
    passages,
    proofreading_marks,
    reading,
    speech_json,
    structure,
    wording_csv,
)
from .budgets import Budgets, configured
from .models import (
    HEADER_FIELDS,
    LARGEST_ID,
    Comment,
    Item,
    Revision,
    Speech,
    Suggestion,
    Transition,
    plain,
    text_limit,
)
from .numbering import HEADING_TEXT, ITEM_TEXT, LEAD_TEXT, strip_typed_number, typed_number_note
from .proofreading import PLACEHOLDER

TOO_LONG = "内容过长：最多 %(limit_value)d 字，现有 %(show_value)d 字。请删减或分段后再保存。"
NUL_MESSAGE = "文字中有一个空字符（NUL，多见于从别处复制的内容），无法保存。请删去后再保存。"


def unit_helper(form: forms.BaseForm, action: str) -> FormHelper:
    """The helper of a form that saves one editable unit in place."""
    helper = FormHelper(form)
    helper.form_action = action
    # editor.js saves every unit form in place (autosave, see save-protocol in
    # editing.py); without JavaScript the form posts and the page reloads.
    helper.form_class = "unit-form"
    # One id per unit (from the form's auto_id): a page holds many of these buttons.
    button_id = form.auto_id % "save" if "%s" in str(form.auto_id) else None
    helper.add_input(Submit("save", "保存", css_class="btn-sm", css_id=button_id))
    return helper


def limit_length(field: forms.Field, limit: int) -> None:
    """Refuse text longer than ``limit`` on the server, with a message saying by how much.

    The browser gets no ``maxlength``: it would cut a long paste silently, and the
    drafter would lose the rest without knowing. The refused text comes back intact.
    A limit the field had already (a model form's, from the column) gives way to this
    one, so a field over it gets one message, in the words of every other.
    """
    field.validators = [
        validator for validator in field.validators if not isinstance(validator, MaxLengthValidator)
    ]
    field.validators.append(MaxLengthValidator(limit, message=TOO_LONG))
    field.max_length = limit
    field.widget.attrs.pop("maxlength", None)
    # Django's own Chinese for a NUL character is garbled ("不允许是用空字符串").
    for validator in field.validators:
        if isinstance(validator, ProhibitNullCharactersValidator):
            validator.message = NUL_MESSAGE


def add_bases(form: forms.BaseForm, stored: dict) -> None:
    """A hidden ``base_NAME`` per field: the stored value the field was loaded with.

    A save sends it back, so the server knows what the user's text was typed on
    (``Speech.save_unit`` merges or reports a conflict field by field) without
    trusting a value it reads again in the same request.

    A base is a stored text, so no longer than the longest column (``field_chars``):
    a longer one is no base a page was given, and would only make the merge work.
    """
    for name, value in stored.items():
        base = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
        limit_length(base, configured().field_chars)
        form.fields[f"base_{name}"] = base
        form.initial.setdefault(f"base_{name}", "" if value is None else value)


def bases_of(form: forms.BaseForm, names) -> dict:
    """The bases a bound form was sent with, for the fields that had one."""
    prefix = "base_"
    return {
        name: form.data[prefix + name].replace("\r\n", "\n")
        for name in names
        if prefix + name in form.data
    }


class TypedNumbers:
    """Strips a number typed at the start of a numbered text, as the importer does.

    The app numbers headings and items itself; a typed 一、 or （一） would print twice
    (一、一、). What was removed is said in ``notes``, for the page to show after the save.
    """

    notes: list[str]

    def strip_number(self, text: str, where: str) -> str:
        text, label = strip_typed_number(text, where)
        if label:
            note = typed_number_note(label)
            if note not in self.notes:
                self.notes.append(note)
        return text


def version_field() -> forms.IntegerField:
    """The version of the unit the drafter loaded, sent back with every save."""
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SpeechCreateForm(forms.Form):
    START_BLANK = "blank"
    START_COPY = "copy"

    title = forms.CharField(
        label="标题",
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
        limit_length(self.fields["title"], text_limit(Speech, "title"))
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
        fields = list(HEADER_FIELDS)
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.notes = []  # as every unit form: nothing is numbered in the header
        self.fields["title"].required = True
        for name, field in self.fields.items():
            # Short fields too: the server says what is too long, the browser cuts nothing.
            if isinstance(field, forms.CharField):
                limit_length(field, text_limit(Speech, name))
        self.fields["pace"].help_text = "每分钟 60–400 字，一般 180。"
        self.fields["pace"].widget.attrs.update(min=60, max=400)
        self.fields["title"].error_messages["required"] = "请填写标题。"
        add_bases(self, {name: getattr(self.instance, name) for name in HEADER_FIELDS})
        self.helper = unit_helper(self, action)
        self.helper.layout = Layout(
            "version",
            *(f"base_{name}" for name in HEADER_FIELDS),
            Field("title"),
            Div(
                Div("occasion", css_class="col-md-6"),
                Div("organization", css_class="col-md-6"),
                css_class="row",
            ),
            Div(
                Div("speaker", css_class="col-md-3"),
                Div("date", css_class="col-md-3"),
                Div("salutation", css_class="col-md-2"),
                Div("pace", css_class="col-md-2"),
                Div("target_minutes", css_class="col-md-2"),
                css_class="row",
            ),
        )

    def clean_title(self):
        # Keep the drafter's line break (回行) but no blank lines or stray spaces.
        lines = [line.strip() for line in self.cleaned_data["title"].splitlines()]
        return "\n".join(line for line in lines if line)


class TextForm(TypedNumbers, forms.Form):
    """One text of the speech or of a part: the opening, a heading, a transition…

    ``limit``: the most characters its column holds (``models.text_limit``; by default
    ``field_chars``, the limit of every text column without a width of its own);
    ``numbered``: the text is a part's heading, which the app numbers 一、二、.
    """

    version = version_field()
    text = forms.CharField(required=False, strip=True, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args,
        action: str,
        label: str,
        limit: int | None = None,
        rows: int = 3,
        numbered: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.numbered = numbered
        self.notes = []
        limit_length(self.fields["text"], limit or configured().field_chars)
        self.fields["text"].label = label
        self.fields["text"].widget.attrs["rows"] = rows
        add_bases(self, {"text": self.initial.get("text", "")})
        if numbered:
            self.fields["text"].help_text = "编号（一、二、）自动生成，不必输入。"
        self.helper = unit_helper(self, action)

    def clean_text(self):
        text = self.cleaned_data["text"]
        return self.strip_number(text, HEADING_TEXT) if self.numbered else text


class ItemForm(TypedNumbers, forms.ModelForm):
    """An item: an achievement's or a measure's lead and body, or a lesson's or a
    shortcoming's text (in ``body``). A number typed at the start of the lead, or of a
    lesson's or shortcoming's text, is removed (``notes`` says so)."""

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
        self.notes = []
        for name in ("lead", "body"):
            limit_length(self.fields[name], text_limit(Item, name))
        if self.instance.has_lead:
            self.fields["lead"].help_text = "领句单独成句，导出时加粗；编号自动生成，不必输入。"
        else:
            # Lessons and shortcomings are one sentence or a few, joined inline.
            del self.fields["lead"]
            self.fields["body"].label = "内容"
            self.fields["body"].widget.attrs["rows"] = 2
            self.fields["body"].help_text = "编号（一是、二是）和句末标点自动添加。"
        add_bases(
            self, {name: getattr(self.instance, name) for name in self.instance.text_fields()}
        )
        self.helper = unit_helper(self, action)

    def clean_lead(self):
        return self.strip_number(self.cleaned_data["lead"], LEAD_TEXT)

    def clean_body(self):
        body = self.cleaned_data["body"]
        # An achievement's or a measure's body follows its lead: 一是… there is an
        # enumeration inside the item, not the item's number.
        return body if self.instance.has_lead else self.strip_number(body, ITEM_TEXT)


class ItemAddForm(forms.Form):
    """Where a new item goes: right after the item ``after`` (its id), or at the end."""

    after = forms.UUIDField(
        required=False,
        error_messages={"invalid": "要在其后插入的条目编号无效，请刷新页面后再试。"},
    )


class ItemMoveForm(forms.Form):
    """Where an item moves: one place up or down (the buttons), or to a position (a drop).

    ``clean`` gives ``offset`` (-1, +1 or None) and ``position`` (a number or None); a
    direction wins over a position, as editor.js expects.
    """

    OFFSETS = {"up": -1, "down": +1}

    direction = forms.ChoiceField(
        choices=[("up", "上移"), ("down", "下移")],
        required=False,
        error_messages={"invalid_choice": "移动方向无效，只能上移或下移。"},
    )
    # ASCII digits only: str.isdigit() passes "²", which int() then refuses.
    position = forms.RegexField(
        r"\A[1-9][0-9]{0,5}\Z",
        required=False,
        error_messages={"invalid": "目标位置必须是正整数。"},
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["offset"] = self.OFFSETS.get(cleaned.get("direction") or "")
        if cleaned["offset"] is None and not self.errors:
            if not cleaned.get("position"):
                raise forms.ValidationError("请指明上移、下移或移到第几条。")
            cleaned["position"] = int(cleaned["position"])
        return cleaned


class TrashFilterForm(forms.Form):
    """``?speech=ID`` on the trash: one speech's items. Anything that is no id (²,
    -1, thirty digits) shows the whole trash, as no filter does."""

    speech = forms.IntegerField(required=False, min_value=1, max_value=LARGEST_ID)


class HistoryFilterForm(forms.Form):
    """``?anchor=`` on the history: one unit's revisions. A value no unit has (too long
    for the column, a NUL that PostgreSQL refuses) shows the whole history."""

    anchor = forms.CharField(
        required=False, max_length=Revision._meta.get_field("anchor").max_length
    )


class ActionForm(forms.Form):
    """The note that goes with a step of the review cycle (required where the step says).

    An approval while ``open_suggestions`` wait has a box to tick that they are left
    as they are (``Speech.take_action``'s ``confirmed``; unticked, the model refuses).
    ``proof_errors``: the proofreading errors left in the speech (issue 15), of which
    ``placeholders`` are placeholders not filled in; submitting with any asks the drafter
    to confirm it, here on the server and not only in the page, naming the two apart.
    """

    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        *args,
        action=None,
        open_suggestions: int = 0,
        proof_errors: int = 0,
        placeholders: int = 0,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["note"], text_limit(Transition, "note"))
        if action is not None:
            self.fields["note"].label = action.note_label
            self.fields["note"].required = action.note_required
            self.fields["note"].error_messages["required"] = f"请填写{action.note_label}。"
        if action is not None and action.name == "approve" and open_suggestions:
            self.fields["confirmed"] = forms.BooleanField(
                label="确认不处理未决建议",
                required=False,
                help_text=f"还有 {open_suggestions} 条修改建议未处理；勾选后审定通过，"
                "这些建议保持待处理。",
            )
        if action is not None and action.name == "submit" and proof_errors:
            left = left_to_fix(proof_errors - placeholders, placeholders)
            self.fields["proof_confirmed"] = forms.BooleanField(
                label=f"仍有{left}，确认提交",
                required=True,
                error_messages={
                    "required": f"讲话稿还有{left}。请先处理，或勾选“确认提交”后再提交。"
                },
            )


def left_to_fix(errors: int, placeholders: int) -> str:
    """What proofreading left, the placeholders named apart from the other errors.

    >>> left_to_fix(5, 2), left_to_fix(5, 0), left_to_fix(0, 2)
    (' 5 处校对错误未改正、2 处占位符未填写', ' 5 处校对错误未改正', ' 2 处占位符未填写')
    """
    parts = [f"{errors} 处校对错误未改正"] if errors else []
    parts += [f"{placeholders} 处占位符未填写"] if placeholders else []
    return " " + "、".join(parts)


class ProofCheckForm(forms.Form):
    """A field of the speech by its address and its text as typed, for proofreading.js
    (issue 15). The text is taken as it stands (not stripped): the findings' places are
    in the page's text box."""

    address = forms.CharField(max_length=200, error_messages={"required": "缺少要校对的栏目。"})
    text = forms.CharField(required=False, strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["text"], configured().field_chars)

    def clean_text(self):
        return plain(self.cleaned_data["text"])


class ProofIgnoreForm(forms.Form):
    """忽略 (or with ``undo``, 取消忽略) one finding of the speech, by its key."""

    key = forms.CharField(strip=False, error_messages={"required": "缺少要忽略的校对问题。"})
    undo = forms.BooleanField(required=False)

    def __init__(self, *args, addresses: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.addresses = addresses
        # A key holds the flagged text, at most a field's text.
        limit_length(self.fields["key"], configured().field_chars + 300)

    def clean_key(self):
        key = self.cleaned_data["key"]
        if proofreading_marks.key_address(key) not in self.addresses:
            raise forms.ValidationError("这条校对问题已不存在（所在的栏目可能已被删除）。")
        if key.startswith(f"{PLACEHOLDER}|"):
            # It stays in 待填占位符 whatever is ignored: a draft is final once it is filled.
            raise forms.ValidationError("占位符要填写，不能忽略。")
        return key


class CommentForm(forms.ModelForm):
    """A comment on a unit, or on a passage of one of its fields (issue 14): ``field``
    (the column), ``start`` and ``end`` (characters, as Python counts them) and
    ``quote``, the words the user selected. The words must be in the field as stored
    now: at ``start`` (from ``start`` to ``end``, line breaks and spaces aside, when the
    selection was made in the delivered text), else their occurrence nearest to it;
    otherwise the comment is refused with a message and comes back as typed."""

    field = forms.CharField(required=False, widget=forms.HiddenInput)
    # Where the words are is only a hint (the words decide): what is no number is none.
    start = forms.CharField(required=False, widget=forms.HiddenInput)
    end = forms.CharField(required=False, widget=forms.HiddenInput)
    quote = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["anchor", "text", "parent"]
        widgets = {
            "anchor": forms.HiddenInput,
            "parent": forms.HiddenInput,
            "text": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {"text": {"required": "批注内容不能为空。"}}

    def __init__(self, *args, speech, **kwargs):
        super().__init__(*args, **kwargs)
        self.speech = speech
        self.unit = None
        limit_length(self.fields["text"], text_limit(Comment, "text"))
        limit_length(self.fields["quote"], configured().field_chars)
        for name in ("field", "start", "end"):
            limit_length(self.fields[name], 40)
        self.fields["parent"].queryset = Comment.objects.filter(speech=speech, parent=None)

    def clean_text(self):
        # Line breaks as "\n", whichever a browser sent, as every saved text has them.
        return plain(self.cleaned_data["text"])

    def clean_anchor(self):
        anchor = self.cleaned_data["anchor"]
        self.unit = self.speech.unit_for(anchor)
        if self.unit is None:
            raise forms.ValidationError("批注的位置已不存在（条目可能已被删除）。")
        return anchor

    def clean(self):
        cleaned = super().clean()
        cleaned["passage"] = None
        quote = plain(cleaned.get("quote") or "")
        if cleaned.get("parent") or not quote or self.unit is None or self.has_error("quote"):
            return cleaned  # a reply, a comment on the whole unit, or refused already
        instance, _, names = self.unit
        column = cleaned.get("field") or ""
        text = getattr(instance, column, None) if column in names else None
        if not isinstance(text, str):
            raise forms.ValidationError(PASSAGE_GONE)
        if not quote.strip():
            raise forms.ValidationError("所选的只有空白，请选择要批注的文字。")
        start, end = (_position(cleaned.get(name)) for name in ("start", "end"))
        found = passages.confirm(text, quote, start, end)
        if found is None:
            raise forms.ValidationError(
                f"所选文字「{passages.shorten(quote)}」在当前内容中找不到：可能还没有保存，"
                "或刚被他人修改。请重新选择后再添加批注，批注内容已保留。"
            )
        cleaned["passage"] = (column, found)
        return cleaned

    def save(self, commit=True):
        comment = super().save(commit=False)
        if self.cleaned_data.get("passage"):
            comment.field, found = self.cleaned_data["passage"]
            comment.start, comment.quote = found.start, found.quote
        if commit:
            comment.save()
        return comment


PASSAGE_GONE = "所选文字的位置有误（那一处可能已被删除或改动），请重新选择后再添加批注。"


def _position(value: str | None) -> int | None:
    """A character offset sent by a page; None for anything that is none (ASCII
    digits only: "²".isdigit() is true, and int() refuses it)."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


class SuggestionForm(forms.Form):
    """A proposal made in 建议模式: the field (its unit's stable address and stored
    column), the text the page had for it (``base``), the text proposed, a reason.

    ``clean`` refuses a place the speech no longer has and a column that is not a text;
    how long a proposal may be is the model's to say (it knows the column's width).
    """

    anchor = forms.CharField(max_length=Suggestion._meta.get_field("anchor").max_length)
    field = forms.CharField(max_length=Suggestion._meta.get_field("field").max_length)
    base = forms.CharField(required=False, strip=False)
    # Stripped as a save strips the text it stores.
    proposed = forms.CharField(required=False, strip=True)
    reason = forms.CharField(required=False, strip=True)

    def __init__(self, *args, speech, **kwargs):
        super().__init__(*args, **kwargs)
        self.speech = speech
        self.fields["anchor"].error_messages["required"] = "没有指明要修改的位置。"
        self.fields["field"].error_messages["required"] = "没有指明要修改的字段。"
        # A base is a stored text, a proposal one to store: no longer than a column.
        limits = {"base": configured().field_chars, "proposed": configured().field_chars}
        limits["reason"] = text_limit(Comment, "text")
        for name, limit in limits.items():
            limit_length(self.fields[name], limit)
            self.fields[name].validators[-1].message = SUGGESTION_TOO_LONG[name]

    def clean(self):
        cleaned = super().clean()
        anchor, column = cleaned.get("anchor"), cleaned.get("field")
        if anchor is None or column is None:
            return cleaned
        located = self.speech.unit_for(anchor)
        if located is None:
            raise forms.ValidationError("建议的位置已不存在（条目可能已被删除）。")
        instance, _, names = located
        if column not in names or not isinstance(getattr(instance, column), str):
            raise forms.ValidationError("这一处不是可以提出修改建议的文字。")
        for name in ("base", "proposed"):
            cleaned[name] = plain(cleaned.get(name, ""))
        return cleaned


SUGGESTION_TOO_LONG = {
    "base": "原文过长：最多 %(limit_value)d 字，现有 %(show_value)d 字。请刷新页面后再提。",
    "proposed": "建议的文字过长：最多 %(limit_value)d 字，现有 %(show_value)d 字。",
    "reason": "理由过长：最多 %(limit_value)d 字，现有 %(show_value)d 字。",
}


class SuggestionReplyForm(forms.Form):
    """An answer to a suggestion, as long as a comment may be."""

    text = forms.CharField(label="回复", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["text"], text_limit(Comment, "text"))
        self.fields["text"].error_messages["required"] = "回复内容不能为空。"

    def clean_text(self):
        return plain(self.cleaned_data["text"])


class SuggestionAuthorForm(forms.Form):
    """Whose suggestions 全部接受 takes: ``Suggestion.author_key``."""

    author = forms.CharField(max_length=200, error_messages={"required": "没有指明建议人。"})


# --- Importing last year's speech (issue 4): paste or upload, preview, then create.


class SpeechImportForm(forms.Form):
    """Pasted text or an uploaded file; ``cleaned_data["parsed"]`` is the parse result.

    Every budget of an import is checked by the reader and the parser, before the work
    it limits; a refusal keeps the pasted text on the page.
    """

    text = forms.CharField(
        label="粘贴讲话稿全文",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 14, "placeholder": "从 Word 或记事本复制全文，粘贴到这里。"}
        ),
    )
    upload = forms.FileField(
        label="或者上传文件",
        required=False,
        error_messages={"empty": "文件是空的。"},
    )

    def __init__(self, *args, budgets: Budgets | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.budgets = budgets or budgeting.configured()
        # The parser drops control characters (NUL too) with a finding, as from a file;
        # Django's own refusal of NUL would lose the paste for one invisible character.
        self.fields["text"].validators = []
        # speechdraft.js refuses, before sending, a paste or a file so far past its
        # budget that the request itself would be refused (and the paste lost with it).
        self.fields["text"].widget.attrs.update(
            {"data-max-chars": self.budgets.import_chars, "data-what": "粘贴的文字"}
        )
        self.fields["upload"].widget.attrs.update(
            {"data-max-bytes": self.budgets.upload_bytes, "data-what": "上传的文件"}
        )
        self.fields["upload"].help_text = (
            "支持 .txt（UTF-8 或 GBK/GB18030 编码）、.docx（也可以是 .docm 和 Word 模板"
            " .dotx、.dotm）和本系统导出的 .json，"
            f"不超过 {budgeting.megabytes(self.budgets.upload_bytes)}。"
            "旧版 .doc 和 WPS 的 .wps 文件请先另存为 .docx。"
        )
        self.helper = FormHelper(self)
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("preview", "识别结构"))

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("text") or "", cleaned.get("upload")
        if self.errors:
            return cleaned
        if upload and text.strip():
            raise forms.ValidationError("请只选一种方式：粘贴文字，或者上传文件。")
        if not upload and not text.strip():
            raise forms.ValidationError("请粘贴讲话稿全文，或者选择要上传的文件。")
        field = "upload" if upload else "text"
        try:
            if upload:
                # The size first: a file past the budget is refused unread.
                reading.check_file_size(upload.size, self.budgets)
                parsed = reading.read_upload(upload.name, upload.read(), self.budgets)
            else:
                parsed = parsing.parse_text(text, self.budgets, "粘贴的文字")
        except reading.ImportRefused as refused:
            self.add_error(field, refused.message)
            return cleaned
        errors = importing.speech_errors(parsed.speech, self.budgets)
        if errors:
            raise forms.ValidationError(errors)
        document = speech_json.dumps(parsed.speech)
        if posted_size(document) > confirm_post_limit():
            raise forms.ValidationError(
                f"识别结果提交时有 {posted_size(document)} 字节，超过一次提交的上限 "
                f"{confirm_post_limit()} 字节（DATA_UPLOAD_MAX_MEMORY_SIZE），"
                "请删减原文后再导入，或请管理员调高这一设置。"
            )
        cleaned["parsed"], cleaned["document"] = parsed, document
        return cleaned


# What a form post percent-encodes: all but these bytes take three (a space, one).
_UNENCODED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~ "


def confirm_post_limit() -> int:
    """What the confirm form may post: Django's request limit, less its other fields.

    The budgets keep a speech far below it; the check holds the promise that whatever
    previews creates even where the settings were changed one without the other.
    """
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 4096


def posted_size(document: str) -> int:
    """The bytes of ``document`` once a browser percent-encodes it in a form post."""
    data = document.encode("utf-8")
    return len(data) + 2 * len(data.translate(None, _UNENCODED))


class SpeechImportConfirmForm(forms.Form):
    """The previewed speech, carried as its JSON document and read again on submit.

    It is checked as the preview checked it (``importing.speech_errors``), so a speech
    that previewed creates, and a document altered on the way is refused the same way.
    """

    document = forms.CharField(widget=forms.HiddenInput, strip=False)

    def __init__(self, *args, action: str, budgets: Budgets | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.budgets = budgets or budgeting.configured()
        self.fields["document"].validators = []
        self.helper = FormHelper(self)
        self.helper.form_action = action
        self.helper.add_input(Submit("create", "创建讲话稿"))

    def clean_document(self) -> structure.Speech:
        try:
            data = speech_json.loads(self.cleaned_data["document"], self.budgets)
        except speech_json.SpeechFormatError as error:
            raise forms.ValidationError(
                f"识别结果在提交时已损坏：{error}请重新粘贴或上传。"
            ) from None
        errors = importing.speech_errors(data, self.budgets)
        if errors:
            raise forms.ValidationError(errors)
        return data


class WordingCsvForm(forms.Form):
    """A CSV file of the house wording list (admin, 规范用词 → 导入 CSV);
    ``cleaned_data["file"]`` is its rows (``wording_csv.Row``), read whole or refused."""

    file = forms.FileField(
        label="CSV 文件",
        help_text="第一行为表头：" + "、".join(wording_csv.HEADER) + "。可用“导出 CSV”得到样例。",
        error_messages={"empty": "文件是空的。", "required": "请选择要导入的 CSV 文件。"},
    )

    def clean_file(self) -> list[wording_csv.Row]:
        upload = self.cleaned_data["file"]
        if upload.size > wording_csv.MAX_BYTES:
            limit = budgeting.megabytes(wording_csv.MAX_BYTES)
            raise forms.ValidationError(f"文件超过上限：最多 {limit}。规范用词表通常只有几十 KB。")
        try:
            text = reading.decode_text(upload.read())
        except parsing.ImportRefused as refusal:
            raise forms.ValidationError(refusal.message) from None
        result = wording_csv.read_csv(text)
        if result.errors:
            raise forms.ValidationError(["未导入任何条目：", *result.errors])
        return result.rows


# --- A reviewed Word copy (issue 14, Word in): its 修订 and 批注 into suggestions


class ReviewImportForm(forms.Form):
    """The reviewed .docx; ``cleaned_data["data"]`` is its bytes, read within the size
    budget (the file's contents are judged by ``review_import.import_review``)."""

    upload = forms.FileField(
        label="审阅后的 Word 文件",
        error_messages={
            "required": "请选择审阅后的 Word 文件（.docx）。",
            "empty": "文件是空的。",
        },
    )

    def __init__(self, *args, budgets: Budgets | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.budgets = budgets or budgeting.configured()
        # speechdraft.js refuses a file past the budget before it is sent.
        self.fields["upload"].widget.attrs.update(
            {
                "data-max-bytes": self.budgets.upload_bytes,
                "data-what": "上传的文件",
                "accept": ".docx,application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document",
            }
        )
        self.fields["upload"].help_text = (
            "从本系统下载、在 Word 或 WPS 中开启“修订”审阅后保存的 .docx 文件，"
            f"不超过 {budgeting.megabytes(self.budgets.upload_bytes)}。"
            "修订记为修改建议，批注记为批注，都由起草人员逐条处理。"
        )
        self.helper = FormHelper(self)
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("import", "导入审阅稿"))

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        suffix = "." + upload.name.rpartition(".")[2].lower() if "." in upload.name else ""
        if suffix == ".doc":
            raise forms.ValidationError(
                "这是旧版 Word（.doc）文件，无法读取修订。"
                "请在 Word 或 WPS 中“另存为” .docx 后再导入。"
            )
        if suffix not in reading.WORD_SUFFIXES:
            raise forms.ValidationError("审阅稿只能是 Word 的 .docx 文件。")
        try:
            reading.check_file_size(upload.size, self.budgets)
        except reading.ImportRefused as refused:
            raise forms.ValidationError(refused.message) from None
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("upload"):
            # Read with a cap: the size the browser declared is the client's word.
            cleaned["data"] = cleaned["upload"].read(self.budgets.upload_bytes + 1)
        return cleaned
