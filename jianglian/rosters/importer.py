"""Checking and writing one roster file: the steps every kind shares, around the rules its app states.

`import_roster(kind, data, filename, ...)`:
1. reads the file (`files.read_rows`) and finds its header (`columns.find_header`);
2. reads each data row's cells with the kind's readers (`read_<key>` methods; text by default), then the
   kind's row rules (`kind.check`), then the rules across rows: no natural key twice in one file
   (`kind.file_key`, `kind.check_rows`), and no two rows updating the same record;
3. matches each valid row on the kind's natural key (`kind.match`) and compares it with what is stored
   (`kind.changes`): new, update or unchanged;
4. unless it is a dry run, writes in ONE transaction (`kind.write`): nothing when any row has an error
   (all or nothing), or the valid rows only when asked. An exception half-way rolls everything back, and the
   work a commit triggers (search index, matching) is queued by the kind with `on_commit_collect`, so it runs
   once, in bulk, after the commit — or never.

An empty cell leaves the stored value as it is: a roster fills in and corrects, it never blanks a field out.
Columns missing from the file are left alone the same way.

A kind (`RosterKind`) is declared by the app that owns the rows (experts, alliance, enterprises) and registered
with `register`, so the pages, REST and the Celery task find it by name without the ground importing an app.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jianglian.choices import Industry, Province

from .columns import CellError, Choices, Column, cell_text, check_length, find_header, read_name
from .files import RosterFileError, limit, read_rows
from .report import ERROR, NEW, UNCHANGED, UPDATE, Issue, Report, RowResult

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (phase, done, total); phases "check" and "write"


@dataclass
class Row:
    """A data row on its way through the checks."""

    number: int
    cells: dict[str, str]  # column key → cell text (columns present in the file only)
    values: dict = field(default_factory=dict)  # column key → read value (non-empty cells only)
    result: RowResult = None
    existing: object = None  # what kind.match found
    changed: list[str] = field(default_factory=list)  # keys of the columns an update changes


class RosterKind:
    """The rules of one roster kind; subclassed by the app whose rows they are.

    An instance serves one import (`prepare` and `check` keep what they load on it): make one per import.
    """

    name: str = ""  # "experts": the registry key, the command's and the URL's name
    label: str = ""  # 劳模工匠
    columns: Sequence[Column] = ()
    natural_key: str = ""  # how rows are matched, as the report and the template state it

    titles: dict[str, str] = {}  # column key → header as written in the file being imported

    @property
    def example(self) -> dict[str, str]:
        """The template's example row (column key → text): each column's example."""
        return {c.key: c.example for c in self.columns}

    # Cells every kind reads alike, wherever its columns have them.
    @cached_property
    def provinces(self):
        return Choices(Province.choices, what=gettext_lazy("省份"), prefix=True)

    @cached_property
    def industries(self):
        return Choices(Industry.choices, what=gettext_lazy("行业"))

    def read_province(self, text):
        return self.provinces(text)

    def read_industry(self, text):
        return self.industries(text)

    def error(self, row: Row, key: str | None, message: str) -> None:
        row.result.errors.append(Issue(message, row.number, key, self.titles.get(key) if key else None))

    def warn(self, row: Row, key: str | None, message: str) -> None:
        row.result.warnings.append(Issue(message, row.number, key, self.titles.get(key) if key else None))

    def read(self, column: Column, text: str):
        """The value of one non-empty cell (a `read_<key>` method when the kind has one)."""
        if column.proper_name:
            text = read_name(text)
        reader = getattr(self, f"read_{column.key}", None)
        return reader(text) if reader else text

    def prepare(self, rows: list[Row]) -> None:
        """Load, in a few queries, what `check` and `match` need for these rows."""

    def check(self, row: Row) -> None:
        """Rules across the row's cells; add errors and warnings to `row.result`."""

    def file_key(self, row: Row):
        """A row's natural key within the file (a hashable), or None."""
        return None

    def check_rows(self, rows: list[Row]) -> None:
        """Rules across rows beyond the plain natural-key duplicates."""

    def match(self, row: Row):
        """The stored record `row` is about, or None for a new one (may add an error to the row)."""
        return None

    def changes(self, row: Row) -> list[str]:
        """Keys of the columns whose value differs from `row.existing`."""
        return []

    def describe(self, row: Row) -> tuple[str, str]:
        """(natural key, label) of a row as the report shows them."""
        return "", ""

    def write(self, creates: list[Row], updates: list[Row], progress: Callable[[int], None]) -> None:
        """Write the rows (inside the import's transaction); set `row.result.target_id` of created rows."""
        raise NotImplementedError

    def template_rows(self) -> list[dict[str, str]]:
        return [self.example] if self.example else []


