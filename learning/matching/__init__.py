"""Context vectors, similarity, top-K search and explanations for peer matching.

Functions on numpy arrays: nothing here reads or writes the database (the vocabularies are the models'
choices, the site's weights come from settings), so the benchmarks and the services share exactly the
same code. Import from the module that holds what you need; each imports only from those above it in
this list:

- `weights`: the signals, their default weights (settings.LEARNING_MATCH_WEIGHTS overrides them), leans.
- `features`: what the matcher knows about a group (GroupFeatures, Progress) and the vocabularies of
  its structured fields, read from groups.models and challenges.models.
- `text`: the TF-IDF text model and its salient terms.
- `meaning`: the embeddings of texts and tag names.
- `vectors`: a group's context vector, one block per signal, and per-signal similarities.
- `search`: top-K search over the vectors.
- `reasons`: why two groups are peers, as stored JSON and as sentences.
"""
