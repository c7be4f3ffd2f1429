"""Unit and integration tests: fast, real loopback servers where a server is needed."""
