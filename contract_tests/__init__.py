"""Contract tests that check the vendor APIs (or the sandbox) against the OpenAPI documents."""