def _noop(*args) -> None:
    return None


def import_roster(kind: RosterKind, data: bytes, filename: str, *, user=None, dry_run: bool = True,
                  valid_rows_only: bool = False, progress: Progress | None = None) -> Report:
    """Check the roster in `data` and, unless `dry_run`, write it; returns the report (never raises for a bad
    file or bad rows: they are in the report, and nothing was written). `user` is who imports (for the log;
    the app's service has checked that they may)."""
    progress = progress or _noop
    report = Report(kind=kind.name, natural_key=str(kind.natural_key), dry_run=dry_run, valid_rows_only=valid_rows_only)
    try:
        rows = _read(kind, data, filename, report)
    except RosterFileError as refused:
        report.file_errors.append(Issue(message=str(refused)))
        report.results = []
        logger.info("roster %s %r refused: %s", kind.name, filename, refused)
        return report
    _check(kind, rows, report, progress)
    if dry_run or not report.writes:
        return report
    creates = [r for r in rows if r.result.status == NEW]
    updates = [r for r in rows if r.result.status == UPDATE]
    total = len(creates) + len(updates)
    done = 0

    def written(n: int) -> None:
        nonlocal done
        done += n
        progress("write", done, total)

    progress("write", 0, total)
    with transaction.atomic():
        kind.write(creates, updates, written)
    report.imported = True
    logger.info("roster %s %r imported by %s: %s", kind.name, filename,
                f"user {user.pk}" if user is not None else "the command line", report.counts())
    return report


def read_file(kind: RosterKind, data: bytes, filename: str) -> int:
    """Read the file as the import will (every file guard, the header, the row cap) and return how many data
    rows it has; raises RosterFileError when it would be refused. The upload page and REST call it before they
    keep a file, so a bad file is answered at once."""
    return len(_read(kind, data, filename, Report(kind=kind.name)))


def _read(kind: RosterKind, data: bytes, filename: str, report: Report) -> list[Row]:
    sheet = read_rows(data, filename)
    report.sheet, report.ignored_sheets = sheet.sheet, list(sheet.other_sheets)
    header = find_header(sheet.rows, kind.columns)
    report.header_row = header.row
    report.columns = header.titles
    report.unrecognised_columns = header.unrecognised
    max_rows = limit("ROSTER_MAX_ROWS")
    rows = []
    for number, values in sheet.rows:
        cells = {key: cell_text(value) for key, value in header.cells(values).items()}
        if not any(cells.values()):
            continue  # blank rows (and rows with text only in unrecognised columns) are not data
        if len(rows) == max_rows:
            raise RosterFileError(
                _("数据行超过上限 %(max)s 行：请分成几个文件导入。") % {"max": f"{max_rows:,}"}, code="roster_too_many_rows"
            )
        rows.append(Row(number=number, cells=cells))
    if not rows:
        raise RosterFileError(_("文件只有表头（第 %(row)s 行），没有数据行。") % {"row": header.row},
                              code="roster_no_rows")
    return rows


