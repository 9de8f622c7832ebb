"""Tracker files (CSV and XLSX), the format of docs/tracker-format.md: import and export.

An import reads a file, checks every row, plans, and applies the plan in one transaction:

1. `reading.read_tracker(data, filename)` reads the bytes of a `.csv` or `.xlsx` file into rows of
   cells, refusing files that are too big, empty, not really CSV or XLSX, or not UTF-8 or UTF-16;
   `xlsx.read_first_sheet` streams a workbook's first sheet, refusing one that would need more
   time or memory than a tracker can (the `xlsx` package: its limits, the XML parts, the sheet,
   the shared strings, and the workbook that reads them in order).
2. `checking.check_rows(table)` checks every row, collecting every problem with its row and column,
   and gathers what the file says about each recommendation.
3. `planning.plan_import(table)` compares a file without problems with the register: per review,
   the recommendations to create, the fields to change (old and new values), the updates to add,
   and what is unchanged.
4. `applying.apply_plan(plan, user)` writes the plan in one transaction, with `user` in the audit
   history; `applying.import_tracker(data, filename, user=…)` does all of the above in one
   transaction (the command and the confirm page both call it).

Any problem raises `problems.TrackerFileError` with the list of problems, and nothing is written.

Columns a file leaves out are left alone; a column that is present says what the register should
hold, so a blank `lead` in a `lead` column clears the lead. A recommendation's columns may be
repeated on each of its rows or given once; two rows that disagree are a problem.

`writing.write_csv(recommendations)` and `writing.write_xlsx(recommendations)` export any
Recommendation queryset in the same format, in three queries whatever its size.
"""
