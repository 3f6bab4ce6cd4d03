"""The derived tables of the database contract: lists that span the whole catalogue, worked out
by the build from the other tables (tables.py), and worked out again only where a patch reaches
(patch.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from .tables import Table


@dataclass(frozen=True)
class Derived:
    """A table worked out from the others once they are in: its columns, and the SELECT that fills
    them (in the same order). The database is immutable, so a list that spans the whole catalogue is
    computed once by the build, not on every page view, and its pages are paginated like any table.
    """

    table: Table
    select: str
    order: str
    indexes: tuple[tuple[str, ...], ...] = ()
    # a patch (patch.py) works out again only the rows of the parades and systems it rewrites:
    # those the first condition picks in this table, and the second in the select
    patched: tuple[str, str] = ("", "")

    def sql(self, name: str, where: str = "") -> str:
        """The INSERT that fills table name (where: only with the rows the select picks so)."""
        names = ", ".join(f"[{c}]" for c in self.table.columns)
        picked = f" where {where}" if where else ""
        return f"INSERT INTO [{name}] ({names}) {self.select.strip()}{picked} order by {self.order}"


# the temporary tables of the entries a patch rewrites, by kind, and of the systems whose first
# showing it works out again
PATCHED_PARADES = "(select id from temp.patched where kind = 'parade')"
PATCHED_SYSTEMS = "(select id from temp.patched where kind = 'system')"
SHOWN_SYSTEMS = "(select id from temp.patched where kind = 'shown')"


DERIVED: dict[str, Derived] = {
    "parade_systems": Derived(
        Table(
            {
                "appearance_id": int,
                "parade_id": str,
                "parade": str,
                "date": str,
                "segment": str,
                "system_id": str,
                "system": str,
                "category": str,
                "class": str,
                "reported_as": str,
                "identification": str,
                "first_showing": int,
                "count": int,
                "count_qualifier": str,
            },
            "appearance_id",
            (
                ("appearance_id", "appearances", "id"),
                ("parade_id", "parades", "id"),
                ("system_id", "systems", "id"),
            ),
        ),
        """
        select a.id, p.id, p.name, p.date, a.segment, a.system_id, s.name, s.category, s.class,
               a.reported_as, a.identification, a.first_showing, a.count, a.count_qualifier
        from appearances a join parades p on p.id = a.parade_id join systems s on s.id = a.system_id
        """,
        "p.date, p.id, a.position",
        # its page sorts by date; the facets read an index each, not the rows
        (("date",), ("segment",), ("category",), ("identification",)),
        (
            f"parade_id in {PATCHED_PARADES} or system_id in {PATCHED_SYSTEMS}",
            f"p.id in {PATCHED_PARADES} or s.id in {PATCHED_SYSTEMS}",
        ),
    ),
    "first_showings": Derived(
        Table(
            {
                "system_id": str,
                "system": str,
                "category": str,
                "date": str,
                "parade_id": str,
                "parade": str,
                "reported_as": str,
                "identification": str,
                "source_says_first": int,
            },
            "system_id",
            (("system_id", "systems", "id"), ("parade_id", "parades", "id")),
        ),
        """
        select s.id, s.name, s.category, p.date, p.id, p.name, a.reported_as, a.identification,
               a.first_showing
        from systems s
        join appearances a on a.id = (
          select a1.id from appearances a1 join parades p1 on p1.id = a1.parade_id
          where a1.system_id = s.id order by p1.date, a1.position limit 1)
        join parades p on p.id = a.parade_id
        """,
        "p.date, s.name",
        (("date",), ("category",)),
        (f"system_id in {SHOWN_SYSTEMS}", f"s.id in {SHOWN_SYSTEMS}"),
    ),
    "parade_counts_over_time": Derived(
        Table(
            {
                "parade_id": str,
                "date": str,
                "parade": str,
                "city": str,
                "country": str,
                "personnel": int,
                "personnel_qualifier": str,
                "personnel_text": str,
                "equipment_units": int,
                "equipment_units_qualifier": str,
                "aircraft": int,
                "aircraft_qualifier": str,
                "contingents": int,
                "appearances": int,
            },
            "parade_id",
            (("parade_id", "parades", "id"), ("country", "countries", "code")),
        ),
        """
        select p.id, p.date, p.name, p.city, p.country, p.personnel, p.personnel_qualifier,
               case when p.personnel is null then null
                    else trim(replace(coalesce(nullif(p.personnel_qualifier, 'exact'), ''), '_', ' ')
                              || ' ' || printf('%,d', p.personnel)) end,
               p.equipment_units, p.equipment_units_qualifier, p.aircraft, p.aircraft_qualifier,
               (select count(*) from contingents c where c.parade_id = p.id),
               (select count(*) from appearances a where a.parade_id = p.id)
        from parades p
        """,
        "p.date, p.id",
        (("date",),),
        (f"parade_id in {PATCHED_PARADES}", f"p.id in {PATCHED_PARADES}"),
    ),
}
