"""How the store keeps a statement's JSON: packed with DEFLATE and a preset dictionary.

A statement of the mirco profile is mostly the same keys and IRIs (verbs, activity
types, the profile's extensions): DEFLATE alone halves it, and with a dictionary that
already holds those strings a 1.2 KB statement takes ~250 bytes. The reports read the
columns beside it (:data:`~mirco_lms.lrs.store.views.REPORT_COLUMNS`), so the JSON is
only unpacked for the statements a GET returns.

A packed value is one format byte and the raw DEFLATE stream. Format 1 is DEFLATE with
:data:`DICTIONARY_1`: the dictionary is part of the format and never changes (a better
one would be format 2, beside it). A value that starts with ``{`` is plain UTF-8 JSON, as
migration 6 left the statements stored before it.
"""

from __future__ import annotations

import zlib

FORMAT_1 = 1
DICTIONARY_1 = "".join((
    '"attachments":[{"usageType":"http://adlnet.gov/expapi/attachments/signature",'
    '"contentType":"application/octet-stream","length":,"sha2":"',
    '"display":{"en-US":"voided"}},"object":{"objectType":"StatementRef","id":"',
    '"result":{"score":{"scaled":1.0,"raw":3,"min":0,"max":3},"success":false,',
    '"completion":true,"duration":"PT1H30M","response":"',
    '"interactionType":"choice","correctResponsesPattern":["a"],"choices":[{"id":"',
    '"description":{"en-US":"},"name":{"en-US":"',
    'http://adlnet.gov/expapi/verbs/attended',
    'http://adlnet.gov/expapi/verbs/initialized',
    'http://adlnet.gov/expapi/verbs/terminated',
    'http://adlnet.gov/expapi/verbs/suspended',
    'http://adlnet.gov/expapi/verbs/resumed',
    'http://adlnet.gov/expapi/verbs/failed',
    'http://adlnet.gov/expapi/verbs/passed',
    'http://adlnet.gov/expapi/verbs/completed',
    'http://adlnet.gov/expapi/verbs/answered',
    'http://adlnet.gov/expapi/verbs/experienced',
    'http://adlnet.gov/expapi/activities/meeting',
    'http://adlnet.gov/expapi/activities/course',
    'http://adlnet.gov/expapi/activities/assessment',
    'http://adlnet.gov/expapi/activities/cmi.interaction',
    'http://adlnet.gov/expapi/activities/lesson',
    '"https://w3id.org/xapi/mirco/extensions/session":"',
    '"https://w3id.org/xapi/mirco/extensions/delivery":"in-person"',
    '"https://w3id.org/xapi/mirco/extensions/outcomes":["',
    '"https://w3id.org/xapi/mirco/extensions/provider-institution":"',
    '"https://w3id.org/xapi/mirco/extensions/provider-country":"',
    '"https://w3id.org/xapi/mirco/extensions/unit":"',
    '"https://w3id.org/xapi/mirco/extensions/assessment":"final"',
    '"https://w3id.org/xapi/mirco/extensions/assessment":"pretest"',
    '"https://w3id.org/xapi/mirco/extensions/attempt":1',
    '"mbox":"mailto:","mbox_sha1sum":"","openid":"',
    '{"id":"00000000-0000-0000-0000-000000000000","actor":{"objectType":"Agent",'
    '"name":"","account":{"homePage":"https://","name":""}},'
    '"verb":{"id":"http://adlnet.gov/expapi/verbs/","display":{"en-US":""}},'
    '"object":{"objectType":"Activity","id":"https://",'
    '"definition":{"type":"http://adlnet.gov/expapi/activities/"}},'
    '"context":{"registration":"00000000-0000-0000-0000-000000000000","language":"en",'
    '"contextActivities":{"grouping":[{"id":"https://"}],'
    '"category":[{"id":"https://w3id.org/xapi/mirco/v2"}],"parent":[{"id":"https://"}]},'
    '"extensions":{"https://w3id.org/xapi/mirco/extensions/module-version":"1.0.0",'
    '"https://w3id.org/xapi/mirco/extensions/institution":"",'
    '"https://w3id.org/xapi/mirco/extensions/country":""}},'
    '"timestamp":"2024-01-01T00:00:00+00:00","result":{"duration":"PT',
    'M"},"authority":{"objectType":"Agent","account":{"homePage":"http://","name":""}},'
    '"version":"1.0.0","stored":"2024-01-01T00:00:00.000000Z"}',
)).encode()
"""The preset dictionary of format 1 (frozen: packed statements depend on every byte).
The most common strings come last, where DEFLATE reaches them with the shortest codes."""


def pack(raw: str) -> bytes:
    """``raw`` (a statement's JSON) packed in format 1."""
    # a window of 8 KiB covers the dictionary and most statements; a smaller state than
    # the default is quicker to set up, which is most of the time packing takes
    packer = zlib.compressobj(6, zlib.DEFLATED, -13, 5, zdict=DICTIONARY_1)
    return bytes((FORMAT_1,)) + packer.compress(raw.encode()) + packer.flush()


def unpack(value: str | bytes | memoryview) -> str:
    """The JSON text of a stored value: packed (format 1), or plain JSON as text or as
    UTF-8 bytes (statements stored before migration 6)."""
    if isinstance(value, str):
        return value
    data = bytes(value)
    if data[:1] == b"{":
        return data.decode()
    if data[:1] != bytes((FORMAT_1,)):
        raise ValueError(f"a stored statement in an unknown packing format {data[:1]!r}")
    unpacker = zlib.decompressobj(-15, zdict=DICTIONARY_1)  # any window up to 32 KiB
    return (unpacker.decompress(data[1:]) + unpacker.flush()).decode()
