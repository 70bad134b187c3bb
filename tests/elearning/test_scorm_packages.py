"""SCORM 1.2 and 2004 content packages: what is read from imsmanifest.xml, what is refused, and
real public packages (Rustici's "Golf Explained" samples) when a copy is on the machine.

The real packages are never part of the project: ``PAN_SCORM_SAMPLES`` (or the default mirror
location) names a Git repository holding them, fetched with the search tool; without it those
tests skip."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from elearning.packages import PackageError, package_inspect

from .test_packages import build_zip

SAMPLES_GIT = Path(
    os.environ.get("PAN_SCORM_SAMPLES", "/work/.mirror/jcputney+elearning-module-parser/repo")
)
SAMPLES_UNDER = "src/test/resources/modules"

SCORM12_HEAD = """<?xml version="1.0"?>
<manifest identifier="org.example.academy.border.12" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"""

SCORM2004_HEAD = """<?xml version="1.0"?>
<manifest identifier="org.example.academy.border.2004" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion></metadata>"""


def scorm12(items: str, resources: str) -> str:
    return f"""{SCORM12_HEAD}
  <organizations default="org"><organization identifier="org"><title>Border checks</title>
  {items}</organization></organizations>
  <resources>{resources}</resources></manifest>"""


def scorm2004(items: str, resources: str, *, organization_extra: str = "") -> str:
    return f"""{SCORM2004_HEAD}
  <organizations default="org"><organization identifier="org"><title>Border checks</title>
  {items}{organization_extra}</organization></organizations>
  <resources>{resources}</resources></manifest>"""


def sco(identifier: str, href: str, *, kind: str = "sco", attribute: str = "scormtype") -> str:
    return (
        f'<resource identifier="{identifier}" type="webcontent" '
        f'adlcp:{attribute}="{kind}" href="{href}"><file href="{href}"/></resource>'
    )


def test_a_scorm_12_package_gives_its_scos_in_order_with_titles_and_mastery():
    manifest = scorm12(
        """<item identifier="part1"><title>Part one</title>
             <item identifier="i1" identifierref="r1"><title>Documents</title>
               <adlcp:masteryscore>80</adlcp:masteryscore></item>
             <item identifier="i2" identifierref="r2" parameters="?lang=ru">
               <title>Vehicles</title><adlcp:datafromlms>checkpoint=3</adlcp:datafromlms></item>
           </item>""",
        sco("r1", "one/index.html") + sco("r2", "two/index.html", attribute="scormType"),
    )
    result = package_inspect(
        content=build_zip(
            [("imsmanifest.xml", manifest), ("one/index.html", "<p>1"), ("two/index.html", "2")]
        )
    )
    assert result.kind == "scorm12" and result.title == "Border checks"
    assert result.course_id == "org.example.academy.border.12"
    first, second = result.activities
    assert (first.identifier, first.title, first.launch, first.mastery_score) == (
        "i1",
        "Documents",
        "one/index.html",
        0.8,
    )
    assert (second.launch_parameters, second.data_from_lms) == ("?lang=ru", "checkpoint=3")
    assert first.scorm_type == second.scorm_type == "sco"


def test_a_scorm_2004_package_with_flow_and_choice_is_accepted():
    manifest = scorm2004(
        """<item identifier="i1" identifierref="r1"><title>Checks</title>
             <imsss:sequencing>
               <imsss:deliveryControls completionSetByContent="true"/>
               <imsss:objectives>
                 <imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true">
                   <imsss:minNormalizedMeasure>0.75</imsss:minNormalizedMeasure>
                 </imsss:primaryObjective>
               </imsss:objectives>
             </imsss:sequencing></item>""",
        sco("r1", "index.html", attribute="scormType"),
        organization_extra=(
            '<imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>'
        ),
    )
    result = package_inspect(
        content=build_zip([("imsmanifest.xml", manifest), ("index.html", "<p>")])
    )
    assert result.kind == "scorm2004"
    assert result.activities[0].mastery_score == 0.75


@pytest.mark.parametrize(
    ("sequencing", "named"),
    [
        (
            "<imsss:sequencingRules><imsss:preConditionRule/></imsss:sequencingRules>",
            "sequencingRules",
        ),
        ("<imsss:rollupRules/>", "rollupRules"),
        ('<imsss:limitConditions attemptLimit="1"/>', "limitConditions"),
        ('<imsss:randomizationControls reorderChildren="true"/>', "randomizationControls"),
        ('<imsss:controlMode flow="true" forwardOnly="true"/>', "forwardOnly"),
        (
            '<imsss:objectives><imsss:primaryObjective objectiveID="p"><imsss:mapInfo '
            'targetObjectiveID="g"/></imsss:primaryObjective></imsss:objectives>',
            "global objectives",
        ),
    ],
)
def test_sequencing_beyond_flow_and_choice_is_refused_naming_it(sequencing, named):
    manifest = scorm2004(
        f'<item identifier="i1" identifierref="r1"><title>T</title>'
        f"<imsss:sequencing>{sequencing}</imsss:sequencing></item>",
        sco("r1", "index.html", attribute="scormType"),
    )
    with pytest.raises(PackageError) as refused:
        package_inspect(content=build_zip([("imsmanifest.xml", manifest), ("index.html", "x")]))
    assert any(
        named in message and "flow and choice" in message for message in refused.value.messages
    )


def test_every_problem_of_a_scorm_manifest_is_listed():
    manifest = scorm12(
        """<item identifier="i1" identifierref="missing"><title>A</title></item>
           <item identifier="i2" identifierref="r2"><title>B</title></item>
           <item identifier="i3" identifierref="r3"><title>C</title>
             <adlcp:masteryscore>180</adlcp:masteryscore></item>""",
        sco("r2", "../outside.html") + sco("r3", "c.html"),
    )
    with pytest.raises(PackageError) as refused:
        package_inspect(content=build_zip([("imsmanifest.xml", manifest), ("c.html", "c")]))
    text = "\n".join(refused.value.messages)
    assert "“missing”, which the manifest does not have" in text
    assert "points outside the package" in text
    assert "“180” is not a number from 0 to 100" in text


def test_a_schema_the_manifest_names_must_be_safe_xml():
    hostile = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>'
    manifest = scorm2004(
        '<item identifier="i1" identifierref="r1"><title>T</title></item>',
        sco("r1", "index.html", attribute="scormType"),
    )
    with pytest.raises(PackageError) as refused:
        package_inspect(
            content=build_zip(
                [("imsmanifest.xml", manifest), ("index.html", "x"), ("imscp_v1p1.xsd", hostile)]
            )
        )
    assert any("imscp_v1p1.xsd" in m and "DTDs and entities" in m for m in refused.value.messages)


def test_an_xapi_manifest_beside_the_scorm_one_is_preferred():
    from .test_packages import tincan_xml

    manifest = scorm12(
        '<item identifier="i1" identifierref="r1"><title>T</title></item>',
        sco("r1", "index.html"),
    )
    result = package_inspect(
        content=build_zip(
            [("imsmanifest.xml", manifest), ("tincan.xml", tincan_xml()), ("index.html", "x")]
        )
    )
    assert result.kind == "tincan"


def test_a_manifest_of_another_kind_is_refused_clearly():
    with pytest.raises(PackageError) as refused:
        package_inspect(content=build_zip([("imsmanifest.xml", '<manifest xmlns="urn:other"/>')]))
    assert "SCORM 1.2" in refused.value.messages[0] and "SCORM 2004" in refused.value.messages[0]


# --- Real public packages ------------------------------------------------------------------------


def sample(name: str) -> bytes:
    """One of the public sample packages, zipped as an editor would upload it."""
    if not SAMPLES_GIT.exists():
        if os.environ.get("PAN_REQUIRE_SCORM_SAMPLES") == "1":
            pytest.fail(f"the SCORM sample packages are required here ({SAMPLES_GIT})")
        pytest.skip(f"no copy of the public SCORM sample packages at {SAMPLES_GIT}")
    folder = f"{SAMPLES_UNDER}/{name}"
    tar = subprocess.run(  # noqa: S603 (git, on a local mirror)
        ["git", f"--git-dir={SAMPLES_GIT}", "archive", "HEAD", folder],  # noqa: S607
        capture_output=True,
        check=True,
    ).stdout
    out = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(tar)) as archive,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package,
    ):
        for member in archive.getmembers():
            if member.isfile():
                package.writestr(member.name[len(folder) + 1 :], archive.extractfile(member).read())
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "kind", "units", "first_launch"),
    [
        ("scorm12/RuntimeBasicCalls_SCORM12", "scorm12", 1, "shared/launchpage.html"),
        ("scorm12/RuntimeMinimumCalls_SCORM12", "scorm12", 18, "Playing/Playing.html"),
        ("scorm12/ContentPackagingOneFilePerSCO_SCORM12", "scorm12", 18, "Playing/Playing.html"),
        (
            "scorm2004/RuntimeBasicCalls_SCORM20043rdEdition",
            "scorm2004",
            1,
            "shared/launchpage.html",
        ),
        (
            "scorm2004/RunTimeAdvancedCalls_SCORM20043rdEdition",
            "scorm2004",
            1,
            "shared/launchpage.html",
        ),
        (
            "scorm2004/ContentPackagingSingleSCO_SCORM20042ndEdition",
            "scorm2004",
            1,
            "shared/launchpage.html",
        ),
    ],
)
def test_public_sample_packages_are_read(name, kind, units, first_launch):
    result = package_inspect(content=sample(name), filename=name.rsplit("/", 1)[-1] + ".zip")
    assert result.kind == kind
    assert len(result.activities) == units
    assert result.activities[0].launch == first_launch
    assert result.title.startswith("Golf Explained")


@pytest.mark.parametrize(
    "name",
    [
        "scorm2004/SequencingForcedSequential_SCORM20043rdEdition",
        "scorm2004/SequencingRandomTest_SCORM20043rdEdition",
        "scorm2004/SequencingSimpleRemediation_SCORM20043rdEdition",
    ],
)
def test_public_samples_with_full_sequencing_are_refused_with_the_reason(name):
    with pytest.raises(PackageError) as refused:
        package_inspect(content=sample(name))
    assert all("flow and choice" in message for message in refused.value.messages)


def test_public_samples_with_broken_manifests_are_refused():
    for name, expected in [
        ("scorm12/MalformedXml_SCORM12", "not well-formed XML"),
        ("scorm12/MissingLaunchUrl_SCORM12", "the location is empty"),
        ("scorm12/ItemWithNonExistentResourceId_SCORM12", "which the manifest does not have"),
    ]:
        with pytest.raises(PackageError) as refused:
            package_inspect(content=sample(name))
        assert expected in refused.value.messages[0], name
