"""JSON Schema of the OpenAgenda export, shared by the export and demo tests."""

LANG_MAP = {"type": "object", "required": ["fr"], "properties": {"fr": {"type": "string", "minLength": 1}}}
ISO_WITH_OFFSET = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"
# Written from OpenAgenda's v2 event and location structures (developers.openagenda.com, « Structure d'un
# événement »): language maps, timings with offsets, status 1-6, attendanceMode 1-3, accessibility codes.
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["agenda", "locations", "events"],
    "properties": {
        "locations": {"type": "array", "items": {
            "type": "object",
            "required": ["uid", "extId", "name", "address", "countryCode"],
            "properties": {
                "uid": {"type": "string"}, "extId": {"type": "string"}, "name": {"type": "string", "minLength": 1},
                "address": {"type": "string"}, "countryCode": {"const": "FR"},
                "latitude": {"type": "number", "minimum": -90, "maximum": 90},
                "longitude": {"type": "number", "minimum": -180, "maximum": 180},
            },
        }},
        "events": {"type": "array", "items": {
            "type": "object",
            "required": ["uid", "extIds", "title", "description", "timings", "locationUid", "status", "attendanceMode"],
            "properties": {
                "title": LANG_MAP,
                "description": {**LANG_MAP, "properties": {"fr": {"type": "string", "minLength": 1, "maxLength": 200}}},
                "longDescription": LANG_MAP,
                "keywords": {"type": "object", "properties": {"fr": {"type": "array", "items": {"type": "string"}}}},
                "conditions": LANG_MAP,
                "timings": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["begin", "end"], "additionalProperties": False,
                    "properties": {"begin": {"type": "string", "pattern": ISO_WITH_OFFSET},
                                   "end": {"type": "string", "pattern": ISO_WITH_OFFSET}},
                }},
                "status": {"enum": [1, 2, 3, 4, 5, 6]},
                "attendanceMode": {"enum": [1, 2, 3]},
                "accessibility": {"type": "object", "additionalProperties": False,
                                  "properties": {code: {"type": "boolean"} for code in ("hi", "ii", "vi", "pi", "mi")}},
                "extIds": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["key", "value"],
                    "properties": {"key": {"const": "biodiversitheque"}, "value": {"type": "string"}},
                }},
                "registration": {"type": "array", "items": {
                    "type": "object", "required": ["type", "value"],
                    "properties": {"type": {"enum": ["link", "email", "phone"]}, "value": {"type": "string"}},
                }},
                "image": {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}},
                "age": {"type": "object", "properties": {"min": {"type": "integer"}, "max": {"type": "integer"}}},
            },
        }},
    },
}
