import core.markdown
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0012_list_context_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='action',
            name='description_html',
            field=core.markdown.RenderedMarkdownField(source='description'),
        ),
        migrations.AddField(
            model_name='group',
            name='about_html',
            field=core.markdown.RenderedMarkdownField(source='about'),
        ),
    ]
