from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from ..charts import metric_charts
from ..selectors import solutions_for_group

register = template.Library()


@register.inclusion_tag("challenges/_solution_list.html")
def group_solutions(group, include_drafts=False):
    """The group's solutions, for its page. Pass whether the viewer manages the group: managers see
    drafts and a link to describe a new solution."""
    return {
        "solutions": solutions_for_group(group=group, include_drafts=include_drafts),
        "group": group,
        "can_manage": include_drafts,
    }


@register.simple_tag
def metric_chart(solution_metric):
    """The SVG chart of a SolutionMetric's readings (`shown_readings`, charts.Reading, as
    selectors.metrics_for_page reads them) against its target."""
    return metric_charts(
        readings=solution_metric.shown_readings,
        target=solution_metric.target,
        name=solution_metric.metric.name,
        unit=solution_metric.metric.unit,
        chart_id=f"chart-{solution_metric.pk}",
    )


@register.simple_tag
def field_input(bound_field):
    """A field's hint, errors and input for forms drawn as table rows, where the template writes the
    label. Django ties the hint and errors to the input with aria-describedby and aria-invalid."""
    help_text = ""
    if bound_field.help_text:
        help_text = format_html(
            '<div class="hint" id="{}_helptext">{}</div>', bound_field.auto_id, bound_field.help_text
        )
    errors = ""
    if bound_field.errors:
        errors = format_html(
            '<div class="error-message" id="{}_error">{}</div>',
            bound_field.auto_id,
            format_html_join(
                "",
                '<p><span class="visually-hidden">{}</span> {}</p>',
                ((_("Error:"), e) for e in bound_field.errors),
            ),
        )
    return format_html("{}{}{}", help_text, errors, bound_field.as_widget())
