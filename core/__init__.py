"""The base every app builds on, and which imports none of them: who may post and how much (posting),
hiding by moderators (hiding), database helpers (db), forms and their renderer (forms), confirmation
pages (confirm), pagination, caching of shared pages and the resilient Redis cache, mail, and the error page.

The layers, enforced by the import contracts in pyproject.toml (`make lint`):
localism (project) > demo > moderation > accounts > learning > challenges > groups > core.
"""
