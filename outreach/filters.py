from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.platform.lib.inputs import BoundedDateField, DateInput
from members.models import Town
from outreach.models import Audience, Event, Venue
from outreach.selectors import filter_choices, period_bounds


class StyledFilterSet(django_filters.FilterSet):
    """Gives the filter widgets Bootstrap's classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, found in self.filters.items():
            # The class's own lists, not the copies each filter set gets: their
            # options are written once (outreach.templatetags.outreach._options).
            declared = self.base_filters.get(name)
            if declared is not None and "choices" in declared.extra:
                found.extra["choices"] = declared.extra["choices"]
        self.prepare_filters()
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} {css}-sm"

    def prepare_filters(self) -> None:
        """Called before the form is built."""


class SharedChoiceField(django_filters.fields.ChoiceField):
    """A choice field whose copies share its choices. A form deep-copies its
    fields for every request, and with them the list of every venue and town
    (a twentieth of a filtered list); nothing changes such a list in place."""

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result


class ChoiceFilter(django_filters.ChoiceFilter):
    field_class = SharedChoiceField


class BoundedDateFilter(django_filters.DateFilter):
    # Out of range, the form says so and the filter is left out (9999-12-31
    # plus one day overflowed).
    field_class = BoundedDateField


class EventFilter(StyledFilterSet):
    """The full filters of the event list; ``period`` and ``who`` are also its
    quick choices (chips: this weekend, this month, for children)."""

    PERIODS = [("weekend", _("本周末")), ("month", _("本月"))]
    WHO = [("children", _("适合孩子"))]

    # A browser keeps the words under what the server takes in one request
    # line (gunicorn: 4094 bytes; a Chinese character is 9 once escaped).
    q = django_filters.CharFilter(
        label=_("关键词"),
        method="filter_text",
        widget=forms.TextInput(attrs={"maxlength": 200}),
    )
    period = ChoiceFilter(
        label=_("时间"), choices=PERIODS, empty_label=_("不限"), method="filter_period"
    )
    who = ChoiceFilter(label=_("适合谁"), choices=WHO, empty_label=_("不限"), method="filter_who")
    date_from = BoundedDateFilter(label=_("开始日期"), method="filter_from", widget=DateInput)
    date_to = BoundedDateFilter(label=_("结束日期"), method="filter_to", widget=DateInput)
    # Choices of records: ids and names kept in the process until a write
    # (selectors.filter_choices), put in by prepare_filters.
    town = ChoiceFilter(label=_("镇街道"), field_name="venue__town", empty_label=_("全部"))
    audience = ChoiceFilter(label=_("面向人群"), field_name="audiences", empty_label=_("全部"))
    kind = ChoiceFilter(label=_("活动类型"), choices=Event.Kind.choices, empty_label=_("全部"))
    campaign = ChoiceFilter(label=_("品牌活动"), empty_label=_("全部"))
    venue = ChoiceFilter(label=_("活动地点"), empty_label=_("全部"))

    class Meta:
        model = Event
        fields = [
            "q",
            "period",
            "who",
            "date_from",
            "date_to",
            "town",
            "audience",
            "kind",
            "campaign",
            "venue",
        ]

    RECORD_CHOICES = {
        "town": "towns",
        "audience": "audiences",
        "campaign": "campaigns",
        "venue": "venues",
    }

    def __init__(self, *args, choices: dict | None = None, **kwargs):
        self.choices = choices
        super().__init__(*args, **kwargs)

    def prepare_filters(self) -> None:
        choices = self.choices or filter_choices()
        for name, kind in self.RECORD_CHOICES.items():
            self.filters[name].extra["choices"] = choices[kind]
        self.filters["audience"].extra["choices"] = [
            (pk, Audience.name_in_language(label)) for pk, label in choices["audiences"]
        ]

    def filter_text(self, queryset, name, value):
        words = value.split()[:5]
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(description__icontains=word)
                | Q(speakers__icontains=word)
            )
        return queryset

    def filter_period(self, queryset, name, value):
        bounds = period_bounds(value)
        if bounds is None:
            return queryset
        start, end = bounds
        return queryset.filter(starts_at__lt=end, ends_at__gte=start)

    def filter_who(self, queryset, name, value):
        if value != "children":
            return queryset
        # Events for young people, or with an age range that ends in childhood;
        # a subquery, so an event with several audiences is listed once.
        youth = Event.audiences.through.objects.filter(audience__code=Audience.Code.YOUTH).values(
            "event_id"
        )
        return queryset.filter(Q(pk__in=youth) | Q(max_age__isnull=False, max_age__lte=17))

    def _day_start(self, value):
        return datetime.combine(value, time.min, tzinfo=timezone.get_current_timezone())

    def filter_from(self, queryset, name, value):
        return queryset.filter(ends_at__gte=self._day_start(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(starts_at__lt=self._day_start(value) + timedelta(days=1))


class VenueFilter(StyledFilterSet):
    kind = ChoiceFilter(label=_("类型"), choices=Venue.Kind.choices, empty_label=_("全部"))
    level = ChoiceFilter(label=_("基地级别"), choices=Venue.Level.choices, empty_label=_("全部"))
    town = django_filters.ModelChoiceFilter(
        label=_("镇街道"), queryset=Town.objects.all(), empty_label=_("全部")
    )

    class Meta:
        model = Venue
        fields = ["kind", "level", "town"]
