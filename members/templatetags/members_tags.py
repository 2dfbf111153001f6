from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, name, value):
    """The current query string with one parameter replaced (for pagers)."""
    query = context["request"].GET.copy()
    query[name] = value
    return query.urlencode()
