"""Controlled vocabularies: SIPRI categories and their finer classes, segments, event kinds,
identification, claim ranks and count qualifiers."""

from __future__ import annotations

from enum import StrEnum


class Qualifier(StrEnum):
    """How a number relates to the true figure (in the style of the IISS Military Balance).

    What sources write, and the qualifier it is:
    - exact: "exactly", or a bare number.
    - about: "about", "around", "some", "approximately", "roughly".
    - over: "more than", "over", "upwards of".
    - at_least: "at least", "no fewer than".
    - under: "fewer than", "less than", "under".
    - at_most: "up to", "as many as", "no more than", "at most".
    - nearly: "nearly", "almost", "close to", "just under": below the number, but close to it.
    """

    exact = "exact"
    about = "about"
    over = "over"
    at_least = "at_least"
    under = "under"
    at_most = "at_most"
    nearly = "nearly"


class Category(StrEnum):
    """SIPRI weapon categories."""

    aircraft = "aircraft"
    air_defence_systems = "air_defence_systems"
    anti_submarine_warfare_weapons = "anti_submarine_warfare_weapons"
    armoured_vehicles = "armoured_vehicles"
    artillery = "artillery"
    engines = "engines"
    missiles = "missiles"
    naval_weapons = "naval_weapons"
    satellites = "satellites"
    sensors = "sensors"
    ships = "ships"
    other = "other"


class SystemClass(StrEnum):
    """A finer class below a SIPRI category; CLASS_CATEGORY says which category each belongs to."""

    # aircraft
    military_transport_aircraft = "military_transport_aircraft"
    light_transport_aircraft = "light_transport_aircraft"
    maritime_patrol_isr_aircraft = "maritime_patrol_isr_aircraft"
    combat_aircraft = "combat_aircraft"
    trainer_aircraft = "trainer_aircraft"
    tanker_aircraft = "tanker_aircraft"
    attack_helicopter = "attack_helicopter"
    transport_helicopter = "transport_helicopter"
    unmanned_aerial_vehicle = "unmanned_aerial_vehicle"
    bomber = "bomber"
    airborne_early_warning_aircraft = "airborne_early_warning_aircraft"
    utility_helicopter = "utility_helicopter"
    # air defence systems
    long_range_sam_system = "long_range_sam_system"
    medium_range_sam_system = "medium_range_sam_system"
    short_range_sam_system = "short_range_sam_system"
    manpads = "manpads"
    anti_aircraft_gun = "anti_aircraft_gun"
    # armoured vehicles
    tank = "tank"
    infantry_fighting_vehicle = "infantry_fighting_vehicle"
    armoured_personnel_carrier = "armoured_personnel_carrier"
    infantry_carrier = "infantry_carrier"
    wheeled_armoured_fighting_vehicle = "wheeled_armoured_fighting_vehicle"
    wheeled_armoured_vehicle = "wheeled_armoured_vehicle"
    mrap = "mrap"
    infantry_mobility_vehicle = "infantry_mobility_vehicle"
    armoured_reconnaissance_vehicle = "armoured_reconnaissance_vehicle"
    armoured_engineering_vehicle = "armoured_engineering_vehicle"
    # artillery
    self_propelled_gun = "self_propelled_gun"
    towed_gun = "towed_gun"
    multiple_rocket_launcher = "multiple_rocket_launcher"
    mortar = "mortar"
    # missiles
    ballistic_missile = "ballistic_missile"
    cruise_missile = "cruise_missile"
    anti_tank_missile = "anti_tank_missile"
    intercontinental_ballistic_missile = "intercontinental_ballistic_missile"
    hypersonic_missile = "hypersonic_missile"
    coastal_missile_system = "coastal_missile_system"
    anti_ship_missile = "anti_ship_missile"
    # sensors
    radar = "radar"
    electronic_warfare_system = "electronic_warfare_system"
    # ships
    warship = "warship"
    patrol_boat = "patrol_boat"
    unmanned_surface_vessel = "unmanned_surface_vessel"
    unmanned_underwater_vehicle = "unmanned_underwater_vehicle"
    # other
    unmanned_ground_vehicle = "unmanned_ground_vehicle"
    drone_launch_platform = "drone_launch_platform"
    military_truck = "military_truck"
    command_vehicle = "command_vehicle"
    other = "other"


