"""Test suite of the Pact for Skills dashboard."""
