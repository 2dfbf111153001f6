"""The roof of the portal: features that span the domain apps (site search,
staff reports). They may import every domain app; no domain app imports them.
"""
