"""paradecat: the open catalogue of equipment, contingents and personnel shown at military parades."""

__version__ = "0.1.0"
