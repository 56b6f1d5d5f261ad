"""``make bench``: fakecampaign's benchmark suite, with a bare FastAPI baseline measured in the same run.

Run from the repository root as ``python -m bench`` (``--quick`` for a fast sanity run, ``--help`` for options).
Results go to bench/results/latest.json and latest.md (git-ignored).
"""
