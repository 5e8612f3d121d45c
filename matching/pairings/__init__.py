"""Pairing agreements (结对意向书): services (writes), selectors (reads), the printable document, beat tasks."""
