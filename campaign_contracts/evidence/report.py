"""The evidence report: suggested edits, operations, bodies and the ledger, as Markdown and JSON.

Each suggested edit is `contradicted` (the traffic contradicts what the document says),
`undocumented` (the traffic shows what the document does not say) or `lenient` (the vendor
accepted requests the document forbids: one line per operation, with the reasons; the
document stays as strict as it is unless the team decides otherwise); `--fail-on` gates on
them. Edits of one kind at one place are one line, whatever they name: "declare 'a', 'b' and
12 more in #/components/schemas/Campaign/properties".
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from campaign_contracts.documents import Document, unescape
from campaign_contracts.evidence.analysis import Evidence, LedgerEntry, Observation, Site
from campaign_contracts.evidence.schemas import number_as_string
from campaign_contracts.recording.reader import NOT_JSON
from campaign_contracts.text import markdown_cell

CONTRADICTED = "contradicted"
UNDOCUMENTED = "undocumented"
LENIENT = "lenient"
KINDS = (CONTRADICTED, UNDOCUMENTED, LENIENT)
MAX_SHOWN = 8
# Where a grouped edit's change lists what it names; how many it names before "and N more".
NAMES = "{names}"
NAMED = 3


def mask(value: Any) -> Any:
    """An example value with its content hidden and its shape kept: recordings may carry
    personal data, and a report travels further than a recording."""
    if isinstance(value, str):
        return value[:1] + "*" * min(len(value) - 1, 7) if value else ""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return "#" * len(str(value))
    if isinstance(value, list):
        return f"[{len(value)} items]"
    return f"{{{len(value)} keys}}"


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _name(path: str) -> str:
    return unescape(path.rsplit("/", 1)[-1]) or "the body"


@dataclass
class Edit:
    """One change to a document that would make it true to the traffic."""

    kind: str
    api: str
    document: str
    pointer: str
    change: str
    because: str
    count: int
    example: str
    operations: list[str] = field(default_factory=list)
    # What a grouped edit names, each once (its change says NAMES where they go).
    names: list[str] = field(default_factory=list)


def _listed(names: list[str]) -> str:
    """`'a', 'b', 'c' and 4 more`."""
    shown = ", ".join(names[:NAMED])
    return shown if len(names) <= NAMED else f"{shown} and {len(names) - NAMED} more"


class EditList:
    """Edits merged by document, pointer and change: one schema used by several operations
    gets one edit, with the operations listed; edits whose change lists NAMES merge their
    names into one."""

    def __init__(self) -> None:
        self.edits: dict[tuple[str, str, str], Edit] = {}

    def add(self, edit: Edit) -> None:
        key = (edit.document, edit.pointer, edit.change)
        found = self.edits.get(key)
        if found is None:
            self.edits[key] = edit
            return
        found.count += edit.count
        for operation in edit.operations:
            if operation not in found.operations:
                found.operations.append(operation)
        for name in edit.names:
            if name not in found.names:
                found.names.append(name)

    def sorted(self) -> list[Edit]:
        edits = [
            replace(edit, change=edit.change.replace(NAMES, _listed(edit.names)))
            for edit in self.edits.values()
        ]
        return sorted(edits, key=lambda e: (KINDS.index(e.kind), e.api, e.pointer))


@dataclass(frozen=True)
class Spot:
    """One schema finding, with what its edit is written from."""

    site: Site
    path: str
    at: str
    detail: str
    found: Observation
    node: Mapping[str, Any]

    @property
    def name(self) -> str:
        return _name(self.path)

    @property
    def was(self) -> str:
        return f"{self.name} was {_shown(self.found.value)}"


# Each finding kind's edit: (pointer, change, because), and what it names when the change
# lists NAMES.
Change = tuple[str, str, str] | tuple[str, str, str, str]


def _undeclared(spot: Spot) -> Change:
    types = "/".join(sorted(spot.found.types))
    change = f"declare {NAMES} in #{spot.at}/properties"
    because = f"'{spot.detail}' seen, e.g. {mask(spot.found.value)!r}, but not declared"
    return f"{spot.at}/properties", change, because, f"'{spot.detail}' ({types})"


def _undeclared_parameter(spot: Spot) -> Change:
    change = f"declare the query parameters {NAMES} of {spot.site.operation}"
    because = f"'{spot.detail}' sent as {mask(spot.found.value)!r}"
    return f"{spot.at}/parameters", change, because, f"'{spot.detail}'"


def _required_missing(spot: Spot) -> Change:
    change = f"remove '{spot.detail}' from #{spot.at}/required"
    return f"{spot.at}/required", change, f"'{spot.detail}' is sometimes missing"


def _enum(spot: Spot) -> Change:
    return f"{spot.at}/enum", f"add {NAMES} to #{spot.at}/enum", spot.was, repr(spot.found.value)


def _const(spot: Spot) -> Change:
    change = f"{spot.name} is not always {spot.node.get('const')!r}: allow {spot.found.value!r}"
    return f"{spot.at}/const", change, spot.was


def _type(spot: Spot) -> Change:
    observed = spot.detail
    spelled = "a number written as a string" if number_as_string(spot.found.value) else observed
    branches = next((k for k in ("anyOf", "oneOf") if k in spot.node), None)
    if "type" in spot.node or branches is None:
        pointer = f"{spot.at}/type"
        return pointer, f"{spot.name} may be {spelled}: add '{observed}' to #{pointer}", spot.was
    pointer = f"{spot.at}/{branches}"
    change = f"{spot.name} may be {spelled}: add {{type: '{observed}'}} to #{pointer}"
    return pointer, change, spot.was


def _format(spot: Spot) -> Change:
    pointer = f"{spot.at}/format"
    value = _shown(spot.found.value)
    change = f"{spot.name} may be {value}, not only a {spot.node.get('format')}: relax #{pointer}"
    return pointer, change, spot.was


def _not_json(spot: Spot) -> Change:
    pointer = f"{spot.at}/content"
    change = f"{spot.site.operation} {spot.site.part} may come as {spot.detail}: describe it"
    return pointer, change, f"the body is not JSON ({spot.detail})"


def _constraint(spot: Spot) -> Change:
    pointer = f"{spot.at}/{spot.detail}"
    change = f"{spot.name} may be {_shown(spot.found.value)}: relax {spot.detail} at #{pointer}"
    return pointer, change, spot.was


CHANGES = {
    "undeclared": _undeclared,
    "undeclared-parameter": _undeclared_parameter,
    "required-missing": _required_missing,
    "enum": _enum,
    "const": _const,
    "type": _type,
    "format": _format,
    "not-json": _not_json,
    "constraint": _constraint,
}
# What the document does not say, rather than says wrong.
UNDOCUMENTED_FINDINGS = frozenset({"undeclared", "undeclared-parameter"})


def _finding_edit(
    document: Document, key: tuple[Site, str, str, str, str], found: Observation
) -> Edit | None:
    """The edit one schema finding asks for; None for what the vendor rejected anyway, and
    for a request the vendor accepted although it breaks the schema (the lenient edit of its
    operation says so)."""
    site, path, at, kind, detail = key
    request = not site.part.startswith("response")
    if request and (not found.accepted or kind not in UNDOCUMENTED_FINDINGS):
        # The team's code sent it and the vendor refused it: the document was right.
        return None
    node = document.resolve(document.node_at(at))
    spot = Spot(site, path, at, detail, found, node if isinstance(node, Mapping) else {})
    pointer, change, because, *names = CHANGES[kind](spot)
    times = "time" if found.accepted == 1 else "times"
    answered = f" (the vendor accepted it {found.accepted} {times})" if request else ""
    return Edit(
        kind=UNDOCUMENTED if kind in UNDOCUMENTED_FINDINGS else CONTRADICTED,
        api=site.api,
        document=document.source,
        pointer=pointer,
        change=change,
        because=because + answered,
        count=found.count,
        example=found.where,
        operations=[f"{site.operation} {site.part}"],
        names=names,
    )


def _like(evidence: Evidence, api: str, operation_id: str, body: Any) -> str:
    """`, shaped like its 500 answer (#/components/schemas/Error)` when the body of an
    undocumented status fits the schema of one of the operation's documented errors."""
    if body is None or body is NOT_JSON:
        return ""
    walk = evidence.apis[api].walk
    for response in evidence.apis[api].document.operations[operation_id].responses.values():
        at = response.json_schema_pointer
        if (
            response.status[:1] in "45"
            and at is not None
            and walk.document.validator_at(at).is_valid(body)
        ):
            schema = walk.document.locate(walk.document.node_at(at), at)[1]
            return f", shaped like its {response.status} answer (#{schema})"
    return ""


