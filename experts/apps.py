from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("科协帮")

    def ready(self):
        from experts import overdue, privacy
        from kexie.platform import home_blocks
        from kexie.platform.accounts import first_steps
        from kexie.platform.accounts.models import User
        from kexie.platform.digests.registry import register_staff_section

        first_steps.register(User.Role.ENTERPRISE, "experts:enterprise_start")
        first_steps.register(User.Role.EXPERT, "experts:expert_apply")

        home_blocks.register(
            "experts",
            order=40,
            template="experts/_home_block.html",
            context=_home_context,
            domains=("experts",),
        )
        register_staff_section("experts-review", order=10, collect=overdue.review_overdue)
        register_staff_section("experts-response", order=20, collect=overdue.response_overdue)
        privacy.register()


def _home_context(request) -> dict:
    from experts import selectors

    return {"figures": selectors.platform_figures(), "needs": list(selectors.board_needs()[:5])}
