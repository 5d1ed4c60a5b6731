from finder import create_app, geo

app = create_app()
# gunicorn preloads this module (gunicorn.conf.py): the ZIP and town table is read (or, in a
# new instance folder, built) once, in the master process, and every worker shares it.
geo.load_tables()
