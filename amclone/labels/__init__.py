"""Label sets, matchers, their parsers and Go-compatible regexes (layer L0).

Modules: `labelset` (fingerprints, String, Before, validity), `regex` (Go RE2 via google-re2),
`matcher` (Matcher values), `parse` (the parser in force: classic by default, UTF-8 or fallback
by `parse.set_mode`), `classic` (0.25's parser) and `utf8parse` (newer Alertmanager's parser).
"""
