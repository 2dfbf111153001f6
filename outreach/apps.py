from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("科普")

    def ready(self):
        from django.db.models.signals import post_migrate

        from kexie.platform import home_blocks
        from kexie.platform.accounts.roles import grant_managers
        from kexie.platform.digests.registry import register_staff_section
        from kexie.platform.lib import pagecache
        from members import org_sections
        from outreach import cards, overdue, privacy, seats_counter, selectors, upcoming

        # SQLite drops a table's triggers when a migration builds it anew.
        post_migrate.connect(seats_counter.on_post_migrate, sender=self)

        # A sign-up, a cancellation or a promotion changes its event's seats:
        # the pages showing that event are rendered afresh, the rest of the
        # domain's stay cached (the selectors that show seats depend on it).
        pagecache.register_fine(
            "outreach.Registration", lambda row: [selectors.event_dependency(row.event_id)]
        )
        pagecache.register_fragment(
            "seats", dependency=selectors.event_dependency, render=selectors.seats_badges
        )

        grant_managers(
            "outreach.view_event",
            "outreach.add_event",
            "outreach.change_event",
            "outreach.view_eventsession",
            "outreach.add_eventsession",
            "outreach.change_eventsession",
            "outreach.delete_eventsession",
            "outreach.view_reachentry",
            "outreach.add_reachentry",
            "outreach.change_reachentry",
            "outreach.delete_reachentry",
            "outreach.view_registration",
            "outreach.change_registration",
            "outreach.view_venue",
            "outreach.view_campaign",
            "outreach.view_speakerteam",
            "outreach.change_speakerteam",
            "outreach.view_lecturetopic",
            "outreach.add_lecturetopic",
            "outreach.change_lecturetopic",
            "outreach.view_lecturerequest",
            "outreach.view_eventrecap",
            "outreach.add_eventrecap",
            "outreach.change_eventrecap",
            "outreach.view_eventrecapphoto",
            "outreach.add_eventrecapphoto",
            "outreach.change_eventrecapphoto",
            "outreach.delete_eventrecapphoto",
        )
        home_blocks.register(
            "outreach-upcoming",
            order=10,
            template="outreach/_home_block.html",
            context=lambda request: {
                "cards": cards.event_cards(
                    selectors.home_upcoming_ids(
                        generations=getattr(request, "page_generations", None)
                    )
                )
            },
        )
        home_blocks.read_also(*upcoming.DOMAINS)
        home_blocks.register(
            "outreach-venues",
            order=25,
            template="outreach/_home_venues.html",
            context=lambda request: selectors.home_venues(),
            domains=("outreach", "members", "pictures"),
        )
        org_sections.register(
            "outreach-upcoming-events",
            order=20,
            template="outreach/_org_upcoming_events.html",
            context=lambda request, org: {"org": org},
        )
        register_staff_section(
            "outreach-lecture-requests", order=30, collect=overdue.lecture_requests_waiting
        )
        register_staff_section("outreach-events", order=40, collect=overdue.events_not_closed)
        privacy.register()
