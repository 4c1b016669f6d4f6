import core.markdown
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('challenges', '0013_award_funder_org_id'),
    ]

    operations = [
        migrations.AddField(
            model_name='solution',
            name='approach_html',
            field=core.markdown.RenderedMarkdownField(source='approach'),
        ),
        migrations.AddField(
            model_name='solution',
            name='problem_html',
            field=core.markdown.RenderedMarkdownField(source='problem'),
        ),
        migrations.AddField(
            model_name='solution',
            name='resources_needed_html',
            field=core.markdown.RenderedMarkdownField(source='resources_needed'),
        ),
        migrations.AddField(
            model_name='solution',
            name='who_involved_html',
            field=core.markdown.RenderedMarkdownField(source='who_involved'),
        ),
        migrations.AddField(
            model_name='solution',
            name='why_here_html',
            field=core.markdown.RenderedMarkdownField(source='why_here'),
        ),
        migrations.AddField(
            model_name='update',
            name='body_html',
            field=core.markdown.RenderedMarkdownField(source='body'),
        ),
        migrations.AddField(
            model_name='update',
            name='do_differently_html',
            field=core.markdown.RenderedMarkdownField(source='do_differently'),
        ),
        migrations.AddField(
            model_name='update',
            name='what_didnt_html',
            field=core.markdown.RenderedMarkdownField(source='what_didnt'),
        ),
        migrations.AddField(
            model_name='update',
            name='what_worked_html',
            field=core.markdown.RenderedMarkdownField(source='what_worked'),
        ),
    ]
