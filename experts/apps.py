from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("科协帮")

    def ready(self):
        from kexie.platform import home_blocks
        from kexie.platform.accounts import first_steps
        from kexie.platform.accounts.models import User

        first_steps.register(User.Role.EXPERT, "experts:expert_apply")

        home_blocks.register(
            "experts",
            order=40,
            template="experts/_home_block.html",
            context=_home_context,
        )


def _home_context(request) -> dict:
    from experts import selectors

    return {"figures": selectors.platform_figures(), "needs": list(selectors.board_needs()[:5])}
