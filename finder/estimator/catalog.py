"""Our words in the data files, for `pybabel extract` (babel.cfg names this extractor).

rules.csv's `label` and medicaid_expansion.csv's `note` are our own words, shown to people (a
Source's label, a note): reference.py makes each a Text, and the web layer translates it. They
are not in the Python source, so Babel finds them here: the columns named by the `columns`
option (comma-separated; default `label`), one message per non-empty cell."""

import csv
import io


def extract_labels(fileobj, keywords, comment_tags, options):
    """Babel's extraction method: yield (lineno, funcname, message, comments) for each
    non-empty cell of the chosen columns."""
    columns = [name.strip() for name in options.get("columns", "label").split(",")]
    encoding = options.get("encoding", "utf-8")
    # Read through, not wrapped: Babel opened the file and closes it.
    reader = csv.DictReader(io.StringIO(fileobj.read().decode(encoding), newline=""))
    for row in reader:
        for column in columns:
            value = row.get(column)
            if value:
                yield reader.line_num, None, value, []
