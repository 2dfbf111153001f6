from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("学会与组织")

    def ready(self):
        from kexie.platform import home_blocks
        from kexie.platform.accounts.roles import grant_managers
        from members import selectors

        # What an organisation manager may do with their own organisation's
        # records; members.admin_scoping decides which rows are theirs.
        grant_managers(
            "members.view_society",
            "members.change_society",
            "members.view_branch",
            "members.add_branch",
            "members.change_branch",
            "members.view_person",
            "members.add_person",
            "members.change_person",
            "members.view_position",
            "members.add_position",
            "members.change_position",
            "members.delete_position",
            "members.view_honor",
            "members.view_contestproject",
            "members.add_contestproject",
            "members.change_contestproject",
            "members.view_progressupdate",
            "members.add_progressupdate",
            "members.change_progressupdate",
            "members.delete_progressupdate",
        )
        home_blocks.register(
            "members",
            order=30,
            template="members/_home_block.html",
            context=lambda request: {"figures": selectors.home_figures()},
            domains=("members",),
        )