def _check(kind: RosterKind, rows: list[Row], report: Report, progress: Progress) -> None:
    titles = kind.titles = report.columns
    by_key = {c.key: c for c in kind.columns}
    for row in rows:
        row.result = RowResult(row=row.number)
        for key, text in row.cells.items():
            column = by_key[key]
            if not text:
                continue
            try:
                row.values[key] = kind.read(column, check_length(text, column.max_length))
            except CellError as error:
                row.result.errors.append(Issue(str(error), row.number, key, titles.get(key)))
        for column in kind.columns:
            if column.required and not row.cells.get(column.key):
                row.result.errors.append(Issue(_("必填，不能为空。"), row.number, column.key, titles.get(column.key)))
    kind.prepare(rows)
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        if row.result.ok:
            kind.check(row)
        row.result.key, row.result.label = kind.describe(row)
        if done % 500 == 0 or done == total:
            progress("check", done, total)
    _check_duplicates(kind, rows, titles)
    kind.check_rows(rows)
    targets: dict[object, int] = {}
    for row in rows:
        result = row.result
        if not result.ok:
            continue
        row.existing = kind.match(row)
        if not result.ok:
            continue
        if row.existing is None:
            result.status = NEW
            continue
        target = getattr(row.existing, "pk", None) or id(row.existing)
        result.target_id = getattr(row.existing, "pk", None)
        if target in targets:
            result.errors.append(Issue(_("与第 %(row)s 行对应同一条记录。") % {"row": targets[target]}, row.number))
            continue
        targets[target] = row.number
        row.changed = kind.changes(row)
        result.changed = [titles.get(key, by_key[key].header) for key in row.changed]
        result.status = UPDATE if row.changed else UNCHANGED
    for row in rows:
        if row.result.errors:
            row.result.status = ERROR
    report.results = [row.result for row in rows]


def _check_duplicates(kind: RosterKind, rows: list[Row], titles: dict[str, str]) -> None:
    first: dict[object, Row] = {}
    for row in rows:
        key = kind.file_key(row) if row.result.ok else None
        if key is None:
            continue
        earlier = first.setdefault(key, row)
        if earlier is row:
            continue
        if earlier.values == row.values:  # as read: 李　明 is 李明, 139 1234 5678 is 13912345678
            message = _("与第 %(row)s 行完全相同（重复行）。") % {"row": earlier.number}
        else:
            message = _("与第 %(row)s 行是同一条记录（%(key)s），内容却不同：请合并为一行。") % {
                "row": earlier.number, "key": row.result.key}
            earlier.result.errors.append(Issue(
                _("与第 %(row)s 行是同一条记录，内容却不同：请合并为一行。") % {"row": row.number}, earlier.number))
        row.result.errors.append(Issue(message, row.number))


# --- the registry of kinds -------------------------------------------------------------------------------------

_kinds: dict[str, type[RosterKind]] = {}
_services: dict[str, Callable[..., Report]] = {}


def register(kind: type[RosterKind], service: Callable[..., Report]) -> None:
    """Make a kind and its import service known to the pages, REST and the Celery task (by `kind.name`).

    `service(*, user, data, filename, dry_run, valid_rows_only, progress)` is the app's import service.
    """
    _kinds[kind.name] = kind
    _services[kind.name] = service


def registered() -> list[str]:
    """The names of the registered kinds, in registration order (experts, studios, enterprises)."""
    return list(_kinds)


def kinds() -> list[RosterKind]:
    return [kind() for kind in _kinds.values()]


def get_kind(name: str) -> RosterKind:
    """A fresh instance of the kind registered as `name` (KeyError when there is none)."""
    return _kinds[name]()


def get_service(name: str) -> Callable[..., Report]:
    return _services[name]


# --- rosters of one model ---------------------------------------------------------------------------------------


@dataclass
class Stored:
    """A stored record in the shape a row is compared with: its fields and its many-to-many links."""

    pk: int
    fields: dict
    links: dict = field(default_factory=dict)  # many-to-many field → frozenset of ids


