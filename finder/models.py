"""Typed models: programs with their attributes and rates, admins, imports and reports."""

import datetime as dt
import json
import re

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import filterbits
from .db import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# A program's key: what the importer accepts, and so all a program URL can name.
PROGRAM_ID = re.compile(r"[a-z0-9_-]{1,64}")
# Ids of other tables are PostgreSQL integers: a larger number names nothing.
MAX_ID = 2**31 - 1


class Program(db.Model):
    """A treatment facility. `id` is its stable, URL-safe key (PROGRAM_ID)."""

    __tablename__ = "program"
    # What every search counts: thin indexes answer "how many at any distance", with filters
    # (their bits, finder/filterbits.py) and without, never reading the programs themselves.
    # Both are needed: PostgreSQL's planner reads the whole table for an unfiltered count
    # rather than the wider index (54 ms against 12 ms at 100,000 programs).
    # A filtered count on PostgreSQL reads a partial index of the filter columns instead
    # (revision d6f2a9c4e8b1: the models cannot declare it for one dialect).
    __table_args__ = (
        Index(
            "ix_program_searchable",
            "active",
            "substance_use",
            "filter_bits_1",
            "filter_bits_2",
            "telehealth",
        ),
        Index("ix_program_active", "active", "substance_use"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name2: Mapped[str] = mapped_column(String(300), default="")
    street: Mapped[str] = mapped_column(String(300), default="")
    street2: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(2), index=True)
    zip: Mapped[str] = mapped_column(String(5))
    latitude: Mapped[float] = mapped_column(index=True)
    longitude: Mapped[float]
    location_approximate: Mapped[bool] = mapped_column(default=False)
    phone: Mapped[str] = mapped_column(String(60), default="")
    intake_phone: Mapped[str] = mapped_column(String(60), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    beds: Mapped[int | None]
    # "100:0;125:20;150:40" = (upper bound in % of the poverty guideline, percent paid) classes
    sliding_fee_schedule: Mapped[str] = mapped_column(String(200), default="")
    substance_use: Mapped[bool] = mapped_column(default=True)
    source: Mapped[str] = mapped_column(String(40), index=True)
    # The date someone verified the listing: an admin's "verified today", or the source's own
    # export date; None when nobody knows (then imported_on is all there is).
    verified_on: Mapped[dt.date | None]
    # The day of the import that last changed the program.
    imported_on: Mapped[dt.date | None]
    # The source lists telehealth therapy (SAMHSA's TELE, on a substance-use row).
    telehealth: Mapped[bool] = mapped_column(default=False, server_default=false())
    active: Mapped[bool] = mapped_column(default=True)
    # The program's filterable features as bits (finder/filterbits.py: which bit is which),
    # so that a search filter reads the program's own row; kept by every writer of features.
    filter_bits_1: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    filter_bits_2: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    features: Mapped[list["ProgramFeature"]] = relationship(
        back_populates="program", cascade="all, delete-orphan", lazy="selectin"
    )
    rates: Mapped[list["ProgramRate"]] = relationship(
        back_populates="program", cascade="all, delete-orphan", lazy="selectin"
    )
    # Loaded when asked for (a program's page, its API detail, export), not for search results.
    phones: Mapped[list["ProgramPhone"]] = relationship(
        back_populates="program",
        cascade="all, delete-orphan",
        order_by="ProgramPhone.position",
    )

    def tokens(self, kind: str) -> list[str]:
        """The sorted values of one multi-valued attribute (care, payment, medication, ...)."""
        return sorted(f.value for f in self.features if f.kind == kind)

    def set_tokens(self, kind: str, values) -> None:
        keep = [f for f in self.features if f.kind != kind]
        keep += [ProgramFeature(kind=kind, value=v) for v in sorted(set(values))]
        self.features = keep

    def rate(self, item: str) -> "ProgramRate | None":
        return next((r for r in self.rates if r.item == item), None)

    @property
    def is_demo(self) -> bool:
        return self.source == "demo"


class ProgramFeature(db.Model):
    """One value of a multi-valued attribute: ("care", "outpatient"), ("language", "es")."""

    __tablename__ = "program_feature"
    # program_id too: a search's filters read the ids of the programs with a value from the
    # index alone (finder/programs.py). On SQLite the table is its primary key's B-tree, not a
    # rowid table beside it (revision b3e8d5f1a7c6: a large import writes one tree fewer).
    __table_args__ = (
        Index("ix_program_feature_kind_value_program", "kind", "value", "program_id"),
        {"sqlite_with_rowid": False},
    )

    program_id: Mapped[str] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(120), primary_key=True)

    program: Mapped[Program] = relationship(back_populates="features")


class ProgramRate(db.Model):
    """A published price: per day, per week or per dose depending on the item (see vocab)."""

    __tablename__ = "program_rate"

    program_id: Mapped[str] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(String(40), primary_key=True)
    low_cents: Mapped[int]
    high_cents: Mapped[int]

    program: Mapped[Program] = relationship(back_populates="rates")


class ProgramPhone(db.Model):
    """One of a program's phone numbers, in the order shown (main first): its kind (main,
    intake, hotline: vocab.PHONE_KINDS) and a label saying which one it is."""

    __tablename__ = "program_phone"

    program_id: Mapped[str] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(60), default="")

    program: Mapped[Program] = relationship(back_populates="phones")


class Admin(db.Model):
    __tablename__ = "admin"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Stamped into every session cookie at login; a logout bumps it, so that every cookie
    # issued before (a copied one too) stops working.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")


class ThrottleHit(db.Model):
    """One counted event (a failed login, a filed report) under a keyed hash of who did it,
    so that limits hold across every worker process."""

    __tablename__ = "throttle_hit"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class ImportBatch(db.Model):
    """One applied import: who loaded which file, when, and what it changed."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(300))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(20))
    encoding: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(254))
    complete_source: Mapped[bool] = mapped_column(default=False)
    added: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    deactivated: Mapped[int] = mapped_column(default=0)
    skipped_rows: Mapped[int] = mapped_column(default=0)
    warnings: Mapped[int] = mapped_column(default=0)
    # The import's warnings as JSON, [[line, column, message], ...], shown in its history.
    problems: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ImportUpload(db.Model):
    """An uploaded file kept between its preview and its apply, in the database so that any
    app server and the import worker can read it."""

    __tablename__ = "import_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class ImportJob(db.Model):
    """A preview or an apply of an upload, run by `flask --app finder worker`: queued, running,
    done or failed; done/total bytes checked so far; the result as JSON."""

    __tablename__ = "import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "preview" or "apply"
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    upload_sha256: Mapped[str] = mapped_column(String(64))
    options: Mapped[str] = mapped_column(Text)  # JSON: format, complete_source, ...
    actor: Mapped[str] = mapped_column(String(254))
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    result: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    worker: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]

    @property
    def options_filename(self) -> str:
        return json.loads(self.options).get("filename") or "an upload"


class Report(db.Model):
    """A visitor's report of a problem with a listing. Holds no personal data."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[dt.datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(254))

    program: Mapped[Program] = relationship()


# Every flush sets the filter bits of the programs whose features it writes (filterbits).
filterbits.keep_in_step()
