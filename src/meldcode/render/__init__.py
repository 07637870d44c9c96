"""rich at the edge: the summary of a walk (`summary`), lists and views (`views`), and the
follow-up agenda (`agenda`). Empty on purpose: `lijst` and `statistiek` import `views` without
the engine and the flow model that `summary` needs."""