class ModelRoster(RosterKind):
    """A roster whose rows are records of one model: the comparing and bulk writing every such kind shares.

    `fields` are the model fields a row sets from the value under the same key of `row.values` (a reader or
    `check` puts it there: `studio_id` from the 所属工作室 column, say); `links` the many-to-many fields set the
    same way (`{"skills": "skill_ids"}`: the `skills` links from `row.values["skill_ids"]`). `column_of` names
    the column a field comes from, for the report's changed columns. A value missing from `row.values` (an
    empty cell, or a column the file does not have) keeps what is stored; a new record gets the model default.

    Writes bypass model signals (bulk_create / bulk_update): `written` tells the search index and the upper
    layers, which queue their work with on_commit_collect — once, after the commit.
    """

    model = None
    fields: tuple[str, ...] = ()
    links: dict[str, str] = {}
    column_of: dict[str, str] = {}
    batch_size = 500

    def load(self, ids) -> dict[int, Stored]:
        """The stored records of `ids`, in a few queries per 2,000."""
        ids = sorted(ids)
        stored = {}
        for start in range(0, len(ids), 2000):
            chunk = ids[start:start + 2000]
            for values in self.model._default_manager.filter(pk__in=chunk).values("pk", *self.fields):
                pk = values.pop("pk")
                stored[pk] = Stored(pk=pk, fields=values, links={name: frozenset() for name in self.links})
            for name in self.links:
                through, owner, target = self._through(name)
                for owner_id, target_id in through.objects.filter(**{f"{owner}__in": chunk}).values_list(owner, target):
                    stored[owner_id].links[name] |= {target_id}
        return stored

    def _through(self, name):
        relation = self.model._meta.get_field(name)
        through = relation.remote_field.through
        return through, relation.m2m_column_name(), relation.m2m_reverse_name()  # expert_id, skill_id

    def new_values(self, row: Row, stored: Stored | None) -> dict:
        """The fields the row stores: its values, else what is stored (else, for a new record, the default)."""
        values = {}
        for name in self.fields:
            if name in row.values:
                values[name] = row.values[name]
            elif stored is not None:
                values[name] = stored.fields[name]
        return values

    def same(self, name: str, stored, wanted) -> bool:
        return stored == wanted

    def changes(self, row: Row) -> list[str]:
        stored: Stored = row.existing
        wanted = self.new_values(row, stored)
        changed = [name for name in self.fields if name in wanted and not self.same(name, stored.fields[name],
                                                                                      wanted[name])]
        changed += [name for name, key in self.links.items() if key in row.values
                    and frozenset(row.values[key]) != stored.links[name]]
        return [self.column_of.get(name, name) for name in changed]

    def write(self, creates: list[Row], updates: list[Row], progress) -> None:
        from django.utils import timezone

        model = self.model
        now = timezone.now()
        stamps = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        created_stamps = stamps + [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)]
        links = {name: {} for name in self.links}  # field → {owner id: target ids} to set
        for start in range(0, len(creates), self.batch_size):
            batch = creates[start:start + self.batch_size]
            objects = [model(**self.new_values(row, None), **{f: now for f in created_stamps}) for row in batch]
            model._default_manager.bulk_create(objects)
            for row, obj in zip(batch, objects):
                row.result.target_id = obj.pk
                for name, key in self.links.items():
                    links[name][obj.pk] = row.values.get(key, ())
            progress(len(batch))
        fields_of = {v: k for k, v in self.column_of.items()}
        grouped = defaultdict(list)
        for row in updates:
            stored: Stored = row.existing
            changed = {fields_of.get(key, key) for key in row.changed}
            wanted = self.new_values(row, stored)
            names = tuple(sorted(changed & set(self.fields)))
            if names:
                grouped[names].append(model(pk=stored.pk, **{n: wanted[n] for n in names}, **{f: now for f in stamps}))
            for name, key in self.links.items():
                if name in changed:
                    links[name][stored.pk] = row.values[key]
        for names, objects in grouped.items():
            model._default_manager.bulk_update(objects, [*names, *stamps], batch_size=self.batch_size)
        created = {row.result.target_id for row in creates}
        for name, wanted in links.items():
            through, owner, target = self._through(name)
            replaced = [pk for pk in wanted if pk not in created]
            for start in range(0, len(replaced), self.batch_size):
                through.objects.filter(**{f"{owner}__in": replaced[start:start + self.batch_size]}).delete()
            through.objects.bulk_create([through(**{owner: pk, target: t}) for pk, targets in wanted.items()
                                         for t in targets], batch_size=2000)
        progress(len(updates))
        self.written(creates, updates)

    def written(self, creates: list[Row], updates: list[Row]) -> None:
        """After the writes, inside the transaction: tell the index and the upper layers (on commit)."""
