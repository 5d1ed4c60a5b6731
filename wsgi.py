from finder import create_app, geo

app = create_app()
# gunicorn preloads this module (gunicorn.conf.py): the ZIP tables are read once, in the
# master process, and every worker shares them instead of paying for them on its first search.
geo.load_tables()
