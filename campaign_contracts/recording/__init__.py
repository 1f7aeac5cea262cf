"""Recordings of HTTP exchanges as HAR 1.2 files, sanitized before anything is written.

One writer (`har.HarWriter`) and one sanitizer (`sanitize.Sanitizer`) serve both the
validating proxy (`campaign-proxy --record DIR`) and the contract runs
(`reports/contract/<api>.har`), so a recording made either way reads the same. One reader
(`reader.read_har`, `reader.merged`) gives them back as a stream of `reader.RecordedExchange`s, for
evidence and parity.

**The files** are standard HAR 1.2 (`{"log": {"version": "1.2", "creator", "entries"}}`), which
browser devtools and HAR tools open. Each entry has `startedDateTime`, `time`, `request`
(`method`, `url`, `httpVersion`, `headers`, `cookies`, `queryString`, `postData` with `mimeType`
and `text` when there is a body, `headersSize` -1, `bodySize`), `response` (`status`,
`statusText`, `httpVersion`, `headers`, `cookies`, `content` with `size`, `mimeType`, `text`
and, for a body that is not UTF-8, `encoding: "base64"`, `redirectURL`, `headersSize` -1,
`bodySize`), `cache` and `timings` (`send`, `wait`, `receive`; the whole time is `wait`).
Bodies are recorded decoded (no `Content-Encoding` left to undo), headers as they travelled.
Extensions, all legal HAR: an exchange that got no answer (the upstream was unreachable)
has `response.status` 0 and the reason in the entry's `comment`; a body over the recording
limit is left out, with `comment` saying so; `_origin` says what produced the exchange and
`_try` which try of its request it was, when not the first (`origins`). The file is valid
JSON after every entry: each entry is written before the closing brackets, which are
rewritten after it.

**Placeholders.** Before an exchange is written, every credential in it is replaced by a
placeholder `<API-KIND-N>`: `<engage-token-1>`, `<intelsend-cookie-2>`, `<intelsend-user-id-1>`,
`<engage-password-1>`. KIND says where the secret was found: `token` (`Authorization`,
`Proxy-Authorization`, and a JSON or form field `token`), `cookie` (each value in `Cookie` and
`Set-Cookie`), `user-id` (`x-user-id`), `password` (a JSON or form field `password`), or the
lower-cased name given to `--redact NAME` (a header, query parameter or body field of that
name). N counts the distinct secrets of that kind, from 1. The same secret always gets the
same placeholder, in every file of one writer, so a recording still replays and compares: the
token a sign-in answered and the `Authorization` sent later both read `<engage-token-1>`. An
`Authorization` value keeps its scheme (`Bearer <engage-token-1>`). Once found, a secret is
replaced wherever else it appears in the exchange (an echo in a body, a URL), in plain,
percent-encoded and JSON-escaped form; a percent-encoded one by the percent-encoded
placeholder (`%3Cengage-token-1%3E`).
"""
