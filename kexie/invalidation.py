"""Every derived copy a write makes stale, connected per model in one place.

Three caches follow the records, each through receivers connected with a
sender (so models nobody watches keep Django's fast, signal-free deletes):

- the page cache (``kexie.platform.lib.pagecache``): a generation per data
  domain, bumped on commit by a write to any model of ``outreach``, ``experts``,
  ``members`` or ``content`` (and ``content``'s also by its clock, at the moment a
  scheduled article goes public or a notice closes);
- the matching index (``experts.models.matching``): a version bumped by a
  write to the experts, keywords, disciplines and the records the ranking's
  priors read (invitations, responses, engagements, ratings);
- the search index (``kexie.portal.search.receivers``): the document of each
  indexed record, refreshed on commit, and ``search``'s page-cache generation;
- parts of pages cached apart from the page (``kexie.platform.lib.parts``):
  the event cards (``outreach.cards``), each under its event's dependency, and
  the articles' list entries and pages (``kexie.portal.content.rendered``),
  each under its article's;
- the association's profile kept in each process for every page's footer
  (``kexie.portal.about.kept``), under ``about``'s generation, and forgotten
  at once by a write in the same process;
- values kept in each process under the generations of the domains they are
  drawn from, read first (``parts.cached_value`` and its kin): the filter
  form's choices, the columns with the first pages of the article lists,
  the home page's blocks (``kexie.platform.home_blocks``), the coming events'
  ids with their ends (``outreach.upcoming``, exact as the clock passes an
  end) and the event list's chips and form per query (``outreach.cards``).

Writers that bypass signals (``QuerySet.update``, ``bulk_create``) call the
cache's own function: ``pagecache.bump_on_commit``, ``index_invalidate``,
``search.services.document_refresh``.
"""


def connect() -> None:
    """Called once, from ``KexieConfig.ready``, after every app is loaded."""
    from experts.models.matching import connect_index_signals
    from kexie.platform.lib import pagecache
    from kexie.portal.about import kept as about_kept
    from kexie.portal.content import rendered as content_rendered
    from kexie.portal.search import receivers as search_receivers
    from outreach import cards

    pagecache.connect_signals()
    cards.connect_signals()
    content_rendered.connect_signals()
    about_kept.connect_signals()
    connect_index_signals()
    search_receivers.connect()
