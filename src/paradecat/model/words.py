"""The controlled vocabularies as a reader says them: "Short-range surface-to-air missile system"
for `short_range_sam_system`. The site shows these in place of the stored values; a test proves
every value of every vocabulary has its words."""

from __future__ import annotations

from .vocabulary import Category, EventKind, EventStatus, Segment, SystemClass

CATEGORY_WORDS: dict[Category, str] = {
    Category.aircraft: "Aircraft",
    Category.air_defence_systems: "Air defence systems",
    Category.anti_submarine_warfare_weapons: "Anti-submarine warfare weapons",
    Category.armoured_vehicles: "Armoured vehicles",
    Category.artillery: "Artillery",
    Category.engines: "Engines",
    Category.missiles: "Missiles",
    Category.naval_weapons: "Naval weapons",
    Category.satellites: "Satellites",
    Category.sensors: "Sensors",
    Category.ships: "Ships",
    Category.other: "Other",
}

CLASS_WORDS: dict[SystemClass, str] = {
    SystemClass.military_transport_aircraft: "Military transport aircraft",
    SystemClass.light_transport_aircraft: "Light transport aircraft",
    SystemClass.maritime_patrol_isr_aircraft: (
        "Maritime patrol, intelligence, surveillance and reconnaissance aircraft"
    ),
    SystemClass.combat_aircraft: "Combat aircraft",
    SystemClass.trainer_aircraft: "Trainer aircraft",
    SystemClass.tanker_aircraft: "Tanker aircraft",
    SystemClass.attack_helicopter: "Attack helicopter",
    SystemClass.transport_helicopter: "Transport helicopter",
    SystemClass.unmanned_aerial_vehicle: "Unmanned aerial vehicle (drone)",
    SystemClass.bomber: "Bomber",
    SystemClass.airborne_early_warning_aircraft: "Airborne early warning aircraft",
    SystemClass.utility_helicopter: "Utility helicopter",
    SystemClass.long_range_sam_system: "Long-range surface-to-air missile system",
    SystemClass.medium_range_sam_system: "Medium-range surface-to-air missile system",
    SystemClass.short_range_sam_system: "Short-range surface-to-air missile system",
    SystemClass.manpads: "Man-portable air defence system",
    SystemClass.anti_aircraft_gun: "Anti-aircraft gun",
    SystemClass.tank: "Tank",
    SystemClass.infantry_fighting_vehicle: "Infantry fighting vehicle",
    SystemClass.armoured_personnel_carrier: "Armoured personnel carrier",
    SystemClass.infantry_carrier: "Infantry carrier",
    SystemClass.wheeled_armoured_fighting_vehicle: "Wheeled armoured fighting vehicle",
    SystemClass.wheeled_armoured_vehicle: "Wheeled armoured vehicle",
    SystemClass.mrap: "Mine-resistant ambush-protected vehicle",
    SystemClass.infantry_mobility_vehicle: "Infantry mobility vehicle",
    SystemClass.armoured_reconnaissance_vehicle: "Armoured reconnaissance vehicle",
    SystemClass.armoured_engineering_vehicle: "Armoured engineering vehicle",
    SystemClass.self_propelled_gun: "Self-propelled gun",
    SystemClass.towed_gun: "Towed gun",
    SystemClass.multiple_rocket_launcher: "Multiple rocket launcher",
    SystemClass.mortar: "Mortar",
    SystemClass.ballistic_missile: "Ballistic missile",
    SystemClass.cruise_missile: "Cruise missile",
    SystemClass.anti_tank_missile: "Anti-tank missile",
    SystemClass.intercontinental_ballistic_missile: "Intercontinental ballistic missile",
    SystemClass.hypersonic_missile: "Hypersonic missile",
    SystemClass.coastal_missile_system: "Coastal missile system",
    SystemClass.anti_ship_missile: "Anti-ship missile",
    SystemClass.radar: "Radar",
    SystemClass.electronic_warfare_system: "Electronic warfare system",
    SystemClass.warship: "Warship",
    SystemClass.patrol_boat: "Patrol boat",
    SystemClass.unmanned_surface_vessel: "Unmanned surface vessel",
    SystemClass.unmanned_underwater_vehicle: "Unmanned underwater vehicle",
    SystemClass.unmanned_ground_vehicle: "Unmanned ground vehicle",
    SystemClass.drone_launch_platform: "Drone launch platform",
    SystemClass.military_truck: "Military truck",
    SystemClass.command_vehicle: "Command vehicle",
    SystemClass.other: "Other",
}

SEGMENT_WORDS: dict[Segment, str] = {
    Segment.foot_column: "Foot column",
    Segment.mechanized_column: "Mechanized column",
    Segment.air: "Flypast",
    Segment.naval: "Naval parade",
    Segment.mounted: "Mounted column",
    Segment.band: "Military band",
    Segment.other: "Other",
}

EVENT_KIND_WORDS: dict[EventKind, str] = {
    EventKind.military_parade: "Military parade",
    EventKind.commemorative_march: "Commemorative march",
    EventKind.flypast: "Flypast",
    EventKind.naval_parade: "Naval parade",
    EventKind.other: "Other event",
}

EVENT_STATUS_WORDS: dict[EventStatus, str] = {
    EventStatus.held: "Took place",
    EventStatus.planned: "Announced; not known to have taken place",
    EventStatus.cancelled: "Cancelled: it did not take place",
}

VOCABULARY_WORDS: dict[str, dict[str, str]] = {
    "category": {str(k): v for k, v in CATEGORY_WORDS.items()},
    "class": {str(k): v for k, v in CLASS_WORDS.items()},
    "segment": {str(k): v for k, v in SEGMENT_WORDS.items()},
    "kind": {str(k): v for k, v in EVENT_KIND_WORDS.items()},
    "status": {str(k): v for k, v in EVENT_STATUS_WORDS.items()},
}


def in_words(vocabulary: str, value: object) -> str:
    """A stored vocabulary value as a reader says it; an unknown one with its underscores spaced."""
    text = "" if value is None else str(value)
    found = VOCABULARY_WORDS.get(vocabulary, {}).get(text)
    return found if found is not None else text.replace("_", " ")