def suggested_edits(evidence: Evidence, ledger: list[LedgerEntry]) -> list[Edit]:
    edits = EditList()
    documents = {name: api.document for name, api in evidence.apis.items()}
    for (api, operation_id, status), count in evidence.statuses.items():
        document = documents[api]
        operation = document.operations[operation_id]
        if str(status) in operation.responses or "default" in operation.responses:
            continue
        body = evidence.undocumented_bodies.get((api, operation_id, status))
        like = _like(evidence, api, operation_id, body)
        edits.add(
            Edit(
                kind=UNDOCUMENTED,
                api=api,
                document=document.source,
                pointer=f"{operation.pointer}/responses",
                change=f"add a {status} answer to {operation_id}{like}",
                because=f"{operation_id} answered {status}, which it does not document",
                count=count,
                example=evidence.status_examples[api, operation_id, status],
                operations=[operation_id],
            )
        )
    for (owner, method, path), found in evidence.unmatched.items():
        if owner:
            edits.add(
                Edit(
                    kind=UNDOCUMENTED,
                    api=owner,
                    document=documents[owner].source,
                    pointer="/paths",
                    change=f"add the operations {NAMES}",
                    because="no operation of the document matches them",
                    count=found.count,
                    example=found.where,
                    names=[f"{method} {path}"],
                )
            )
    for (api, what), lenient in evidence.lenient.items():
        reasons = "; ".join(lenient.reasons)
        edits.add(
            Edit(
                kind=LENIENT,
                api=api,
                document=documents[api].source,
                pointer=lenient.pointer,
                change=f"{what} accepts requests the document forbids: say so, or keep it strict",
                because=reasons,
                count=lenient.count,
                example=next(iter(lenient.reasons.values())),
                operations=[what],
            )
        )
    for key, found in evidence.findings.items():
        edit = _finding_edit(documents[key[0].api], key, found)
        if edit is not None:
            edits.add(edit)
    for entry in ledger:
        lenient_only = (
            entry.contradicted == evidence.refusals_contradicted[entry.api, entry.pointer]
        )
        if entry.status == CONTRADICTED and not lenient_only:
            where, reason = entry.contradictions[0] if entry.contradictions else ("", entry.note)
            marker = "assumption" if entry.kind != "x-quirk" else "quirk"
            edits.add(
                Edit(
                    kind=CONTRADICTED,
                    api=entry.api,
                    document=documents[entry.api].source,
                    pointer=entry.pointer,
                    change=f"revise the {marker} at #{entry.pointer} ({entry.what})",
                    because=reason,
                    count=entry.contradicted,
                    example=where,
                )
            )
    return edits.sorted()


