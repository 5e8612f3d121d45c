"""GraphQL plumbing shared by every app: the views, limits, error translation, base types and batching.

Each app keeps its own `<app>/graphql/{types,queries,mutations}.py`; `jianglian/schema.py` composes them.
"""
