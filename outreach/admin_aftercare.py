"""Admin of what follows an event: the feedback surveys staff edit."""

from django.contrib import admin

from outreach.models import Survey, SurveyQuestion


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 1
    fields = ["order", "text", "kind", "topic", "required"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["kind", "title", "updated_at"]
    fields = ["kind", "title", "intro"]
    inlines = [SurveyQuestionInline]

    def has_delete_permission(self, request, obj=None):
        # Answers refer to their survey; a kind without one gets the standard questions.
        return False