@dataclass(frozen=True)
class Report:
    evidence: Evidence
    ledger: list[LedgerEntry]
    edits: list[Edit]

    @classmethod
    def of(cls, evidence: Evidence) -> Report:
        ledger = evidence.ledger()
        return cls(evidence, ledger, suggested_edits(evidence, ledger))

    def count(self, kind: str) -> int:
        return sum(1 for edit in self.edits if edit.kind == kind)

    def operations(self) -> list[dict[str, Any]]:
        rows = []
        for name, api in self.evidence.apis.items():
            for operation in api.document.operations.values():
                seen = {
                    status: count
                    for (a, o, status), count in sorted(self.evidence.statuses.items())
                    if a == name and o == operation.operation_id
                }
                rows.append(
                    {
                        "api": name,
                        "operation": operation.operation_id,
                        "method": operation.method,
                        "path": operation.path,
                        "statuses": [
                            {
                                "status": status,
                                "count": count,
                                "documented": str(status) in operation.responses,
                                "example": self.evidence.status_examples[
                                    name, operation.operation_id, status
                                ],
                            }
                            for status, count in seen.items()
                        ],
                        "never_seen": [
                            int(s) for s in operation.status_codes if int(s) not in seen
                        ],
                    }
                )
        return rows

    def bodies(self) -> list[dict[str, Any]]:
        """Per operation and body: the findings, and the declared fields never present."""
        by_site: dict[Site, dict[str, Any]] = {}

        def entry(site: Site) -> dict[str, Any]:
            return by_site.setdefault(
                site,
                {
                    "api": site.api,
                    "operation": site.operation,
                    "part": site.part,
                    "findings": [],
                    "never_present": [],
                },
            )

        objects = self.evidence.objects
        for (site, path, at, kind, detail), found in sorted(
            self.evidence.findings.items(), key=lambda item: item[0]
        ):
            parent = path.rsplit("/", 1)[0]
            of = objects.get((site, parent, at), 0) if kind == "required-missing" else None
            entry(site)["findings"].append(
                {
                    "pointer": path,
                    "schema": at,
                    "kind": kind,
                    "detail": detail,
                    "count": found.count,
                    "of": of,
                    "accepted": found.accepted,
                    "example": {
                        "where": found.where,
                        "value": mask(found.value)
                        if kind.startswith("undeclared")
                        else found.value,
                    }
                    if kind != "required-missing"
                    else {"where": found.where},
                }
            )
        for (site, path, at), count in sorted(objects.items(), key=lambda item: item[0]):
            document = self.evidence.apis[site.api].document
            node = document.resolve(document.node_at(at))
            declared = node.get("properties") or {} if isinstance(node, Mapping) else {}
            seen = self.evidence.fields.get((site, path, at), Counter())
            missing = [name for name in declared if not seen[name]]
            if missing:
                entry(site)["never_present"].append(
                    {"pointer": path or "/", "schema": at, "fields": missing, "objects": count}
                )
        return [by_site[site] for site in sorted(by_site)]

    def to_json(self) -> dict[str, Any]:
        statuses = Counter(entry.status for entry in self.ledger)
        return {
            "exchanges": self.evidence.exchanges,
            "files": self.evidence.files,
            "documents": {
                name: {"source": api.document.source, "version": api.document.version}
                for name, api in self.evidence.apis.items()
            },
            "origins": dict(sorted(self.evidence.origins.items())),
            "summary": {
                CONTRADICTED: self.count(CONTRADICTED),
                UNDOCUMENTED: self.count(UNDOCUMENTED),
                LENIENT: self.count(LENIENT),
                "ledger": {s: statuses[s] for s in ("confirmed", CONTRADICTED, "unexercised")},
            },
            "edits": [asdict(edit) for edit in self.edits],
            "operations": self.operations(),
            "unmatched": [
                {"api": owner, "method": method, "path": path, "count": f.count, "example": f.where}
                for (owner, method, path), f in self.evidence.unmatched.items()
            ],
            "bodies": self.bodies(),
            "ledger": [
                {**asdict(entry), "contradictions": [list(c) for c in entry.contradictions]}
                for entry in self.ledger
            ],
        }

    def to_markdown(self) -> str:
        data = self.to_json()
        summary = data["summary"]
        ledger = summary["ledger"]
        documents = ", ".join(f"`{d['source']}` {d['version']}" for d in data["documents"].values())
        origins = ", ".join(f"{count} {origin}" for origin, count in data["origins"].items())
        lines = [
            f"# Evidence: {data['exchanges']} recorded exchanges in {len(data['files'])} files",
            "",
            f"Documents: {documents}. **{summary[CONTRADICTED]} contradicted,"
            f" {summary[UNDOCUMENTED]} undocumented, {summary[LENIENT]} lenient**;"
            f" by origin: {origins}; assumptions and quirks:"
            f" {ledger['confirmed']} confirmed, {ledger[CONTRADICTED]} contradicted,"
            f" {ledger['unexercised']} unexercised.",
            "",
            "## Suggested edits",
            "",
        ]
        if not self.edits:
            lines.append("None: the documents are true to the traffic.")
        else:
            lines += ["| kind | document | pointer | edit | because | seen | example |"]
            lines += ["| --- | --- | --- | --- | --- | --- | --- |"]
            lines += [
                f"| {e.kind} | `{e.document}` | `#{e.pointer}` | {markdown_cell(e.change)} |"
                f" {markdown_cell(e.because)} | {e.count} | `{e.example}` |"
                for e in self.edits
            ]
        lines += ["", "## Operations", ""]
        lines += ["| API | operation | status | seen | example | documented, never seen |"]
        lines += ["| --- | --- | --- | --- | --- | --- |"]
        for row in data["operations"]:
            never = ", ".join(map(str, row["never_seen"])) or "-"
            statuses = row["statuses"] or [None]
            for index, seen in enumerate(statuses):
                label = f"{row['operation']} (`{row['method']} {row['path']}`)" if not index else ""
                if seen is None:
                    lines.append(f"| {row['api']} | {label} | - | 0 | - | {never} |")
                    continue
                status = (
                    seen["status"] if seen["documented"] else f"**{seen['status']}** (undocumented)"
                )
                lines.append(
                    f"| {row['api'] if not index else ''} | {label} | {status} | {seen['count']}"
                    f" | `{seen['example']}` | {never if not index else ''} |"
                )
        for unmatched in data["unmatched"]:
            lines.append(
                f"| {unmatched['api'] or '?'} | **{unmatched['method']} {unmatched['path']}**"
                f" (no operation) | - | {unmatched['count']} | `{unmatched['example']}` | |"
            )
        lines += ["", "## Bodies", ""]
        for body in data["bodies"]:
            lines += [f"### {body['api']} {body['operation']}, {body['part']}", ""]
            for f in body["findings"][: MAX_SHOWN * 4]:
                of = f" of {f['of']}" if f["of"] else ""
                accepted = (
                    f", accepted {f['accepted']}" if not body["part"].startswith("response") else ""
                )
                detail = f" {f['detail']}" if f["detail"] else ""
                example = f"`{_shown(f['example']['value'])}` " if "value" in f["example"] else ""
                seen = f"{f['count']}{of} times{accepted}"
                lines.append(
                    f"- `{f['pointer'] or '/'}` {f['kind']}{detail}: {seen},"
                    f" e.g. {example}(`{f['example']['where']}`; schema `#{f['schema']}`)"
                )
            for never in body["never_present"]:
                fields = ", ".join(never["fields"][: MAX_SHOWN * 3])
                lines.append(
                    f"- `{never['pointer']}` declared, never present in {never['objects']}"
                    f" objects: {fields}"
                )
            lines.append("")
        lines += ["## Assumption ledger", ""]
        lines += ["| status | API | kind | what | pointer | exercised | contradicting exchanges |"]
        lines += ["| --- | --- | --- | --- | --- | --- | --- |"]
        for entry in self.ledger:
            against = "; ".join(f"`{where}` {reason}" for where, reason in entry.contradictions)
            if entry.note:
                against = f"{against} ({entry.note})" if against else entry.note
            lines.append(
                f"| {entry.status} | {entry.api} | {entry.kind} | {markdown_cell(entry.what)} |"
                f" `#{entry.pointer}` | {entry.exercised} | {markdown_cell(against) or '-'} |"
            )
        return "\n".join(lines) + "\n"


def write_reports(directory: Path, stem: str, markdown: str, data: Mapping[str, Any]) -> None:
    """`directory/stem.md` and `directory/stem.json`, the directory made if needed."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{stem}.md").write_text(markdown, encoding="utf-8")
    (directory / f"{stem}.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
