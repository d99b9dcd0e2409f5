"""Extension points of the body page, so domains above bodies add to it without bodies
importing them.

* `body_context(func)`: `func(body) -> dict`, merged into the body page's template context
  (documents adds the documents the body owns, balance its statistics).
"""

BODY_CONTEXT: list = []


def body_context(func):
    if func not in BODY_CONTEXT:
        BODY_CONTEXT.append(func)
    return func


def page_context(body) -> dict:
    """Everything the registered providers contribute to a body page."""
    context: dict = {}
    for provider in BODY_CONTEXT:
        context.update(provider(body))
    return context
