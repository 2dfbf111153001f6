"""An enterprise's needs: registering the enterprise, writing, submitting,
withdrawing, attachments; and status changes by staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from experts import access, notify, selectors, workflow
from experts.forms import (
    ActionForm,
    AttachmentForm,
    EnterpriseForm,
    EnterpriseProfileForm,
    NeedForm,
    add_service_errors,
)
from experts.matching.disciplines import infer_disciplines
from experts.models import TechNeed
from experts.services import catalogue
from experts.services import needs as need_services
from experts.views.common import flash_errors
from kexie.platform.lib import confirm, partcache
from kexie.platform.lib.stored_files import open_or_404
from kexie.platform.privacy.services import consent_record

S = TechNeed.Status


@login_required
@require_safe
def enterprise_start(request):
    """An enterprise's first day in one flow: its profile, then its first need.

    Each step is saved when it is done, so a person who leaves halfway comes
    back here (or to 发布技术需求) to the step where they stopped."""
    enterprise = access.enterprise_for_user(request.user)
    if enterprise is None:
        return redirect("experts:enterprise_register")
    if selectors.is_first_need(enterprise):
        return redirect("experts:need_create")
    return redirect("experts:my_needs")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def enterprise_register(request):
    if access.enterprise_for_user(request.user) is not None:
        return redirect("experts:my_needs")
    # The contact is most often the person registering: what they just typed
    # (a number typed at registration stays pending until it is verified).
    phone = request.user.phone or request.user.pending_phone
    form = EnterpriseForm(
        request.POST or None,
        initial={"contact_name": request.user.name, "contact_phone": phone or ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = catalogue.enterprise_register(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Submitting under the notice shown with the form is the consent.
            consent_record(notice_key="enterprise", record=enterprise)
            messages.success(
                request,
                _(
                    "企业「%(name)s」已登记，科协工作人员核实后将标记为已认证。接下来请填写第一条技术需求。"
                )
                % {"name": enterprise.name},
            )
            return redirect("experts:enterprise_start")
    return render(request, "experts/enterprise_form.html", {"form": form, "step": 1})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def enterprise_profile(request):
    """The enterprise's details after registering: completed or corrected by its people."""
    enterprise = access.enterprise_for_user(request.user)
    if enterprise is None:
        return redirect("experts:enterprise_register")
    form = EnterpriseProfileForm(
        request.POST or None, initial=EnterpriseProfileForm.initial_for(enterprise)
    )
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.enterprise_update(enterprise=enterprise, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Saving under the notice shown with the form is the consent (for this version).
            consent_record(notice_key="enterprise", record=enterprise, again=True)
            messages.success(request, _("企业信息已保存。"))
            return redirect("experts:my_needs")
    return render(
        request, "experts/enterprise_profile.html", {"form": form, "enterprise": enterprise}
    )


@login_required
@require_safe
def my_needs(request):
    def content() -> str:
        enterprise = access.enterprise_for_user(request.user)
        needs = list(selectors.enterprise_needs(request.user)) if enterprise else []
        return render_to_string(
            "experts/_my_needs.html", {"enterprise": enterprise, "needs": needs}, request=request
        )

    # The user's own: kept per user while nothing in 科协帮 changes.
    needs = partcache.part(
        request, "experts:my_needs", domains=("experts",), vary=(request.user.pk,), render=content
    )
    return render(request, "experts/my_needs.html", {"content": needs})


def _with_suggestions(post) -> NeedForm:
    """The form as typed, unsaved, with keywords suggested from its text added."""
    text = " ".join(post.get(name, "") for name in ("title", "summary", "details"))
    typed = [w for w in post.get("keywords", "").replace("，", ",").split(",") if w.strip()]
    words = list(
        dict.fromkeys([w.strip() for w in typed] + need_services.keyword_suggestions(text))
    )
    initial = {name: post.get(name) for name in NeedForm.base_fields if name != "fields"}
    initial["fields"] = post.getlist("fields")
    initial["is_anonymous"] = bool(post.get("is_anonymous"))
    initial["keywords"] = "，".join(words[: need_services.MAX_KEYWORDS])
    form = NeedForm(initial=initial)
    form.fields["fields"].suggest([d for d, _score in infer_disciplines(text)])
    return form


def _need_form_page(request, form, need, enterprise):
    first = selectors.is_first_need(enterprise)
    return render(
        request,
        "experts/need_form.html",
        {"form": form, "need": need, "step": 2 if first else None},
    )


def _saved_as_draft(request, need):
    """After 暂存草稿: the half-written need stays open for writing."""
    messages.success(request, _("草稿已暂存。下次打开“发布技术需求”或“我的需求”即可接着填写。"))
    return redirect("experts:need_edit", pk=need.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def need_create(request):
    enterprise = access.enterprise_for_user(request.user)
    if enterprise is None:
        # The first step of the flow, never a bare 403.
        messages.info(request, _("发布技术需求前，请先登记企业信息。"))
        return redirect("experts:enterprise_register")
    draft = selectors.resumable_draft(enterprise)
    if request.method == "GET" and draft is not None and "new" not in request.GET:
        messages.info(request, _("继续填写您上次暂存的需求草稿。"))
        return redirect("experts:need_edit", pk=draft.pk)
    if request.method == "POST" and "suggest" in request.POST:
        return _need_form_page(request, _with_suggestions(request.POST), None, enterprise)
    as_draft = "save_draft" in request.POST
    form = NeedForm(request.POST or None, draft=as_draft)
    if request.method == "POST" and form.is_valid():
        try:
            need = need_services.need_create(
                enterprise=enterprise, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if as_draft:
                return _saved_as_draft(request, need)
            messages.success(request, _("需求草稿已保存。请核对系统建议的关键词，然后提交审核。"))
            return redirect(need)
    return _need_form_page(request, form, None, enterprise)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def need_edit(request, pk):
    need = access.need_for_owner(request.user, pk)
    if need.status == S.SUBMITTED:
        messages.error(
            request,
            _("需求正在等待审核，不能直接修改。请先点“退回草稿修改”，改好后重新提交审核。"),
        )
        return redirect(need)
    if need.status not in need_services.EDITABLE_STATUSES:
        messages.error(request, _("只有草稿或未通过审核的需求可以修改。"))
        return redirect(need)
    if request.method == "POST" and "suggest" in request.POST:
        return _need_form_page(request, _with_suggestions(request.POST), need, need.enterprise)
    as_draft = "save_draft" in request.POST
    form = NeedForm(request.POST or None, initial=NeedForm.initial_for(need), draft=as_draft)
    if request.method == "POST" and form.is_valid():
        try:
            need_services.need_update(need=need, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if as_draft:
                return _saved_as_draft(request, need)
            messages.success(request, _("需求已保存。"))
            return redirect(need)
    return _need_form_page(request, form, need, need.enterprise)


_ACTIONS = {
    S.SUBMITTED: (need_services.need_submit, gettext_lazy("需求已提交，等待科协工作人员审核。")),
    S.DRAFT: (need_services.need_revise, gettext_lazy("需求已退回草稿，可以修改后重新提交。")),
    S.PUBLISHED: (need_services.need_publish, gettext_lazy("需求已发布。")),
    S.REJECTED: (need_services.need_reject, gettext_lazy("已驳回该需求并通知企业。")),
    S.WITHDRAWN: (need_services.need_withdraw, gettext_lazy("需求已撤回。")),
    S.CLOSED: (need_services.need_close, gettext_lazy("需求已关闭。")),
    S.MATCHED: (need_services.need_transition, gettext_lazy("需求已标记为已匹配专家。")),
    S.IN_SERVICE: (need_services.need_transition, gettext_lazy("对接服务已开始。")),
}
# Changes that carry more than a status (an outcome, a rating, an accepted
# response) are made on their own pages; asking for them here explains why not.
_ELSEWHERE = {S.ACCEPTED, S.RESOLVED, S.RATED}


# Changes that cannot be taken back (or tell the enterprise at once) are
# asked about first.
_CONFIRM = {
    S.REJECTED: (
        gettext_lazy("驳回需求"),
        gettext_lazy("确定驳回“%(title)s”吗？企业会收到驳回原因的通知。"),
        gettext_lazy("确认驳回"),
    ),
    S.CLOSED: (
        gettext_lazy("关闭需求"),
        gettext_lazy("确定关闭“%(title)s”吗？关闭后不能重新打开。"),
        gettext_lazy("确认关闭"),
    ),
    S.WITHDRAWN: (
        gettext_lazy("撤回需求"),
        gettext_lazy("确定撤回“%(title)s”吗？撤回后不能恢复，专家将不能再响应。"),
        gettext_lazy("确认撤回"),
    ),
}


def _confirm_action(request, need, to_status):
    title, question, label = _CONFIRM[to_status]
    reason = request.POST.get("reason", "").strip()
    return confirm.ask(
        request,
        title=str(title),
        question=str(question) % {"title": need.title},
        details=[(_("原因"), reason)] if reason else [],
        keep=["to_status", "reason"],
        back_url=need.get_absolute_url(),
        confirm_label=str(label),
    )


@login_required
@require_POST
def need_action(request, pk):
    """Change a need's status: submit, revise, withdraw (owner); publish, reject, close (staff)."""
    need = access.need_for_user(request.user, pk, write=True)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("无法识别的操作。"))
        return redirect(need)
    to_status = form.cleaned_data["to_status"]
    if to_status not in _ACTIONS:
        if (need.status, to_status) in workflow.TRANSITIONS and to_status in _ELSEWHERE:
            messages.error(request, _("请在对接服务页面完成这一步。"))
        else:
            messages.error(
                request,
                _("不能将需求从「%(from)s」改为「%(to)s」。")
                % {"from": S(need.status).label, "to": S(to_status).label},
            )
        return redirect(need)
    # Without a reason (where one is needed) the service refuses: no need to ask.
    has_reason = to_status == S.WITHDRAWN or form.cleaned_data["reason"].strip()
    if to_status in _CONFIRM and has_reason and not confirm.confirmed(request):
        return _confirm_action(request, need, to_status)
    service, done = _ACTIONS[to_status]
    kwargs = {"need": need, "by": request.user}
    if service is need_services.need_transition:
        kwargs["to_status"] = to_status
    if to_status in (S.REJECTED, S.WITHDRAWN, S.CLOSED):
        kwargs["reason"] = form.cleaned_data["reason"]
    try:
        service(**kwargs)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        if to_status == S.REJECTED and not notify.enterprise_reachable(need.enterprise):
            done = _(
                "已驳回该需求。企业尚未验证手机或邮箱，无法通知；对方登录后可在需求页面看到驳回原因。"
            )
        messages.success(request, done)
    return redirect(need)


@login_required
@require_POST
def attachment_upload(request, pk):
    need = access.need_for_owner(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect(need)
    try:
        need_services.need_attachment_add(
            need=need, by=request.user, upload=form.cleaned_data["file"]
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("附件已上传。"))
    return redirect(need)


@login_required
@require_safe
def attachment_download(request, pk):
    attachment = access.attachment_for_user(request.user, pk)
    response = FileResponse(
        open_or_404(attachment.file),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = access.attachment_for_user(request.user, pk)
    need = access.need_for_owner(request.user, attachment.need_id)
    try:
        need_services.need_attachment_delete(attachment=attachment, by=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("附件已删除。"))
    return redirect(need)
