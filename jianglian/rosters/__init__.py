"""Rosters (名册) in and out: the alliance's lists of experts, studios and enterprises as spreadsheets.

The ground package holds what every kind of roster shares and knows no app:

- `files`: reading an uploaded .xlsx or CSV into rows, with the guards a file from outside needs;
- `columns`: a kind's columns, tolerant header matching and cell parsing;
- `report`: the per-row outcome (new / update / unchanged / error) and its summary;
- `importer`: the base class an app subclasses for its roster, the registry of kinds, and `import_roster`,
  which reads, checks and (unless it is a dry run) writes one file in one transaction;
- `command`: the base of the `import_<kind>` management commands (progress bars, the summary, `--json`);
- `workbook`: the downloadable .xlsx template of a kind (headers, an example row, drop-down lists);
- `jobs`: the secretariat's uploads (page and REST), checked and imported in Celery with their progress.

Each app registers its kinds (experts: `experts.roster`, studios: `alliance.roster`, enterprises:
`enterprises.roster`); what a row means, its natural key and how it is written are the app's rules.
"""