CLASS_CATEGORY: dict[SystemClass, Category] = {
    **dict.fromkeys(
        [
            SystemClass.military_transport_aircraft,
            SystemClass.light_transport_aircraft,
            SystemClass.maritime_patrol_isr_aircraft,
            SystemClass.combat_aircraft,
            SystemClass.trainer_aircraft,
            SystemClass.tanker_aircraft,
            SystemClass.attack_helicopter,
            SystemClass.transport_helicopter,
            SystemClass.unmanned_aerial_vehicle,
            SystemClass.bomber,
            SystemClass.airborne_early_warning_aircraft,
            SystemClass.utility_helicopter,
        ],
        Category.aircraft,
    ),
    **dict.fromkeys(
        [
            SystemClass.long_range_sam_system,
            SystemClass.medium_range_sam_system,
            SystemClass.short_range_sam_system,
            SystemClass.manpads,
            SystemClass.anti_aircraft_gun,
        ],
        Category.air_defence_systems,
    ),
    **dict.fromkeys(
        [
            SystemClass.tank,
            SystemClass.infantry_fighting_vehicle,
            SystemClass.armoured_personnel_carrier,
            SystemClass.infantry_carrier,
            SystemClass.wheeled_armoured_fighting_vehicle,
            SystemClass.wheeled_armoured_vehicle,
            SystemClass.mrap,
            SystemClass.infantry_mobility_vehicle,
            SystemClass.armoured_reconnaissance_vehicle,
            SystemClass.armoured_engineering_vehicle,
        ],
        Category.armoured_vehicles,
    ),
    **dict.fromkeys(
        [
            SystemClass.self_propelled_gun,
            SystemClass.towed_gun,
            SystemClass.multiple_rocket_launcher,
            SystemClass.mortar,
        ],
        Category.artillery,
    ),
    **dict.fromkeys(
        [
            SystemClass.ballistic_missile,
            SystemClass.cruise_missile,
            SystemClass.anti_tank_missile,
            SystemClass.intercontinental_ballistic_missile,
            SystemClass.hypersonic_missile,
            SystemClass.coastal_missile_system,
            SystemClass.anti_ship_missile,
        ],
        Category.missiles,
    ),
    SystemClass.radar: Category.sensors,
    SystemClass.electronic_warfare_system: Category.sensors,
    **dict.fromkeys(
        [
            SystemClass.warship,
            SystemClass.patrol_boat,
            SystemClass.unmanned_surface_vessel,
            SystemClass.unmanned_underwater_vehicle,
        ],
        Category.ships,
    ),
    **dict.fromkeys(
        [
            SystemClass.unmanned_ground_vehicle,
            SystemClass.drone_launch_platform,
            SystemClass.military_truck,
            SystemClass.command_vehicle,
            SystemClass.other,
        ],
        Category.other,
    ),
}


class Segment(StrEnum):
    """The part of a parade an item appeared in."""

    foot_column = "foot_column"
    mechanized_column = "mechanized_column"
    air = "air"
    naval = "naval"
    mounted = "mounted"
    band = "band"
    other = "other"


class EventKind(StrEnum):
    """What kind of event an entry in catalog/parades/ records."""

    military_parade = "military_parade"
    commemorative_march = "commemorative_march"
    flypast = "flypast"
    naval_parade = "naval_parade"
    other = "other"


class EventStatus(StrEnum):
    """Whether an event in catalog/parades/ took place.

    - held: the sources report that it took place.
    - planned: announced, but no cited source reports that it took place.
    - cancelled: announced, then called off; it did not take place.
    """

    held = "held"
    planned = "planned"
    cancelled = "cancelled"


class Identification(StrEnum):
    """How sure the catalogue is that an appearance is the system it names.

    - confirmed: the reported name designates this system, and two independent reports list it.
    - probable: the type or variant is inferred from what the sources say (a family name, a photo).
    - reported: one report only (or its rewrites) lists it.
    - disputed: there is reason to doubt the identification, and the appearance's note says why.
    """

    confirmed = "confirmed"
    probable = "probable"
    reported = "reported"
    disputed = "disputed"


class Rank(StrEnum):
    """How a claim ranks against the accepted value (as in Wikidata)."""

    preferred = "preferred"
    normal = "normal"
    deprecated = "deprecated"
